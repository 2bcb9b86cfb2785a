/**
 * A two-route history router: a signal of the current route, `navigate`, and link clicks kept in the page.
 * `navigate` and `followLink` take links as `notebookHref`/`homeHref` make them (under the base path); the
 * route is read from the address bar without the base.
 */
import { createSignal, type Accessor } from 'solid-js';
import { appPath } from '../api/base-path.ts';
import { parseRoute, type Route } from './paths.ts';

const [pathname, setPathname] = createSignal(typeof location === 'undefined' ? '/' : location.pathname);

let listening = false;

/** Starts following the back and forward buttons; call once at startup. */
export function startRouter(): void {
  if (listening) return;
  listening = true;
  window.addEventListener('popstate', () => setPathname(location.pathname));
}

export const currentRoute: Accessor<Route> = () => parseRoute(appPath(pathname()));

export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (href === location.pathname + location.search) return;
  if (options.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  setPathname(location.pathname);
  window.scrollTo(0, 0);
}

/** For `<a href onClick>`: keeps plain left clicks in the page, lets modified clicks open new tabs. */
export function followLink(event: MouseEvent, href: string): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(href);
}
