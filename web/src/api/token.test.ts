import { describe, expect, it } from 'vitest';
import { initToken, TOKEN_STORAGE_KEY } from './token.ts';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
}

describe('initToken', () => {
  it('takes the token from the URL, stores it and removes it from the address bar', () => {
    const storage = memoryStorage({ [TOKEN_STORAGE_KEY]: 'old' });
    let replaced = '';
    const token = initToken({
      location: { href: 'http://127.0.0.1:8765/notebooks/a.ipynb?token=new&x=1#h' },
      storage,
      replaceUrl: (u) => (replaced = u),
    });
    expect(token).toBe('new');
    expect(storage.data.get(TOKEN_STORAGE_KEY)).toBe('new');
    expect(replaced).toBe('/notebooks/a.ipynb?x=1#h');
  });

  it('falls back to the stored token and leaves the URL alone', () => {
    let replaced: string | null = null;
    const token = initToken({
      location: { href: 'http://127.0.0.1:8765/' },
      storage: memoryStorage({ [TOKEN_STORAGE_KEY]: 'kept' }),
      replaceUrl: (u) => (replaced = u),
    });
    expect(token).toBe('kept');
    expect(replaced).toBeNull();
  });

  it('survives storage that throws', () => {
    const storage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(initToken({ location: { href: 'http://h/' }, storage, replaceUrl: () => {} })).toBeNull();
    expect(initToken({ location: { href: 'http://h/?token=t' }, storage, replaceUrl: () => {} })).toBe('t');
  });
});
