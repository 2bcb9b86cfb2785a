/**
 * How much the benchmark does. `BENCH_QUICK=1` is a smoke run (a few samples of each row, seconds instead of
 * minutes); `BENCH_LOAD_SECONDS` sets how long each step of the load row lasts; `BENCH_ROWS=1,5` runs only those
 * rows (by number).
 */
export const QUICK = process.env.BENCH_QUICK === '1';

export const SETTINGS = {
  rows: process.env.BENCH_ROWS?.split(',').map((row) => row.trim()),
  /** Round trips per path (after `warmup`). */
  roundTrips: QUICK ? 20 : 100,
  warmup: QUICK ? 3 : 10,
  /** New notebooks per first-result measurement. */
  firstRuns: QUICK ? 2 : 5,
  /** How many lines the flood prints, and how many floods. */
  floodLines: QUICK ? 10 ** 5 : 10 ** 6,
  floods: QUICK ? 1 : 3,
  /** Page opens per size. */
  pageRuns: QUICK ? 1 : 3,
  /** add_cell + run_cell pairs in the assistant's turn (two model steps each; the loop allows 20 steps). */
  assistantPairs: QUICK ? 3 : 9,
  assistantTurns: QUICK ? 2 : 8,
  /** Notebooks running at once in each step of the load row, and each step's length. */
  loadSteps: QUICK ? [1, 5] : [1, 5, 10, 20],
  loadSeconds: Number(process.env.BENCH_LOAD_SECONDS ?? (QUICK ? 3 : 15)),
  /** Saves of the 2,000-cell notebook. */
  saves: QUICK ? 1 : 3,
} as const;
