import { KernelMessage } from '@jupyterlab/services';
import { describe, expect, it } from 'vitest';
import type { Output } from '../protocol/index.ts';
import { applyDisplayUpdate, OutputArea } from './outputs.ts';

// Messages built the way @jupyterlab/services deserialises them from the kernel's WebSocket.
const session = 'kernel-session';
const msg = {
  stream: (name: 'stdout' | 'stderr', text: string) =>
    KernelMessage.createMessage<KernelMessage.IStreamMsg>({
      msgType: 'stream',
      channel: 'iopub',
      session,
      content: { name, text },
    }),
  display: (data: KernelMessage.IDisplayDataMsg['content']['data'], displayId?: string) =>
    KernelMessage.createMessage<KernelMessage.IDisplayDataMsg>({
      msgType: 'display_data',
      channel: 'iopub',
      session,
      content: { data, metadata: {}, transient: displayId ? { display_id: displayId } : {} },
    }),
  update: (data: KernelMessage.IDisplayDataMsg['content']['data'], displayId: string) =>
    KernelMessage.createMessage<KernelMessage.IUpdateDisplayDataMsg>({
      msgType: 'update_display_data',
      channel: 'iopub',
      session,
      content: { data, metadata: { updated: true }, transient: { display_id: displayId } },
    }),
  result: (count: number, data: KernelMessage.IExecuteResultMsg['content']['data']) =>
    KernelMessage.createMessage<KernelMessage.IExecuteResultMsg>({
      msgType: 'execute_result',
      channel: 'iopub',
      session,
      content: { execution_count: count, data, metadata: {} },
    }),
  error: (ename: string, evalue: string) =>
    KernelMessage.createMessage<KernelMessage.IErrorMsg>({
      msgType: 'error',
      channel: 'iopub',
      session,
      content: { ename, evalue, traceback: [`\u001b[0;31m${ename}\u001b[0m: ${evalue}`] },
    }),
  clear: (wait: boolean) =>
    KernelMessage.createMessage<KernelMessage.IClearOutputMsg>({
      msgType: 'clear_output',
      channel: 'iopub',
      session,
      content: { wait },
    }),
  status: (execution_state: KernelMessage.Status) =>
    KernelMessage.createMessage<KernelMessage.IStatusMsg>({
      msgType: 'status',
      channel: 'iopub',
      session,
      content: { execution_state },
    }),
};

function run(...messages: KernelMessage.IIOPubMessage[]): Output[] {
  const area = new OutputArea();
  for (const message of messages) area.handle(message);
  return area.outputs;
}

describe('OutputArea', () => {
  it('turns an execute_result into an nbformat output', () => {
    expect(run(msg.result(3, { 'text/plain': '2' }))).toEqual([
      { output_type: 'execute_result', execution_count: 3, data: { 'text/plain': '2' }, metadata: {} },
    ]);
  });

  it('merges consecutive stream chunks of the same name only', () => {
    expect(
      run(msg.stream('stdout', 'a\n'), msg.stream('stdout', 'b\n'), msg.stream('stderr', 'warn\n'), msg.stream('stdout', 'c\n')),
    ).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'a\nb\n' },
      { output_type: 'stream', name: 'stderr', text: 'warn\n' },
      { output_type: 'stream', name: 'stdout', text: 'c\n' },
    ]);
  });

  it('overwrites progress lines written with \\r across messages', () => {
    const outputs = run(
      msg.stream('stderr', 'loading\n'),
      msg.stream('stderr', '\r  0%|          | 0/3'),
      msg.stream('stderr', '\r 33%|###       | 1/3'),
      msg.stream('stderr', '\r100%|##########| 3/3\n'),
    );
    expect(outputs).toEqual([{ output_type: 'stream', name: 'stderr', text: 'loading\n100%|##########| 3/3\n' }]);
  });

  it('starts a new stream after a display, and forgets a pending \\r there', () => {
    const outputs = run(msg.stream('stdout', 'x\r'), msg.display({ 'text/plain': 'fig' }), msg.stream('stdout', 'y'));
    expect(outputs.map((o) => (o.output_type === 'stream' ? o.text : o.output_type))).toEqual(['x', 'display_data', 'y']);
  });

  it('joins multiline text values and keeps JSON mime types as JSON', () => {
    const [output] = run(
      msg.display({
        'text/html': ['<table>\n', '<tr><td>1</td></tr>\n', '</table>'],
        'image/png': 'iVBORw0KGgo=\n',
        'application/vnd.vegalite.v4+json': { mark: 'bar', data: { values: [{ a: 1 }] } },
        'text/plain': '<Figure size 640x480 with 1 Axes>',
      }),
    );
    expect(output).toEqual({
      output_type: 'display_data',
      data: {
        'text/html': '<table>\n<tr><td>1</td></tr>\n</table>',
        'image/png': 'iVBORw0KGgo=\n',
        'application/vnd.vegalite.v4+json': { mark: 'bar', data: { values: [{ a: 1 }] } },
        'text/plain': '<Figure size 640x480 with 1 Axes>',
      },
      metadata: {},
    });
  });

  it('keeps error outputs', () => {
    expect(run(msg.stream('stdout', 'before\n'), msg.error('ZeroDivisionError', 'division by zero'))).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'before\n' },
      {
        output_type: 'error',
        ename: 'ZeroDivisionError',
        evalue: 'division by zero',
        traceback: ['\u001b[0;31mZeroDivisionError\u001b[0m: division by zero'],
      },
    ]);
  });

  it('clears at once with clear_output(), and at the next output with clear_output(wait=True)', () => {
    expect(run(msg.stream('stdout', 'old'), msg.clear(false))).toEqual([]);

    const area = new OutputArea();
    area.handle(msg.stream('stdout', 'frame 1'));
    expect(area.handle(msg.clear(true))).toBe(false);
    expect(area.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'frame 1' }]);
    expect(area.handle(msg.stream('stdout', 'frame 2'))).toBe(true);
    expect(area.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'frame 2' }]);
  });

  it('does not let an update_display_data trigger a waiting clear', () => {
    const area = new OutputArea();
    area.handle(msg.display({ 'text/plain': 'v1' }, 'd1'));
    area.handle(msg.clear(true));
    area.handle(msg.update({ 'text/plain': 'v2' }, 'd1'));
    expect(area.outputs).toHaveLength(1);
    area.handle(msg.display({ 'text/plain': 'next' }));
    expect(area.outputs).toEqual([{ output_type: 'display_data', data: { 'text/plain': 'next' }, metadata: {} }]);
  });

  it('replaces every output with the updated display_id and keeps its transient id', () => {
    const area = new OutputArea();
    area.handle(msg.display({ 'text/plain': 'v1' }, 'progress'));
    area.handle(msg.display({ 'text/plain': 'other' }, 'other'));
    area.handle(msg.display({ 'text/plain': 'v1 again' }, 'progress'));
    expect(area.handle(msg.update({ 'text/plain': 'v2' }, 'progress'))).toBe(true);
    expect(area.outputs).toEqual([
      { output_type: 'display_data', data: { 'text/plain': 'v2' }, metadata: { updated: true }, transient: { display_id: 'progress' } },
      { output_type: 'display_data', data: { 'text/plain': 'other' }, metadata: {}, transient: { display_id: 'other' } },
      { output_type: 'display_data', data: { 'text/plain': 'v2' }, metadata: { updated: true }, transient: { display_id: 'progress' } },
    ]);
    expect(area.handle(msg.update({ 'text/plain': 'x' }, 'elsewhere'))).toBe(false);
  });

  it('ignores messages that are not outputs', () => {
    const area = new OutputArea();
    expect(area.handle(msg.status('busy'))).toBe(false);
    expect(area.outputs).toEqual([]);
  });

  it('never mutates a list or an output it handed out', () => {
    const area = new OutputArea();
    area.handle(msg.stream('stdout', 'a'));
    const before = area.outputs;
    const snapshot = structuredClone(before);
    area.handle(msg.stream('stdout', 'b'));
    area.handle(msg.clear(false));
    expect(before).toEqual(snapshot);
  });
});

describe('OutputArea caps', () => {
  it('cuts a stream at its cap with a visible note, and drops what follows on it', () => {
    const area = new OutputArea({ maxStreamChars: 10 });
    area.handle(msg.stream('stdout', '0123456'));
    area.handle(msg.stream('stdout', '789abcdef'));
    area.handle(msg.stream('stdout', 'more'));
    const [output] = area.outputs;
    expect(output?.output_type === 'stream' && output.text).toMatch(/^0123456789\n\[Output truncated: limits: /);
    expect(area.outputs).toHaveLength(1);
  });

  it('omits outputs past the count cap and says how many', () => {
    const area = new OutputArea({ maxOutputs: 2 });
    for (let i = 0; i < 5; i++) area.handle(msg.display({ 'text/plain': `${i}` }));
    const outputs = area.outputs;
    expect(outputs).toHaveLength(3);
    expect(outputs[2]).toEqual({
      output_type: 'display_data',
      data: { 'text/plain': expect.stringMatching(/^\[Output truncated: 3 more outputs omitted \(limits: .* 2 outputs per cell\)\]$/) },
      metadata: { cellmate: { truncated: true } },
    });
  });

  it('omits outputs past the size cap of the cell, and starts over after a clear', () => {
    const area = new OutputArea({ maxTotalChars: 1_000 });
    area.handle(msg.display({ 'image/png': 'A'.repeat(800) }));
    area.handle(msg.display({ 'image/png': 'B'.repeat(800) }));
    area.handle(msg.stream('stdout', 'after'));
    expect(area.outputs.map((o) => o.output_type)).toEqual(['display_data', 'display_data']);
    expect(JSON.stringify(area.outputs[1])).toContain('2 more outputs omitted');
    area.handle(msg.clear(false));
    area.handle(msg.stream('stdout', 'fresh'));
    expect(area.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'fresh' }]);
  });

  it('counts streams against the cell total', () => {
    const area = new OutputArea({ maxTotalChars: 20, maxStreamChars: 100 });
    area.handle(msg.display({ 'text/plain': '0123456789' }));
    area.handle(msg.stream('stdout', 'abcdefghijklmnop'));
    const stream = area.outputs[1];
    expect(stream?.output_type === 'stream' && stream.text.startsWith('abcdefghij\n[Output truncated')).toBe(true);
  });

  it('turns a display that an update grows past the cap into a note', () => {
    const area = new OutputArea({ maxTotalChars: 100 });
    area.handle(msg.display({ 'text/plain': 'small' }, 'd'));
    area.handle(msg.update({ 'text/plain': 'x'.repeat(500) }, 'd'));
    expect(area.outputs).toEqual([
      {
        output_type: 'display_data',
        data: { 'text/plain': expect.stringMatching(/^\[Display omitted: /) },
        metadata: { cellmate: { truncated: true } },
        transient: { display_id: 'd' },
      },
    ]);
  });
});

describe('applyDisplayUpdate', () => {
  it('returns the same list when no output carries the display id', () => {
    const outputs: Output[] = [{ output_type: 'stream', name: 'stdout', text: 'x' }];
    expect(applyDisplayUpdate(outputs, 'd', { 'text/plain': 'y' }, {})).toBe(outputs);
  });
});
