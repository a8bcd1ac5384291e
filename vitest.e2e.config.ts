import { defineConfig } from "vitest/config";

/**
 * The browser tests (`npm run test:e2e`): test/e2e/, which `npm test` leaves out. Each file builds its
 * page with Vite, serves it on an origin of its own, starts a Threadgate on a fresh SQLite file and
 * drives Debian's Chromium (/usr/bin/chromium) with playwright-core. One file at a time: a browser, a
 * server and a build already keep the two cores busy. Each file runs under both executors.
 */
// The offline model's pace, a word every 130 ms: the tests' answer (15 words) takes ~2 s, time to press stop
// or reload in the middle of it.
const pace = { THREADGATE_OFFLINE_TOKEN_DELAY_MS: "130" };

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    fileParallelism: false,
    // As `npm test`: graphs in a worker thread (the default), then in the server's own thread.
    projects: [
      { extends: true, test: { name: "e2e, graph workers", include: ["test/e2e/**/*.test.ts"], env: pace } },
      {
        extends: true,
        test: {
          name: "e2e, graphs in process",
          include: ["test/e2e/**/*.test.ts"],
          env: { ...pace, THREADGATE_GRAPH_WORKERS: "0" },
        },
      },
    ],
  },
});
