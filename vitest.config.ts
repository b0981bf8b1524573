import { defineConfig } from 'vitest/config';

// Three projects: fast unit tests that need no services; the deployment checks
// (helm, Kubernetes schemas, promtool, compose: slow the first time, when the
// tools are built into .cache/); and integration tests that talk to the real
// local Kafka broker and schema registry (started by the global setup when they
// are not already running).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'deploy',
          include: ['test/deploy/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/setup/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
