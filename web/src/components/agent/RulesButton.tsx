/**
 * The project's rules: a badge in the panel's header says whether rules are in force (`data-rules` = on|off on
 * the button "Project rules") and opens a dialog to edit them. An `AGENTS.md` in the workspace is offered there
 * with its text shown; only the button "Import AGENTS.md" (then Save) makes it rules — the server never reads
 * it into a prompt on its own, since any cell can write it.
 */
import { createSignal, onMount, Show, type JSX } from 'solid-js';
import { fetchRules, saveRules, type RulesAnswer } from '../../api/assistant.ts';
import { EditDialog } from './EditDialog.tsx';

export function RulesButton(): JSX.Element {
  const [rules, setRules] = createSignal<RulesAnswer | null>(null);
  const [isOpen, setOpen] = createSignal(false);
  const [draft, setDraft] = createSignal('');

  // A failed read keeps what was known (the badge as it was); the dialog's Save reports its own failure.
  const load = async () => {
    try {
      setRules(await fetchRules());
    } catch {
      // nothing to show outside the dialog
    }
  };
  onMount(() => void load());
  const isOn = () => (rules()?.text.trim() ?? '') !== '';
  const open = async () => {
    await load();
    setDraft(rules()?.text ?? '');
    setOpen(true);
  };
  const save = async () => {
    setRules(await saveRules(draft()));
  };
  const offer = () => {
    const agents = rules()?.agents_md;
    return agents && agents.text.trim() !== rules()?.text.trim() ? agents : null;
  };

  return (
    <>
      <button
        type="button"
        class="agent-rules-badge"
        classList={{ 'is-on': isOn() }}
        data-rules={isOn() ? 'on' : 'off'}
        aria-label="Project rules"
        title={isOn() ? 'Project rules are in force: the assistant follows .cellmate/rules.md' : 'No project rules: add some'}
        onClick={() => void open()}
      >
        {isOn() ? 'Rules on' : 'Rules'}
      </button>
      <Show when={isOpen()}>
        <EditDialog title="Project rules" class="agent-rules-dialog" saveLabel="Save rules" onSave={save} onClose={() => setOpen(false)}>
          <p class="muted small">
            Added to the assistant's instructions in every notebook of this workspace. Kept in .cellmate/rules.md, which no cell can change. At most{' '}
            {rules()?.max_chars.toLocaleString('en-US')} characters.
          </p>
          <Show when={rules()?.truncated}>
            <p class="agent-error">rules.md is longer than that: the assistant gets its beginning only.</p>
          </Show>
          <textarea aria-label="Rules" rows={8} value={draft()} onInput={(event) => setDraft(event.currentTarget.value)} maxLength={rules()?.max_chars} />
          <Show when={offer()}>
            {(agents) => (
              <section class="agent-rules-offer" aria-label="AGENTS.md">
                <p>
                  This workspace has an <code>AGENTS.md</code>. It is not used unless you import it (any cell can write that file, so read it first):
                </p>
                <pre class="agent-rules-offer-text">{agents().text}</pre>
                <button type="button" class="button small" onClick={() => setDraft(agents().text)}>
                  Import AGENTS.md
                </button>
              </section>
            )}
          </Show>
        </EditDialog>
      </Show>
    </>
  );
}
