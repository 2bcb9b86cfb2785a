/**
 * The access token. `npm start` prints `http://127.0.0.1:8765/?token=T`; the page keeps T in localStorage so
 * reloads and deep links keep working, and takes `?token=` out of the address bar so it isn't shared by a
 * copied link or a screenshot.
 */
export const TOKEN_STORAGE_KEY = 'cellmate.token';

let current: string | null = null;

/** What `initToken` needs from the browser; a parameter so the logic runs in tests without a DOM. */
export interface TokenEnvironment {
  location: { href: string };
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  replaceUrl: (url: string) => void;
}

/**
 * Reads `?token=` (preferred, it is the newest) or the stored token, stores it, and cleans the URL.
 *
 * @example
 *   initToken({ location: window.location, storage: localStorage, replaceUrl: (u) => history.replaceState(history.state, '', u) });
 */
export function initToken(env: TokenEnvironment): string | null {
  const url = new URL(env.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    safeSet(env.storage, fromUrl);
    url.searchParams.delete('token');
    env.replaceUrl(url.pathname + url.search + url.hash);
    current = fromUrl;
  } else {
    current = safeGet(env.storage);
  }
  return current;
}

export function getToken(): string | null {
  return current;
}

/** For tests and for a page that learns a new token. */
export function setToken(token: string | null): void {
  current = token;
}

// Storage can throw (privacy modes, disabled storage): the token then lives for this page only.
function safeGet(storage: TokenEnvironment['storage']): string | null {
  try {
    return storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

function safeSet(storage: TokenEnvironment['storage'], token: string): void {
  try {
    storage?.setItem(TOKEN_STORAGE_KEY, token);
  } catch {
    // Nothing to do: the in-memory token still works until the page is closed.
  }
}
