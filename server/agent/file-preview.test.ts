import { describe, expect, it } from 'vitest';
import { describeFile, imageSize } from './file-preview.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('file previews', () => {
  it('reads the pixel size from PNG, GIF and JPEG headers', () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAbAAAAEgCAYAAAA', 'base64');
    expect(imageSize(png)).toEqual({ format: 'PNG', width: 432, height: 288 });
    expect(imageSize(Buffer.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x0a, 0x00, 0x05, 0x00]))).toEqual({ format: 'GIF', width: 10, height: 5 });
    // SOI, an APP0 segment of 4 bytes, then SOF0: precision 8, height 3, width 7.
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x03, 0x00, 0x07, 0x03]);
    expect(imageSize(jpeg)).toEqual({ format: 'JPEG', width: 7, height: 3 });
    expect(imageSize(bytes('not an image at all, just text'))).toBeNull();
  });

  it("shows a CSV's header and first five rows, cut lines, and never a partial last line", () => {
    const csv = `a,b\n${Array.from({ length: 20 }, (_, i) => `${i},${i === 1 ? 'y'.repeat(1000) : 'v'}`).join('\n')}\n`;
    const text = describeFile('t.csv', csv.length, bytes(csv), 3000);
    expect(text.split('\n')).toEqual(['CSV file, 1.1 kB. Header and first 5 rows:', 'a,b', '0,v', `1,${'y'.repeat(298)}…`, '2,v', '3,v', '4,v']);
    // A read that stopped inside the first data line: only whole lines.
    expect(describeFile('t.csv', 10_000, bytes('a,b\n0,v\n1,vv'), 3000)).toBe('CSV file, 9.8 kB. Header and first 1 rows:\na,b\n0,v');
  });

  it('gives the size only of a binary file, and the first lines of a text file', () => {
    expect(describeFile('x.bin', 5, new Uint8Array([1, 0, 2, 3, 4]), 3000)).toBe('Binary file, 5 B (contents not shown).');
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    const text = describeFile('notes.txt', lines.length, bytes(lines), 3000);
    expect(text).toMatch(/^Text file, 389 B\. First 30 lines:\nline 0\n[\s\S]*line 29\n\[… the rest of the file is not shown\]$/);
  });
});
