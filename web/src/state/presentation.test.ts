import { describe, expect, it } from 'vitest';
import { CellId } from '../../../server/protocol/ids.ts';
import { createCell, type CodeCellDoc } from '../../../server/protocol/notebook.ts';
import { describeRunMessage, displayedKernelState, executionPrompt, kernelLabel } from './presentation.ts';

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

describe('describeRunMessage', () => {
  const failed: CodeCellDoc = { id: CellId.from('f00d'), cell_type: 'code', source: '1/0', metadata: {}, execution_count: 3, outputs: [] };
  const fresh: CodeCellDoc = { ...failed, id: CellId.from('beef'), execution_count: null };
  it('names a cell by its prompt, or by its position when it never ran', () => {
    expect(describeRunMessage('Not run because cell f00d raised an error', [fresh, failed])).toBe('Not run because cell [3] raised an error');
    expect(describeRunMessage('Not run because cell beef was interrupted', [fresh, failed])).toBe('Not run because cell 1 was interrupted');
    expect(describeRunMessage('Kernel restarted', [fresh, failed])).toBe('Kernel restarted');
  });
});
