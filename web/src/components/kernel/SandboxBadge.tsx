import type { JSX } from 'solid-js';
import { sandboxSummary, type SandboxInfo } from '../../api/kernels.ts';
import { Icon } from '../Icon.tsx';

/**
 * A shield saying whether this notebook's code runs sandboxed (`data-sandbox` = on|off); the tooltip and the
 * accessible name say what that means, or why there is no sandbox.
 */
export function SandboxBadge(props: { sandbox: SandboxInfo }): JSX.Element {
  const summary = () => sandboxSummary(props.sandbox);
  return (
    <span class="sandbox-badge" data-sandbox={props.sandbox.enabled ? 'on' : 'off'} role="img" aria-label={summary()} title={summary()}>
      <Icon name={props.sandbox.enabled ? 'shield' : 'shieldOff'} size={15} />
    </span>
  );
}
