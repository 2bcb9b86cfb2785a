import { Match, Show, Switch, type JSX } from 'solid-js';
import type { Output } from '../../../../server/protocol/notebook.ts';
import { truncationNoteText } from '../../render/long-text.ts';
import { AnsiText } from './AnsiText.tsx';
import { MimeView } from './MimeView.tsx';
import { StreamView } from './StreamView.tsx';

/** The assistant's one-click actions on a cell's outputs (Fix only matters on an error). */
export interface OutputActions {
  fix(): void;
  explain(): void;
}

/**
 * One output of a code cell. Reactive on `output_type` too: the store may morph an output into another kind.
 * The note the server leaves where its caps dropped outputs is shown as a note (`.output-truncated`).
 */
export function OutputView(props: { output: Output; actions?: OutputActions }): JSX.Element {
  const truncation = () => truncationNoteText(props.output);
  const stream = () => (props.output.output_type === 'stream' ? props.output : undefined);
  const error = () => (props.output.output_type === 'error' ? props.output : undefined);
  const rich = () => (props.output.output_type === 'display_data' || props.output.output_type === 'execute_result' ? props.output : undefined);
  return (
    <div class="output" data-output-type={props.output.output_type} data-truncated={truncation() === null ? undefined : 'true'}>
      <Switch>
        <Match when={truncation()}>
          {(note) => (
            <p class="output-truncated" role="note">
              {note()}
            </p>
          )}
        </Match>
        <Match when={stream()}>{(s) => <StreamView output={s()} />}</Match>
        <Match when={error()}>
          {(e) => (
            <div class="output-error">
              <div class="error-head">
                <div class="error-title">
                  <strong>{e().ename}</strong>
                  {e().evalue ? `: ${e().evalue}` : ''}
                </div>
                {/* On the error itself, without hovering: the cell's toolbar is only shown on hover or selection. */}
                <Show when={props.actions}>
                  {(actions) => (
                    <div class="error-actions" role="group" aria-label="Error actions">
                      <button type="button" class="button small error-fix" aria-label="Fix this error" title="Ask the assistant to propose a fix of this cell, as a diff to review" onClick={() => actions().fix()}>
                        Fix
                      </button>
                      <button type="button" class="button small" aria-label="Explain this error" title="Ask the assistant what went wrong (changes nothing)" onClick={() => actions().explain()}>
                        Explain
                      </button>
                    </div>
                  )}
                </Show>
              </div>
              <Show when={e().traceback.length > 0}>
                <AnsiText class="error-traceback" text={e().traceback.join('\n')} />
              </Show>
            </div>
          )}
        </Match>
        <Match when={rich()}>{(r) => <MimeView data={r().data} metadata={r().metadata} />}</Match>
      </Switch>
    </div>
  );
}
