import { defineConfig } from "vitest/config";

/**
 * Two projects. "graph workers" is the whole suite on the default settings, where graphs run in a
 * worker thread. "graphs in process" runs the tests that start a server once more with
 * THREADGATE_GRAPH_WORKERS=0 (graphs in the server's own thread, as with a `:memory:` database), so
 * both executors are held to the same behaviour.
 */
const serverTests = [
  "test/audit.test.ts",
  "test/cancel.test.ts",
  "test/dispatch.test.ts",
  "test/multitask.test.ts",
  "test/persistence.test.ts",
  "test/run-options.test.ts",
  "test/run-scheduling.test.ts",
  "test/run-validation.test.ts",
  "test/runs.test.ts",
  "test/stateless-runs.test.ts",
  "test/stream-modes.test.ts",
  "test/streaming.test.ts",
  "test/thread-state.test.ts",
  "test/threads.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      { extends: true, test: { name: "graph workers", include: ["test/**/*.test.ts"] } },
      {
        extends: true,
        test: { name: "graphs in process", include: serverTests, env: { THREADGATE_GRAPH_WORKERS: "0" } },
      },
    ],
  },
});
