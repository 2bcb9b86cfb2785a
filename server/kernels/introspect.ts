/**
 * The editor's questions to a kernel: `complete_request` and `inspect_request`. They go on the shell channel,
 * where a kernel answers one request at a time, so behind running code they would wait as long as it runs: each
 * has a time limit, after which the answer is empty (the reply, if it ever comes, is dropped by the library).
 */
import { noCompletion, noInspection, type Completion, type Inspection } from '../protocol/index.ts';
import { toJSONObject, toMimeBundle } from './outputs.ts';
import { after, type RequestContext } from './kernel-requests.ts';

type Asked<T> = { reply: T } | { failed: 'timeout' | 'error' };

/** Waits for `request` at most `timeoutMs`, and not past the kernel's end (death, restart, shutdown). */
async function ask<T>(ctx: RequestContext, request: Promise<T>, timeoutMs: number): Promise<Asked<T>> {
  const termination = ctx.termination();
  const timeout = after<Asked<T>>(timeoutMs, { failed: 'timeout' });
  try {
    return await Promise.race([
      // A request the library cancels (the kernel restarted or its connection closed) rejects.
      request.then((reply): Asked<T> => ({ reply }), (): Asked<T> => ({ failed: 'error' })),
      termination.promise.then((): Asked<T> => ({ failed: 'error' })),
      timeout.promise,
    ]);
  } finally {
    timeout.cancel();
    termination.cancel();
  }
}

export async function runComplete(ctx: RequestContext, code: string, cursorPos: number, options: { timeoutMs: number }): Promise<Completion> {
  if (ctx.unavailable()) return noCompletion('no_kernel', cursorPos);
  const asked = await ask(ctx, ctx.kernel.requestComplete({ code, cursor_pos: cursorPos }), options.timeoutMs);
  if ('failed' in asked) return noCompletion(asked.failed, cursorPos);
  const content = asked.reply.content;
  if (content.status !== 'ok') return noCompletion('error', cursorPos);
  return {
    status: 'ok',
    matches: content.matches.filter((match) => typeof match === 'string'),
    cursor_start: content.cursor_start,
    // Some kernels leave the end out: the cursor, as JupyterLab assumes.
    cursor_end: content.cursor_end ?? cursorPos,
    metadata: toJSONObject(content.metadata),
  };
}

export async function runInspect(
  ctx: RequestContext,
  code: string,
  cursorPos: number,
  options: { detailLevel: 0 | 1; timeoutMs: number },
): Promise<Inspection> {
  if (ctx.unavailable()) return noInspection('no_kernel');
  const request = ctx.kernel.requestInspect({ code, cursor_pos: cursorPos, detail_level: options.detailLevel });
  const asked = await ask(ctx, request, options.timeoutMs);
  if ('failed' in asked) return noInspection(asked.failed);
  const content = asked.reply.content;
  if (content.status !== 'ok') return noInspection('error');
  return { status: 'ok', found: content.found === true, data: toMimeBundle(content.data), metadata: toJSONObject(content.metadata) };
}
