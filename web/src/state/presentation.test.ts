import { describe, expect, it } from 'vitest';
import { CellId } from '../../../server/protocol/ids.ts';
import { createCell, type CodeCellDoc } from '../../../server/protocol/notebook.ts';
import { displayedKernelState, executionPrompt, kernelLabel } from './presentation.ts';

describe('executionPrompt', () => {
  const code: CodeCellDoc = { id: CellId.from('a'), cell_type: 'code', source: 'x', metadata: {}, execution_count: null, outputs: [] };
  it('shows [ ] before any run, [*] while queued or running, [n] after', () => {
    expect(executionPrompt(code, undefined)).toBe('[ ]');
    expect(executionPrompt(code, { status: 'queued' })).toBe('[*]');
    expect(executionPrompt({ ...code, execution_count: 4 }, { status: 'running' })).toBe('[*]');
    expect(executionPrompt({ ...code, execution_count: 4 }, { status: 'ok' })).toBe('[4]');
    expect(executionPrompt(createCell('markdown', '# x'), undefined)).toBe('');
  });
});

describe('displayedKernelState', () => {
  it('says disconnected whenever the socket is not open', () => {
    expect(displayedKernelState('open', { state: 'busy' })).toBe('busy');
    expect(displayedKernelState('reconnecting', { state: 'idle' })).toBe('disconnected');
    expect(kernelLabel('not_started')).toBe('No kernel');
  });
});
