import { For, Show, type JSX } from 'solid-js';
import type { AgentStatus } from '../../api/agent.ts';
import type { AgentProvider } from '../../state/index.ts';

/**
 * Shown while no model is configured: the server's exact instructions, what it ignored, and one button per
 * model of each local server it found ("Use Ollama · llama3.1"). The notebook works the same without any.
 */
export function AgentSetup(props: { provider: AgentProvider; status: AgentStatus }): JSX.Element {
  const detected = () => props.status.detected ?? [];
  return (
    <section class="agent-setup" aria-label="Set up the assistant">
      <h3>No model configured</h3>
      <p class="agent-help">{props.status.help}</p>
      <Show when={props.status.problems?.length}>
        <ul class="agent-problems">
          <For each={props.status.problems}>{(problem) => <li>{problem}</li>}</For>
        </ul>
      </Show>
      <For each={detected()}>
        {(server) => (
          <div class="agent-detected">
            <Show when={server.models.length > 0} fallback={<p class="muted small">{server.name} is running at {server.base_url}, but has no models yet.</p>}>
              <For each={server.models}>
                {(model) => (
                  <button
                    type="button"
                    class="button small"
                    disabled={props.provider.busy()}
                    title={`Use ${model} from ${server.base_url}`}
                    onClick={() => void props.provider.configure({ base_url: server.base_url, model })}
                  >
                    Use {server.name} · {model}
                  </button>
                )}
              </For>
            </Show>
          </div>
        )}
      </For>
      <button type="button" class="button small" disabled={props.provider.busy()} onClick={() => void props.provider.refresh()}>
        Check again
      </button>
    </section>
  );
}
