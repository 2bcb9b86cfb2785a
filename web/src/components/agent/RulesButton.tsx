/**
 * The project's rules: a badge in the panel's header says whether rules are in force (`data-rules` = on|off on
 * the button "Project rules") and opens a dialog to edit them. An `AGENTS.md` in the workspace is offered there
 * with its text shown; only the button "Import AGENTS.md" (then Save) makes it rules — the server never reads
 * it into a prompt on its own, since any cell can write it.
 */
import { createSignal, onMount, Show, type JSX } from 'solid-js';
import { fetchRules, saveRules, type RulesAnswer } from '../../api/assistant.ts';

export function RulesButton(): JSX.Element {
  const [rules, setRules] = createSignal<RulesAnswer | null>(null);
  const [isOpen, setOpen] = createSignal(false);
  const [draft, setDraft] = createSignal('');
  const [problem, setProblem] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  const load = async () => {
    try {
      setRules(await fetchRules());
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  onMount(() => void load());
  const isOn = () => (rules()?.text.trim() ?? '') !== '';
  const open = async () => {
    await load();
    setDraft(rules()?.text ?? '');
    setProblem(null);
    setOpen(true);
  };
  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      setRules(await saveRules(draft()));
      setOpen(false);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
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
        <div class="dialog-backdrop" onKeyDown={(event) => event.key === 'Escape' && setOpen(false)}>
          <form class="dialog agent-rules-dialog" role="dialog" aria-modal="true" aria-label="Project rules" onSubmit={save}>
            <h2>Project rules</h2>
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
            <Show when={problem()}>
              <p class="agent-error" role="alert">
                {problem()}
              </p>
            </Show>
            <div class="dialog-actions">
              <button type="button" class="button" onClick={() => setOpen(false)}>
                Cancel
              </button>
              <button type="submit" class="button primary" disabled={busy()}>
                Save rules
              </button>
            </div>
          </form>
        </div>
      </Show>
    </>
  );
}
