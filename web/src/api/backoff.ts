/**
 * Reconnect delays: exponential with full jitter, so tabs that lost the same server don't all come back in
 * the same millisecond.
 *
 * @example
 *   backoffDelay(0) // 0..250 ms, then 0..500, 0..1000 … capped at 10 s
 */
export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  random?: () => number;
}

export function backoffDelay(attempt: number, { baseMs = 250, maxMs = 10_000, random = Math.random }: BackoffOptions = {}): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  // Never 0: a server that closes at once must not be hammered in a tight loop.
  return Math.max(50, Math.round(ceiling * random()));
}
