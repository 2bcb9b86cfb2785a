/**
 * "What was sent": a turn's requests to the model as the server kept them (GET …/agent/turns/{turn}): each
 * request's new messages (system prompt with the rules, history, prompt with the notebook's overview, tool
 * results as shaped, images), the ones it repeated counted, its usage, and the tool definitions. Stable hooks:
 * dialog "What was sent", `.agent-sent-request` per request, `.agent-sent-message[data-role]` per message.
 */
import { createResource, For, Match, Show, Switch, type JSX } from 'solid-js';
import type { JSONValue } from '../../../../server/protocol/notebook.ts';
import type { TurnLog } from '../../../../server/protocol/turn-log.ts';
import { fetchTurnLog } from '../../api/assistant.ts';

interface ShownPart {
  kind: 'text' | 'image' | 'json';
  text: string;
}

function isObject(value: JSONValue | undefined): value is { [key: string]: JSONValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A message's parts for people: text as text, images as images, tool calls and anything else as JSON. */
function partsOf(message: JSONValue): ShownPart[] {
  if (!isObject(message)) return [{ kind: 'json', text: JSON.stringify(message, null, 2) }];
  const parts: ShownPart[] = [];
  const content = message['content'];
  if (typeof content === 'string') parts.push({ kind: 'text', text: content });
  else if (Array.isArray(content)) {
    for (const part of content) {
      const url = isObject(part) && isObject(part['image_url']) ? part['image_url']['url'] : undefined;
      if (isObject(part) && typeof part['text'] === 'string') parts.push({ kind: 'text', text: part['text'] });
      else if (typeof url === 'string' && url.startsWith('data:image/')) parts.push({ kind: 'image', text: url });
      else parts.push({ kind: 'json', text: JSON.stringify(part, null, 2) });
    }
  }
  if (message['tool_calls'] !== undefined) parts.push({ kind: 'json', text: JSON.stringify(message['tool_calls'], null, 2) });
  if (typeof message['omitted_chars'] === 'number') parts.push({ kind: 'text', text: `(${message['omitted_chars'].toLocaleString('en-US')} characters, left out of the record to keep it bounded)` });
  return parts;
}

const roleOf = (message: JSONValue) => (isObject(message) && typeof message['role'] === 'string' ? message['role'] : 'unknown');

function Requests(props: { log: TurnLog }): JSX.Element {
  // Messages a request repeats from an earlier one are counted, not shown again.
  const shownBefore = (index: number) => props.log.requests.slice(0, index).flatMap((r) => r.sent);
  return (
    <For each={props.log.requests}>
      {(request, index) => {
        const before = new Set(shownBefore(index()));
        const fresh = request.sent.filter((i) => !before.has(i));
        const repeated = request.sent.length - fresh.length;
        return (
          <section class="agent-sent-request" aria-label={`Request ${index() + 1}`}>
            <h3>
              Request {index() + 1}{' '}
              <span class="muted small">
                {request.usage ? `${request.usage.prompt_tokens.toLocaleString('en-US')} prompt · ${request.usage.completion_tokens.toLocaleString('en-US')} completion tokens` : 'usage not reported'}
              </span>
            </h3>
            <Show when={repeated > 0}>
              <p class="muted small">The {repeated} messages above, then:</p>
            </Show>
            <For each={fresh}>
              {(i) => (
                <div class="agent-sent-message" data-role={roleOf(props.log.messages[i] ?? null)}>
                  <p class="agent-sent-role">{roleOf(props.log.messages[i] ?? null)}</p>
                  <For each={partsOf(props.log.messages[i] ?? null)}>
                    {(part) => (
                      <Switch>
                        <Match when={part.kind === 'image'}>
                          <img class="agent-sent-image" src={part.text} alt="An image sent to the model" />
                        </Match>
                        <Match when={part.kind !== 'image'}>
                          <pre class="agent-sent-text">{part.text}</pre>
                        </Match>
                      </Switch>
                    )}
                  </For>
                </div>
              )}
            </For>
          </section>
        );
      }}
    </For>
  );
}

export function SentView(props: { path: string; turn: string; onClose: () => void }): JSX.Element {
  const [log] = createResource(() => fetchTurnLog(props.path, props.turn));
  return (
    <div class="dialog-backdrop" onKeyDown={(event) => event.key === 'Escape' && props.onClose()}>
      <div class="dialog agent-sent" role="dialog" aria-modal="true" aria-label="What was sent">
        <h2>What was sent to the model</h2>
        <Switch>
          <Match when={log.error}>
            <p class="agent-error" role="alert">
              {log.error instanceof Error ? log.error.message : String(log.error)}
            </p>
          </Match>
          <Match when={log()}>
            {(current) => (
              <>
                <p class="muted small">
                  {current().model} · {current().requests.length} request{current().requests.length === 1 ? '' : 's'} · started {new Date(current().started_at).toLocaleString()}
                  {current().truncated ? ' · some messages were too large to keep' : ''}
                </p>
                <Requests log={current()} />
                <details class="agent-sent-tools">
                  <summary>Tool definitions ({current().tools.length})</summary>
                  <pre class="agent-sent-text">{JSON.stringify(current().tools, null, 2)}</pre>
                </details>
              </>
            )}
          </Match>
        </Switch>
        <div class="dialog-actions">
          <button type="button" class="button" onClick={() => props.onClose()}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
