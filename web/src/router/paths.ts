/**
 * The page's routes: `/` lists notebooks, `/notebooks/<workspace path>` opens one. Each path segment is
 * URL-encoded on its own, so `sub dir/a.ipynb` reads naturally as `/notebooks/sub%20dir/a.ipynb`.
 */
export type Route = { name: 'list' } | { name: 'notebook'; path: string } | { name: 'not_found'; pathname: string };

const NOTEBOOK_PREFIX = '/notebooks/';

export function notebookHref(path: string): string {
  return NOTEBOOK_PREFIX + path.split('/').map(encodeURIComponent).join('/');
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
