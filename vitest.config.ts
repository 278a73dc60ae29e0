import { defineConfig } from 'vitest/config';

// Suites: unit (each part alone: pure cores, in-process loopback peers), integration (real influxd, the daemon and local peers,
// no ../shared needed), interop (independent peers and recordings from ../shared).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['common/**/*.test.ts', 'app/**/*.test.ts', 'collector/**/*.test.ts', 'alerting/**/*.test.ts', 'api/**/*.test.ts', 'mocks/**/*.test.ts', 'cli/**/*.test.ts', 'reports/**/*.test.ts', 'dashboards/**/*.test.ts', 'test/helpers/**/*.test.ts', 'test/console/**/*.test.ts'] } },
      { test: { name: 'integration', include: ['test/integration/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000, fileParallelism: false } },
      { test: { name: 'interop', include: ['test/interop/**/*.test.ts'], testTimeout: 90_000, hookTimeout: 90_000, fileParallelism: false } },
      { test: { name: 'chaos', include: ['test/chaos/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 120_000, fileParallelism: false } },
    ],
  },
});
