import { describe, expect, it } from 'vitest';
import { notebookHref, parseRoute } from './paths.ts';

describe('routes', () => {
  it('round-trips workspace paths with folders, spaces and unicode', () => {
    for (const path of ['a.ipynb', 'sub dir/My notebook.ipynb', 'données/été #1.ipynb', 'a%20b.ipynb']) {
      expect(parseRoute(notebookHref(path))).toEqual({ name: 'notebook', path });
    }
    expect(notebookHref('sub dir/a.ipynb')).toBe('/notebooks/sub%20dir/a.ipynb');
  });

  it('knows the list and refuses the rest', () => {
    expect(parseRoute('/')).toEqual({ name: 'list' });
    expect(parseRoute('/elsewhere')).toEqual({ name: 'not_found', pathname: '/elsewhere' });
    expect(parseRoute('/notebooks/%E0%A4%A')).toEqual({ name: 'not_found', pathname: '/notebooks/%E0%A4%A' });
  });
});
