/**
 * One kernel per notebook, never shared, also when a notebook is reopened while its previous kernel is still
 * being shut down: Jupyter keeps one session per path and would otherwise hand back the dying kernel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelError } from '../../server/errors.ts';
import { startTestJupyter, type TestJupyter } from '../helpers/jupyter.ts';

let jupyter: TestJupyter;
beforeAll(async () => {
  jupyter = await startTestJupyter();
});
afterAll(async () => {
  await jupyter?.cleanup();
});

describe('kernels for one notebook path', () => {
  it('gives a notebook reopened during its old kernel\'s shutdown a kernel of its own', async () => {
    const first = await jupyter.provider.startKernel({ notebookPath: 'same.ipynb' });
    const closing = first.shutdown();
    const second = await jupyter.provider.startKernel({ notebookPath: 'same.ipynb' });
    await closing;
    expect(second.id).not.toBe(first.id);
    const result = await second.execute('21 * 2');
    expect(result).toMatchObject({ status: 'ok', outputs: [{ output_type: 'execute_result', data: { 'text/plain': '42' } }] });
    await second.shutdown();
  });

  it('refuses a second kernel for a notebook whose kernel is alive', async () => {
    const only = await jupyter.provider.startKernel({ notebookPath: 'busy.ipynb' });
    await expect(jupyter.provider.startKernel({ notebookPath: 'busy.ipynb' })).rejects.toThrowError(KernelError);
    expect((await only.execute('1 + 1')).status).toBe('ok');
    await only.shutdown();
  });
});
