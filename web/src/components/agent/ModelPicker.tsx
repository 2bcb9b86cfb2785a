import { For, type JSX } from 'solid-js';
import type { AgentProvider } from '../../state/index.ts';

/** The model for the next prompts: the endpoint's list, with the configured model first when it is missing. */
export function ModelPicker(props: { provider: AgentProvider }): JSX.Element {
  const options = () => {
    const current = props.provider.model();
    const list = props.provider.models();
    return current && !list.includes(current) ? [current, ...list] : list;
  };
  const title = () => {
    const status = props.provider.status();
    const where = status?.base_url ? `Models at ${status.base_url}` : 'Models';
    return props.provider.modelsProblem() ? `${where} (the list could not be read: ${props.provider.modelsProblem()})` : where;
  };
  return (
    <select
      class="agent-model"
      aria-label="Model"
      title={title()}
      disabled={options().length === 0}
      onChange={(event) => props.provider.chooseModel(event.currentTarget.value)}
    >
      {/* `selected` per option: a value set on the select before its options exist would be lost. */}
      <For each={options()}>
        {(model) => (
          <option value={model} selected={model === props.provider.model()}>
            {model}
          </option>
        )}
      </For>
    </select>
  );
}
