import { describe, expect, it } from 'vitest';
import { filenameFromDisposition, notebookApiPath } from './notebooks.ts';

describe('notebookApiPath', () => {
  it('encodes the workspace path as one segment', () => {
    expect(notebookApiPath('sub dir/My notebook.ipynb')).toBe('/api/notebooks/sub%20dir%2FMy%20notebook.ipynb');
  });
});

describe('filenameFromDisposition', () => {
  it('prefers the UTF-8 form', () => {
    expect(filenameFromDisposition(`attachment; filename="a.ipynb"; filename*=UTF-8''%C3%A9t%C3%A9.ipynb`)).toBe('été.ipynb');
  });
  it('reads quoted and bare names, and nothing', () => {
    expect(filenameFromDisposition('attachment; filename="sales report.ipynb"')).toBe('sales report.ipynb');
    expect(filenameFromDisposition('attachment; filename=x.ipynb')).toBe('x.ipynb');
    expect(filenameFromDisposition('attachment')).toBeNull();
    expect(filenameFromDisposition(null)).toBeNull();
  });
});
