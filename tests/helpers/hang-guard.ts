/**
 * A hang guard for tests: waits for a promise, and fails with `what` if it has not settled after `ms` (tens of
 * seconds). It is never a speed claim: tests prove behaviour by order (the alternative to what they check would take
 * minutes, or forever), and how fast things are is measured by `npm run bench` and `npm run bench:kernels`.
 */
export const HANG_GUARD_MS = 30_000;

/** Resolves as `promise` does; rejects if it takes longer than `ms`. */
export async function settlesWithin<T>(what: string, promise: Promise<T>, ms = HANG_GUARD_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`Hang guard: ${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, guard]);
  } finally {
    clearTimeout(timer);
  }
}
