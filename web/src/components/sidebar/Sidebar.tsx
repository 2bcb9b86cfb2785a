/**
 * The notebook page's left sidebar: a rail of tabs (one per panel in SIDEBAR_PANELS) and the open panel beside
 * it. A tab's click opens its panel, a second click closes it, as JupyterLab's left area does.
 * Stable hooks: `aside[data-sidebar]` with `data-open` = the open panel's id or "" and `data-overlay`; tabs are
 * buttons with role "tab" named by the panel's label ("Files", "Contents"); the open panel is
 * `[data-sidebar-panel=<id>]` (role "tabpanel"); the button "Hide sidebar" closes it.
 */
import { For, Show, type JSX } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import { Icon } from '../Icon.tsx';
import { SIDEBAR_PANELS } from './panels.tsx';
import type { SidebarLayout } from './sidebar-layout.ts';

export function Sidebar(props: { layout: SidebarLayout }): JSX.Element {
  const activePanel = () => SIDEBAR_PANELS.find((panel) => panel.id === props.layout.active());
  const tabId = (id: string) => `sidebar-tab-${id}`;
  return (
    <aside
      class="sidebar"
      classList={{ 'is-open': activePanel() !== undefined, 'is-overlay': props.layout.isOverlay() }}
      aria-label="Sidebar"
      data-sidebar=""
      data-open={activePanel()?.id ?? ''}
      data-overlay={String(props.layout.isOverlay())}
    >
      <nav class="sidebar-rail" role="tablist" aria-orientation="vertical" aria-label="Sidebar panels">
        <For each={SIDEBAR_PANELS}>
          {(panel) => (
            <button
              type="button"
              role="tab"
              id={tabId(panel.id)}
              class="sidebar-tab"
              classList={{ 'is-active': panel.id === activePanel()?.id }}
              aria-label={panel.label}
              aria-selected={panel.id === activePanel()?.id}
              title={panel.id === activePanel()?.id ? `Hide ${panel.label}` : panel.label}
              onClick={() => props.layout.toggle(panel.id)}
            >
              <Icon name={panel.icon} size={20} />
            </button>
          )}
        </For>
      </nav>
      <Show when={activePanel()}>
        {(panel) => (
          <div class="sidebar-panel" role="tabpanel" aria-labelledby={tabId(panel().id)} data-sidebar-panel={panel().id}>
            <header class="sidebar-panel-header">
              <h2 class="sidebar-title">{panel().label}</h2>
              <button type="button" class="icon-button" aria-label="Hide sidebar" title="Hide the sidebar" onClick={() => props.layout.close()}>
                <Icon name="back" />
              </button>
            </header>
            <div class="sidebar-panel-body">
              <Dynamic component={panel().component} />
            </div>
          </div>
        )}
      </Show>
    </aside>
  );
}
