import { describe, expect, it } from 'vitest';
import { formatSize } from './format-size.ts';
import { joinPath } from './upload-queue.ts';

describe('formatSize', () => {
  it('reads like a file manager', () => {
    expect([0, 812, 1229, 10 * 1024, 34 * 2 ** 20, 2 ** 40].map(formatSize)).toEqual(['0 B', '812 B', '1.2 KB', '10 KB', '34 MB', '1 TB']);
  });
});

describe('joinPath', () => {
  it('puts a name in a folder, the top folder being empty', () => {
    expect(joinPath('', 'a.csv')).toBe('a.csv');
    expect(joinPath('data/raw', 'a.csv')).toBe('data/raw/a.csv');
  });
});
