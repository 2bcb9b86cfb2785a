import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'bench/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}', 'tests/**/*.test.ts'],
    environment: 'node',
    // Integration and browser tests start real Jupyter Servers and Chromium: two at a time on two cores.
    maxWorkers: 2,
    testTimeout: 60_000,
    // `expect.poll` waits for a condition; its 1 s default is a timing bound on a busy machine, not a hang guard.
    expect: { poll: { timeout: 30_000 } },
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
