import { configDefaults, defineConfig } from "vitest/config";

/**
 * Two projects. "graph workers" is the whole suite on the default settings, where graphs run in a
 * worker thread. "graphs in process" runs every test that starts a server once more with
 * THREADGATE_GRAPH_WORKERS=0 (graphs in the server's own thread, as with a `:memory:` database), so
 * both executors are held to the same behaviour. It leaves out only the files that start no server
 * (or choose their executor themselves): a new server test runs in both. The browser tests (test/e2e/)
 * have a config of their own, vitest.e2e.config.ts (`npm run test:e2e`).
 */
const noServer = [
  "test/server/agents.test.ts",
  "test/http/bad-input.test.ts", // pins graph workers: it tests the HTTP contract, not the executor, and takes ~1 min
  "test/server/graph-workers.test.ts",
  "test/http/http-door-spec.test.ts",
  "test/server/serialize.test.ts",
  "test/http/spec.test.ts",
  "test/http/lint-spec.test.ts",
  "test/http/route-groups.test.ts",
  "test/server/langgraph-json-parse.test.ts",
  "test/stores/**",
  "test/auth/api-keys.test.ts",
  "test/auth/keys-cli.test.ts",
  "test/auth/jwt.test.ts",
  "test/streams/stream-hub.test.ts",
];

/** The browser tests: vitest.e2e.config.ts. */
const browser = ["test/e2e/**"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        test: {
          name: "graph workers",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...browser],
        },
      },
      {
        extends: true,
        test: {
          name: "graphs in process",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...noServer, ...browser],
          env: { THREADGATE_GRAPH_WORKERS: "0" },
        },
      },
    ],
  },
});
