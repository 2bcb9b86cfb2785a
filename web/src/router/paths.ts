/**
 * The page's routes: `/` lists notebooks, `/notebooks/<workspace path>` opens one. Each path segment is
 * URL-encoded on its own, so `sub dir/a.ipynb` reads naturally as `/notebooks/sub%20dir/a.ipynb`. Routes are
 * app paths; links (`notebookHref`, `HOME_HREF`) are URLs under the base path (api/base-path.ts).
 */
import { appUrl } from '../api/base-path.ts';
export type Route = { name: 'list' } | { name: 'notebook'; path: string } | { name: 'not_found'; pathname: string };

const NOTEBOOK_PREFIX = '/notebooks/';

/** The link to a notebook's page. */
export function notebookHref(path: string): string {
  return appUrl(NOTEBOOK_PREFIX + path.split('/').map(encodeURIComponent).join('/'));
}

/** The link to the list of notebooks. */
export function homeHref(): string {
  return appUrl('/');
}

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '' || pathname === '/index.html') return { name: 'list' };
  if (!pathname.startsWith(NOTEBOOK_PREFIX)) return { name: 'not_found', pathname };
  try {
    const path = pathname.slice(NOTEBOOK_PREFIX.length).split('/').map(decodeURIComponent).join('/');
    return path ? { name: 'notebook', path } : { name: 'list' };
  } catch {
    return { name: 'not_found', pathname };
  }
}
