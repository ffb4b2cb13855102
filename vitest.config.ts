// Test runner configuration: tests live beside the code (src/**/*.test.ts) and in test/.
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // At least two test files at a time (Vitest's default is one fewer than the cores: one at a time on
    // the 2-core machines here, where `npm test` took ~10 min). Many files wait on real processes, sockets
    // and servers they start, so two overlap well: ~6 min here, every test passing.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    globalSetup: ['test/support/temp-root.ts'],
  },
});
