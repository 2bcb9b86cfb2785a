/**
 * A kernel provider for tests that never run code (routes, files, saving, the assistant's bookkeeping): any
 * attempt to start a kernel fails loudly, so a test that needs one by mistake says so.
 */
import type { KernelProvider } from '../../server/kernels/types.ts';

export const noKernels: KernelProvider = {
  startKernel: () => Promise.reject(new Error('no kernels in this test')),
  listKernelSpecs: () => Promise.resolve({ default: 'python3', specs: [] }),
  dispose: () => Promise.resolve(),
};
