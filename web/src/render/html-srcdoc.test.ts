import { describe, expect, it } from 'vitest';
import { buildSrcdoc, createNonce, FRAME_HEIGHT_MESSAGE, HEIGHT_REPORTER, MAX_FRAME_HEIGHT, readFrameHeight } from './html-srcdoc.ts';

describe('buildSrcdoc', () => {
  const nonce = createNonce();

  it('starts with the CSP that only allows our nonce', () => {
    const doc = buildSrcdoc('<p>hi</p>', nonce);
    expect(doc.startsWith(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'`)).toBe(true);
    expect(doc.endsWith('<p>hi</p>')).toBe(true);
  });

  it('puts the output after our script, so it cannot take over the nonce', () => {
    const output = '<script>alert(1)</script><script src="https://evil.example/x.js"></script>';
    const doc = buildSrcdoc(output, nonce);
    expect(doc.indexOf(`<script nonce="${nonce}">`)).toBeLessThan(doc.indexOf(output));
    expect(doc.split(nonce)).toHaveLength(3);
    expect(HEIGHT_REPORTER).not.toContain(nonce);
  });

  it('takes the page theme in its style only, behind the same CSP', () => {
    const light = buildSrcdoc('<p>hi</p>', nonce);
    const dark = buildSrcdoc('<p>hi</p>', nonce, 'dark');
    expect(light).toContain('color-scheme:light');
    expect(dark).toContain('color-scheme:dark');
    expect(dark.slice(0, dark.indexOf('<meta charset'))).toBe(light.slice(0, light.indexOf('<meta charset')));
    expect(dark.slice(dark.indexOf('<script'))).toBe(light.slice(light.indexOf('<script')));
  });

  it('makes fresh, attribute-safe nonces and refuses weak ones', () => {
    expect(createNonce()).not.toBe(nonce);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(() => buildSrcdoc('', 'x" onload="alert(1)')).toThrow();
  });
});

describe('readFrameHeight', () => {
  it('accepts only our message, clamped', () => {
    expect(readFrameHeight({ type: FRAME_HEIGHT_MESSAGE, height: 120.2 })).toBe(121);
    expect(readFrameHeight({ type: FRAME_HEIGHT_MESSAGE, height: 1e9 })).toBe(MAX_FRAME_HEIGHT);
    expect(readFrameHeight({ type: 'other', height: 1 })).toBeNull();
    expect(readFrameHeight({ type: FRAME_HEIGHT_MESSAGE, height: 'big' })).toBeNull();
    expect(readFrameHeight('cellmate:frame-height')).toBeNull();
  });
});
