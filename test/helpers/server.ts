/**
 * Starts a real Threadgate server on an ephemeral port with a fresh SQLite
 * file and the test graphs, and an official SDK client pointed at it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import readline from "node:readline";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@langchain/langgraph-sdk";
import { startServer, type RunningServer } from "../../src/server.ts";
import type { ServerConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";

export const TEST_GRAPHS = fileURLToPath(new URL("../graphs/langgraph.json", import.meta.url));

export interface TestServer {
  server: RunningServer;
  url: string;
  client: Client;
  dbPath: string;
  /** Stops the server; the database file stays so a test can restart on it. */
  stop(): Promise<void>;
  /** Stops the server and removes its database. */
  close(): Promise<void>;
}

export function tempDbPath(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "threadgate-test-"));
  return path.join(dir, "threadgate.db");
}

/**
 * THREADGATE_TEST_BACKEND=postgres runs the servers of the tests on Postgres (THREADGATE_TEST_POSTGRES_URL,
 * default this machine's): each on a schema named after its database path, so a test that restarts a
 * server on its data (`sqlitePath: t.dbPath`) finds it again. `close()` drops the schema.
 */
const POSTGRES_URL = process.env.THREADGATE_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const onPostgres = process.env.THREADGATE_TEST_BACKEND === "postgres";

function schemaFor(dbPath: string): string {
  return `tg_t_${path
    .basename(path.dirname(dbPath))
    .replace(/[^a-z0-9]/gi, "_")
    .toLowerCase()}`.slice(0, 60);
}

async function dropSchema(schema: string): Promise<void> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

export async function startTestServer(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  const dbPath = overrides.sqlitePath ?? tempDbPath();
  const postgres =
    onPostgres && overrides.databaseUrl === undefined
      ? { databaseUrl: POSTGRES_URL, postgresSchema: schemaFor(dbPath) }
      : {};
  const server = await startServer(
    {
      port: 0,
      host: "127.0.0.1",
      graphsConfigPath: TEST_GRAPHS,
      sqlitePath: dbPath,
      ...postgres,
      heartbeatSeconds: 1,
      // A test that stops its server stops its runs at once (the shutdown tests set a grace period).
      shutdownGraceSeconds: 0,
      ...overrides,
    },
    createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
  );
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.close();
  };
  return {
    server,
    url: server.url,
    client: new Client({ apiUrl: server.url, callerOptions: { maxRetries: 0 } }),
    dbPath,
    stop,
    async close() {
      await stop();
      fs.rmSync(path.dirname(dbPath), { recursive: true, force: true });
      if (postgres.postgresSchema) await dropSchema(postgres.postgresSchema);
    },
  };
}

/** A server in a child process of its own (`npm start`'s entry point), for tests that kill it. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** SIGKILL: the process dies at once, as in a crash. */
  kill(): Promise<void>;
}

/**
 * Starts `src/main.ts` on an ephemeral port (PORT=0) and reads its URL from the "listening" log
 * line, so no port is guessed. Fails at once, with what the process printed, if it exits first.
 */
export async function startServerProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", THREADGATE_GRAPHS: TEST_GRAPHS, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  };
  let output = "";
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server not listening after ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      output += line + "\n";
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === "threadgate listening" && entry.url) {
          clearTimeout(timer);
          resolve(entry.url);
        }
      } catch {
        // not a log line
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${signal ?? code}) before listening:\n${output}`));
    });
  }).catch(async (err) => {
    await kill();
    throw err;
  });
  // Keep reading its output so a full pipe never blocks it.
  child.stdout!.resume();
  return { url, child, kill };
}

/** Raw HTTP helper for what the SDK has no call for (or hides, like status codes). */
export async function http(
  base: string,
  method: string,
  route: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}
