import { describe, expect, it } from 'vitest';
import { folderOf, pythonString, relativePath } from './relative-path.ts';

describe('relativePath', () => {
  it('climbs out of the notebook folder to a sibling folder', () => {
    expect(relativePath('notebooks', 'data/x.csv')).toBe('../data/x.csv');
    expect(relativePath('notebooks/2024', 'data/x.csv')).toBe('../../data/x.csv');
  });

  it('goes down from the notebook folder, or stays in it', () => {
    expect(relativePath('', 'data/x.csv')).toBe('data/x.csv');
    expect(relativePath('data', 'data/raw/x.csv')).toBe('raw/x.csv');
    expect(relativePath('data', 'data/x.csv')).toBe('x.csv');
  });

  it('compares whole folder names, not prefixes', () => {
    expect(relativePath('data2', 'data/x.csv')).toBe('../data/x.csv');
  });

  it('treats a file named like the folder as a file', () => {
    expect(relativePath('a/b', 'a/b')).toBe('../b');
  });

  it('finds a notebook path folder', () => {
    expect(folderOf('notebooks/a.ipynb')).toBe('notebooks');
    expect(folderOf('a.ipynb')).toBe('');
  });
});

describe('pythonString', () => {
  it('quotes and escapes', () => {
    expect(pythonString('../data/x.csv')).toBe("'../data/x.csv'");
    expect(pythonString("it's.csv")).toBe(`"it's.csv"`);
    expect(pythonString(`a'b"c.csv`)).toBe(`'a\\'b"c.csv'`);
    expect(pythonString('back\\slash')).toBe("'back\\\\slash'");
  });
});
