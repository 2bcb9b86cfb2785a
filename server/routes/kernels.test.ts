import { describe, expect, it } from 'vitest';
import { withKernelspec } from './kernels.ts';

describe('withKernelspec', () => {
  const r = { name: 'ir', display_name: 'R', language: 'R' };

  it('names the new kernel and keeps the rest of the metadata', () => {
    const metadata = {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      language_info: { name: 'python', version: '3.11.2' },
      cellmate: { conversation: [] },
    };
    expect(withKernelspec(metadata, r)).toEqual({
      kernelspec: { name: 'ir', display_name: 'R', language: 'R' },
      language_info: { name: 'R' },
      cellmate: { conversation: [] },
    });
  });

  it('keeps language details when the language stays the same', () => {
    const metadata = { language_info: { name: 'python', version: '3.11.2' } };
    const other = { name: 'python3-alt', display_name: 'Python (alt)', language: 'python' };
    expect(withKernelspec(metadata, other).language_info).toEqual({ name: 'python', version: '3.11.2' });
  });
});
