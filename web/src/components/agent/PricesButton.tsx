/**
 * The price table behind the costs the panel shows: the button "Prices" opens a dialog that says where the
 * prices come from and as of when (the defaults are OpenAI list prices written into Cellmate, not fetched), that a
 * model not in the table gets no cost, and edits the table (`.cellmate/prices.json`) as JSON.
 */
import { createSignal, For, Show, type JSX } from 'solid-js';
import { formatAsOf, priceTableSchema, type PricesAnswer } from '../../../../server/protocol/prices.ts';
import { fetchPrices, savePrices } from '../../api/assistant.ts';
import { setPriceTable } from '../../state/index.ts';
import { EditDialog } from './EditDialog.tsx';

/** The JSON typed in the dialog as a table, or why it is not one. */
function parseTable(text: string): ReturnType<typeof priceTableSchema.safeParse> | { success: false; error: Error } {
  try {
    return priceTableSchema.safeParse(JSON.parse(text));
  } catch (error) {
    return { success: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

export function PricesButton(): JSX.Element {
  const [answer, setAnswer] = createSignal<PricesAnswer | null>(null);
  const [isOpen, setOpen] = createSignal(false);
  const [draft, setDraft] = createSignal('');
  const [problem, setProblem] = createSignal<string | null>(null);

  const open = async () => {
    setProblem(null);
    try {
      const current = await fetchPrices();
      setAnswer(current);
      setDraft(JSON.stringify(current.table, null, 2));
      setOpen(true);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  const save = async () => {
    const parsed = parseTable(draft());
    if (!parsed.success) throw new Error(`Not a price table: ${parsed.error.message}`);
    const saved = await savePrices(parsed.data);
    setAnswer(saved);
    setPriceTable(saved.table);
  };
  const asOf = () => {
    const date = answer()?.table.as_of;
    return date ? formatAsOf(date) : null;
  };

  return (
    <>
      <button type="button" class="agent-rules-badge agent-prices-badge" aria-label="Prices" title="The price table behind the costs shown: its date, and editing it" onClick={() => void open()}>
        Prices
      </button>
      <Show when={problem() && !isOpen()}>
        <span class="agent-error small" role="alert">
          {problem()}
        </span>
      </Show>
      <Show when={isOpen() && answer()}>
        {(current) => (
          <EditDialog title="Prices" class="agent-rules-dialog agent-prices-dialog" saveLabel="Save prices" onSave={save} onClose={() => setOpen(false)}>
            <p class="agent-prices-source" data-source={current().source}>
              <Show
                when={current().source === 'defaults'}
                fallback={<>From .cellmate/prices.json{asOf() ? `, prices as of ${asOf()}` : ', with no date'}.</>}
              >
                Cellmate's defaults: OpenAI's list prices as of {asOf()}, written into Cellmate, not fetched. They may have changed since: check your provider's prices and edit them here.
              </Show>
            </p>
            <p class="muted small">
              In {current().table.currency} per million tokens, without cached-input or batch discounts. A model not in this table gets no cost: its turns show
              tokens only. Saving writes .cellmate/prices.json for the whole workspace; set "as_of" to the date of the prices you enter.
            </p>
            <table class="agent-prices-table">
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col">Input</th>
                  <th scope="col">Output</th>
                </tr>
              </thead>
              <tbody>
                <For each={Object.entries(current().table.models)} fallback={<tr><td colSpan={3}>No model has a price.</td></tr>}>
                  {([model, price]) => (
                    <tr>
                      <td>{model}</td>
                      <td>{price.input_per_million}</td>
                      <td>{price.output_per_million}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
            <textarea aria-label="Price table" rows={10} spellcheck={false} value={draft()} onInput={(event) => setDraft(event.currentTarget.value)} />
          </EditDialog>
        )}
      </Show>
    </>
  );
}
