import { describe, expect, it } from 'vitest';
import type { Loader } from 'vega';
import { refusingLoader, withoutEmbedOptions } from './vega.ts';

describe('refusingLoader', () => {
  it('refuses loads, sanitizing, http and files', async () => {
    const ok = () => Promise.resolve('data');
    const base: Loader = { load: ok, sanitize: () => Promise.resolve({ href: 'x' }), http: ok, file: ok };
    const loader = refusingLoader(base);
    await expect(loader.load('https://example.com/data.csv')).rejects.toThrow(/cannot load URLs/);
    await expect(loader.sanitize('https://example.com/a.png', { context: 'image' })).rejects.toThrow();
    await expect(loader.http('https://example.com', {})).rejects.toThrow();
    await expect(loader.file('/etc/passwd')).rejects.toThrow();
  });
});

describe('withoutEmbedOptions', () => {
  it('drops embed options carried by the spec, keeps the rest', () => {
    const spec = { mark: 'bar', usermeta: { embedOptions: { ast: false, actions: true }, note: 'kept' } };
    expect(withoutEmbedOptions(spec)).toEqual({ mark: 'bar', usermeta: { note: 'kept' } });
    const plain = { mark: 'point' };
    expect(withoutEmbedOptions(plain)).toBe(plain);
  });
});
