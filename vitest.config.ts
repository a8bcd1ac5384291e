import pg from "pg";
import { configDefaults, defineConfig, type TestProjectConfiguration } from "vitest/config";

/**
 * Two projects. "graph workers" is the whole suite on the default settings, where graphs run in a
 * worker thread. "graphs in process" runs the tests where the executor makes a difference once more
 * with THREADGATE_GRAPH_WORKERS=0 (graphs in the server's own thread, as with a `:memory:` database),
 * so both executors are held to the same behaviour: runs, their streams and protocol v2, the store
 * graphs see, graph loading, and the process's life (shutdown, a restart mid-run). The door, auth,
 * threads, assistants, crons and webhooks do not depend on where a graph runs, and on this 2-core
 * machine a second pass of them cost ~3 minutes of CI. It leaves out the files that start no server
 * (or choose their executor themselves). The browser tests (test/e2e/) have a config of their own,
 * vitest.e2e.config.ts (`npm run test:e2e`).
 */
const inProcess = [
  ...["runs", "streams", "protocol", "store"].map((d) => `test/${d}/**/*.test.ts`),
  "test/server/graph-loading.test.ts",
  "test/server/process-lifecycle.test.ts",
  "test/server/persistence.test.ts",
  "test/assistants/assistant-runs.test.ts",
];
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

/** Redis signals, and three server processes on one Postgres and Redis. */
const cluster = ["test/cluster/**/*.test.ts"];

/** The browser tests: vitest.e2e.config.ts. */
const browser = ["test/e2e/**"];

/**
 * A third project, "postgres": the API's tests with every server on the Postgres backend
 * (THREADGATE_TEST_BACKEND=postgres, a schema per server; test/helpers/server.ts), graphs in workers.
 * Left out: tests that read SQLite's files or test what only SQLite has (its synchronous store's time
 * slicing), and one that starts its servers itself. Assistants and the store's API are thin over their
 * stores, which the conformance suite holds to the same contract on both backends. Without a Postgres it is left out, saying so,
 * unless THREADGATE_REQUIRE_POSTGRES=1 (CI), where its servers then fail to start.
 */
const POSTGRES_URL = process.env.THREADGATE_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const onPostgres = ["runs", "threads", "streams", "protocol", "crons"].map((d) => `test/${d}/**/*.test.ts`);
const sqliteOnly = [
  "test/runs/feedback.test.ts", // counts rows in the SQLite file
  "test/runs/rollback-races.test.ts", // reads the SQLite checkpoints file
  "test/runs/run-failures.test.ts", // makes the SQLite store refuse a write
  "test/runs/run-scheduling.test.ts", // time slicing of SQLite's synchronous store
  "test/store/ttl.test.ts", // reads expiries from the SQLite file
  "test/streams/stream-hub.test.ts", // the hub over a SQLite store, no server
];

async function postgresReachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const unreachable = await postgresReachable();
const withPostgres = unreachable === null || process.env.THREADGATE_REQUIRE_POSTGRES === "1";
if (!withPostgres) console.warn(`the "postgres" project is skipped: no Postgres at ${POSTGRES_URL} (${unreachable})`);

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two files at a time: Vitest's default on this 2-core machine is one (cores - 1), and the tests wait
    // on servers, child processes and timers more than they compute (~23 min one at a time).
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "graph workers",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...browser, ...cluster],
        },
      },
      {
        // After every other project, alone: its tests start several server processes each, whose load
        // would starve the tests beside them.
        extends: true,
        test: {
          name: "cluster",
          include: cluster,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: "graphs in process",
          include: inProcess,
          exclude: [...configDefaults.exclude, ...noServer, ...browser],
          env: { THREADGATE_GRAPH_WORKERS: "0" },
        },
      },
      ...(withPostgres
        ? ([
            {
              extends: true,
              test: {
                name: "postgres",
                include: onPostgres,
                exclude: [...configDefaults.exclude, ...sqliteOnly],
                env: { THREADGATE_TEST_BACKEND: "postgres" },
              },
            },
          ] satisfies TestProjectConfiguration[])
        : []),
    ],
  },
});
