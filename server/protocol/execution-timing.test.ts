import { describe, expect, it } from 'vitest';
import { readRunSpan } from './execution-timing.ts';

const at = (iso: string) => Date.parse(iso);

describe('readRunSpan', () => {
  it("reads the kernel's start and the reply, as the execute-time extension does", () => {
    const execution = {
      'iopub.status.busy': '2026-03-02T14:03:11.000Z',
      'iopub.execute_input': '2026-03-02T14:03:11.050Z',
      'shell.execute_reply.started': '2026-03-02T14:03:11.100123Z',
      'shell.execute_reply': '2026-03-02T14:03:12.300456Z',
      'iopub.status.idle': '2026-03-02T14:03:12.400Z',
    };
    expect(readRunSpan({ execution })).toEqual({ startedAt: at('2026-03-02T14:03:11.100Z'), endedAt: at('2026-03-02T14:03:12.300Z'), failed: false });
  });

  it('falls back to execute_input, then busy, for the start', () => {
    const reply = { 'shell.execute_reply': '2026-03-02T14:03:12.000Z' };
    expect(readRunSpan({ execution: { ...reply, 'iopub.execute_input': '2026-03-02T14:03:11.000Z', 'iopub.status.busy': '2026-03-02T14:03:10.000Z' } })?.startedAt).toBe(
      at('2026-03-02T14:03:11.000Z'),
    );
    expect(readRunSpan({ execution: { ...reply, 'iopub.status.busy': '2026-03-02T14:03:10.000Z' } })?.startedAt).toBe(at('2026-03-02T14:03:10.000Z'));
  });

  it('ends a run that got no reply at its failure', () => {
    const execution = { 'iopub.execute_input': '2026-03-02T14:03:11.000Z', execution_failed: '2026-03-02T14:03:15.000Z' };
    expect(readRunSpan({ execution })).toEqual({ startedAt: at('2026-03-02T14:03:11.000Z'), endedAt: at('2026-03-02T14:03:15.000Z'), failed: true });
  });

  it('is null without a usable record', () => {
    expect(readRunSpan({})).toBeNull();
    expect(readRunSpan({ execution: 'yesterday' })).toBeNull();
    expect(readRunSpan({ execution: ['a'] })).toBeNull();
    expect(readRunSpan({ execution: { 'iopub.execute_input': 'not a date', 'shell.execute_reply': '2026-03-02T14:03:12.000Z' } })).toBeNull();
    expect(readRunSpan({ execution: { 'iopub.execute_input': '2026-03-02T14:03:11.000Z' } })).toBeNull();
  });
});
