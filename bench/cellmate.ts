/**
 * The Cellmate a benchmark measures: a test Cellmate (own workspace, port, embedded Jupyter Server) that saves on
 * the product's schedule (500 ms after the last change, as `npm start`) rather than the tests' 50 ms.
 */
import { startTestCellmate, type TestCellmate } from '../tests/helpers/cellmate.ts';

export const PRODUCT_AUTOSAVE_MS = 500;

export function startBenchCellmate(overrides: Parameters<typeof startTestCellmate>[0] = {}): Promise<TestCellmate> {
  return startTestCellmate(overrides, { localModelServers: [], autosaveMs: PRODUCT_AUTOSAVE_MS });
}
