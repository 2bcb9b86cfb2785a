/**
 * The two kinds of code requests a kernel handle makes: a cell's run (outputs into an `OutputArea`, stdin when
 * the caller can answer it) and a silent evaluation (stdout back, for helpers). Neither ever waits on a kernel
 * that restarted, died or vanished: the handle's termination ends them with a reason.
 */
import { KernelMessage, type Kernel } from '@jupyterlab/services';
import type { ExecutionTiming } from '../protocol/index.ts';
import { OutputArea, type OutputCaps } from './outputs.ts';
import type { ExecutionListener, ExecutionResult } from './types.ts';

/** Why requests in flight can no longer complete; `failed` when it was not asked for (death, lost server). */
export interface Termination {
  reason: string;
  failed: boolean;
}

/** A pending termination: resolves when the requests in flight can no longer complete. */
export interface TerminationWatch {
  promise: Promise<Termination>;
  cancel: () => void;
}

/** What the requests need from their handle. */
export interface RequestContext {
  kernel: Kernel.IKernelConnection;
  outputCaps?: Partial<OutputCaps> | undefined;
  /** Why the kernel can't take requests now (dead, shut down), or undefined. */
  unavailable(): string | undefined;
  termination(): TerminationWatch;
  interrupt(): Promise<void>;
  /** Marks a request as running until the returned function is called (an interrupt may escalate for it). */
  begin(): () => void;
}

/** What `input()` gets when nobody can answer: ipykernel raises EOFError for it. */
const EOF = '\x04';

export async function runExecute(ctx: RequestContext, code: string, listener: ExecutionListener): Promise<ExecutionResult> {
  const unavailable = ctx.unavailable();
  if (unavailable) return { status: 'aborted', execution_count: null, outputs: [], message: unavailable };

  const end = ctx.begin();
  try {
    return await execute(ctx, code, listener);
  } finally {
    end();
  }
}

async function execute(ctx: RequestContext, code: string, listener: ExecutionListener): Promise<ExecutionResult> {
  const area = new OutputArea(ctx.outputCaps);
  let executionCount: number | null = null;
  // As JupyterLab's `recordTiming`: the kernel's own time of each message (now, for a kernel that sends none).
  const timing: ExecutionTiming = {};
  const stamp = (date: string | undefined) => date || new Date().toISOString();
  const termination = ctx.termination();
  const onInput = listener.onInput;
  // Cells run one at a time from our queue, which decides itself what an error means for the next ones. Without
  // someone to answer, stdin stays off: `input()` then fails at once instead of waiting forever.
  const future = ctx.kernel.requestExecute({ code, allow_stdin: onInput !== undefined, stop_on_error: false });
  listener.onStart?.();
  future.onIOPub = (msg) => {
    if (KernelMessage.isStatusMsg(msg)) {
      const state = msg.content.execution_state;
      if (state === 'busy' || state === 'idle') timing[`iopub.status.${state}`] = stamp(msg.header.date);
    } else if (KernelMessage.isExecuteInputMsg(msg)) {
      timing['iopub.execute_input'] = stamp(msg.header.date);
      executionCount = msg.content.execution_count;
      listener.onExecutionCount?.(executionCount);
    } else if (area.handle(msg)) {
      listener.onOutputs?.(area.outputs);
    }
  };
  if (onInput) {
    future.onStdin = async (msg) => {
      if (!KernelMessage.isInputRequestMsg(msg)) return;
      const value = await onInput({ prompt: msg.content.prompt, password: msg.content.password }).catch(() => null);
      if (!future.isDisposed) future.sendInputReply({ status: 'ok', value: value ?? EOF }, msg.header);
    };
  }
  let reply: KernelMessage.IExecuteReplyMsg['content'] | undefined;
  future.onReply = (msg) => {
    reply = msg.content;
    // Not in the protocol, but ipykernel says when it began running the code.
    const started = msg.metadata['started'];
    if (typeof started === 'string') timing['shell.execute_reply.started'] = started;
    timing['shell.execute_reply'] = stamp(msg.header.date);
  };
  const ended = await Promise.race([future.done.then(() => undefined, whyCanceled(termination)), termination.promise]);
  termination.cancel();
  if (ended !== undefined || !reply) {
    future.dispose();
    const { reason, failed } = ended ?? { reason: 'The kernel did not reply', failed: true };
    timing.execution_failed = new Date().toISOString();
    return { status: failed ? 'error' : 'aborted', execution_count: executionCount, outputs: area.outputs, message: reason, timing };
  }
  if (reply.execution_count !== undefined) executionCount = reply.execution_count;
  const status = reply.status === 'ok' ? 'ok' : reply.status === 'error' ? 'error' : 'aborted';
  const result: ExecutionResult = { status, execution_count: executionCount, outputs: area.outputs, timing };
  if (status === 'aborted') result.message = 'The kernel aborted this request';
  return result;
}

export async function runEvaluate(
  ctx: RequestContext,
  code: string,
  options: { timeoutMs: number },
): Promise<{ stdout: string; error?: string }> {
  const unavailable = ctx.unavailable();
  if (unavailable) return { stdout: '', error: unavailable };
  const end = ctx.begin();
  try {
    return await evaluate(ctx, code, options);
  } finally {
    end();
  }
}

async function evaluate(ctx: RequestContext, code: string, options: { timeoutMs: number }): Promise<{ stdout: string; error?: string }> {
  const termination = ctx.termination();
  const future = ctx.kernel.requestExecute({ code, silent: true, store_history: false, allow_stdin: false });
  let stdout = '';
  let started = false;
  let error: string | undefined;
  future.onIOPub = (msg) => {
    if (KernelMessage.isStatusMsg(msg) && msg.content.execution_state === 'busy') started = true;
    else if (KernelMessage.isStreamMsg(msg) && msg.content.name === 'stdout') stdout += msg.content.text;
  };
  future.onReply = (msg) => {
    if (msg.content.status === 'error') error = `${msg.content.ename}: ${msg.content.evalue}`;
    else if (msg.content.status !== 'ok') error = 'The kernel aborted this request';
  };
  const timedOut: Termination = { reason: `Timed out after ${options.timeoutMs} ms`, failed: true };
  const timeout = after(options.timeoutMs, timedOut);
  const ended = await Promise.race([
    future.done.then(() => undefined, whyCanceled(termination)),
    termination.promise,
    timeout.promise,
  ]);
  timeout.cancel();
  termination.cancel();
  if (ended === undefined) return error === undefined ? { stdout } : { stdout, error };
  future.dispose();
  // Only interrupt code that is ours: before it starts, the kernel is still busy with someone else's cell.
  if (started && ended === timedOut) await ctx.interrupt().catch(() => undefined);
  return { stdout, error: ended.reason };
}

/**
 * `done` rejects when the connection drops its futures (restart, death, dispose); the status change that says
 * why comes with it, but not always first.
 */
function whyCanceled(termination: TerminationWatch): () => Promise<Termination> {
  return () => {
    const fallback = after<Termination>(1_000, { reason: 'The request was canceled', failed: true });
    return Promise.race([termination.promise, fallback.promise]).finally(fallback.cancel);
  };
}

/** Resolves with `value` after `ms` unless canceled first. */
export function after<T>(ms: number, value: T): { promise: Promise<T>; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(value), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/**
 * Python that moves a kernel started in the server's root to the folder of `notebookPath` (or its nearest
 * existing parent, as Jupyter picks a new kernel's folder), with `PWD`, IPython's `_dh` and `JPY_SESSION_NAME`
 * (which Jupyter sets to the notebook's path; some libraries read it) to match. It runs in `exec` with its own
 * globals: nothing of it lands in the user's namespace.
 *
 * @example
 *   relocationCode('sales/q1/report.ipynb') // exec("import os\ntarget = os.path.join(os.getcwd(), *[\"sales\",\"q1\"])…", {})
 */
export function relocationCode(notebookPath: string): string {
  const apiPath = notebookPath.replace(/\\/g, '/').replace(/^\/+/, '');
  const folders = apiPath.split('/').filter((part) => part !== '' && part !== '.').slice(0, -1);
  const source = [
    'import os',
    `os.environ['JPY_SESSION_NAME'] = ${JSON.stringify(apiPath)}`,
    `target = os.path.join(os.getcwd(), *${JSON.stringify(folders)})`,
    'while not os.path.isdir(target): target = os.path.dirname(target)',
    'os.chdir(target)',
    "os.environ['PWD'] = target",
    'ip = __import__("IPython").get_ipython()',
    "if ip is not None: ip.user_ns['_dh'] = [target]",
  ].join('\n');
  return `exec(${JSON.stringify(source)}, {})`;
}

/** `3 s`, `1.5 s`. */
export function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
