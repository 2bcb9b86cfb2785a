import { describe, expect, it } from 'vitest';
import { base64ImageUrl, svgDataUrl } from './data-url.ts';

describe('data URLs', () => {
  it('encodes SVG so quotes and hashes cannot break out of the URL', () => {
    const url = svgDataUrl('<svg xmlns="http://www.w3.org/2000/svg"><text fill="#f00">"hi"</text></svg>');
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,%3Csvg')).toBe(true);
    expect(url).not.toMatch(/["#<>]/);
  });

  it('accepts base64 with line breaks and refuses anything else', () => {
    expect(base64ImageUrl('image/png', 'iVBO\nRw0K')).toBe('data:image/png;base64,iVBORw0K');
    expect(base64ImageUrl('image/png', 'x" onerror="alert(1)')).toBeNull();
    expect(base64ImageUrl('image/svg+xml', 'PHN2Zz4=')).toBeNull();
  });
});
