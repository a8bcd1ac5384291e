/**
 * langgraph.json read as LangGraph servers read it, beyond `graphs` and `auth`: `env` (a map, or a .env
 * file) in process.env before any graph is imported, the real environment winning; `http.app`, custom
 * routes beside the API (the API winning, a 404 of the app falling through to the API's envelope,
 * authenticated only with `http.enable_custom_route_auth`); `http.cors`; `http.disable_*`; the keys of
 * LangGraph's schema accepted, and unknown ones warned about by name. Two projects in
 * test/server/fixtures/project/, each served once, over real HTTP.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { startServer, type RunningServer } from "../../src/server.ts";
import type { ServerConfig } from "../../src/config.ts";
import { mintApiKey } from "../../src/auth/api-keys.ts";
import { http, tempDbPath } from "../helpers/server.ts";

const FIXTURES = fileURLToPath(new URL("./fixtures/project/", import.meta.url));
const MAP_PROJECT = path.join(FIXTURES, "langgraph.json");
const DOTENV_PROJECT = path.join(FIXTURES, "langgraph.dotenv.json");

interface LogLine {
  level: number;
  msg: string;
  key?: string;
  [field: string]: unknown;
}

interface Served {
  server: RunningServer;
  logs: LogLine[];
  key: string;
  client: Client;
  close(): Promise<void>;
}

/** A server of the project in mode api-keys, its log (warnings and up) kept, and an SDK client with a key. */
async function serve(graphsConfigPath: string, overrides: Partial<ServerConfig> = {}): Promise<Served> {
  const dbPath = tempDbPath();
  const logs: LogLine[] = [];
  const logger = pino({ level: "warn" }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const server = await startServer(
    {
      port: 0,
      host: "127.0.0.1",
      graphsConfigPath,
      sqlitePath: dbPath,
      heartbeatSeconds: 1,
      shutdownGraceSeconds: 0,
      authMode: "api-keys",
      ...overrides,
    },
    logger,
  );
  const { key } = await mintApiKey(server.services.stores.apiKeys, { user: "alice" });
  const client = new Client({
    apiUrl: server.url,
    defaultHeaders: { "x-api-key": key },
    callerOptions: { maxRetries: 0 },
  });
  return {
    server,
    logs,
    key,
    client,
    async close() {
      await server.close();
      fs.rmSync(path.dirname(dbPath), { recursive: true, force: true });
    },
  };
}

/** The state of one run of `graphId` on a new thread: the environment its module saw at import. */
async function envSeenBy(client: Client, graphId: string): Promise<Record<string, string | null>> {
  const thread = await client.threads.create();
  const values = (await client.runs.wait(thread.thread_id, graphId, { input: {} })) as { env: Record<string, string> };
  return values.env;
}

describe("a langgraph.json with an env map, a fetch-style http.app, http.cors and disable_* keys", () => {
  let t: Served;
  beforeAll(async () => {
    process.env.TG_PROJECT_REAL_WINS = "from the real environment";
    t = await serve(MAP_PROJECT);
  });
  afterAll(async () => {
    await t?.close();
    delete process.env.TG_PROJECT_REAL_WINS;
  });

  it("the env map is in process.env when the graph is imported; a variable already set keeps its value", async () => {
    expect(await envSeenBy(t.client, "env_map")).toEqual({
      TG_PROJECT_FROM_MAP: "from the map",
      TG_PROJECT_REAL_WINS: "from the real environment",
    });
  });

  it("warns about each unknown key by name, top-level and under http, and about none of LangGraph's schema", () => {
    const warned = t.logs.filter((l) => l.msg.startsWith("langgraph.json: unknown key")).map((l) => l.key);
    expect(warned.sort()).toEqual(["a_key_of_no_schema", "http.not_a_langgraph_key"]);
    const notApplied = t.logs.filter((l) => l.msg.startsWith("langgraph.json: key this server does not apply"));
    expect(notApplied.map((l) => l.key)).toEqual(["http.configurable_headers"]);
    expect(t.logs.every((l) => l.file === MAP_PROJECT)).toBe(true);
  });

  it("a custom route answers GET, with the app's status, headers and JSON, unauthenticated by default", async () => {
    const res = await http(t.server.url, "GET", "/hello?name=ada");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-custom-reply")).toBe("yes");
    expect(res.headers.get("content-type")).toContain("application/json");
    // The app saw the full URL and headers, and langgraph.json's env when it was imported.
    expect(res.json).toEqual({ hello: "ada", from_map: "from the map", host: new URL(t.server.url).host });
  });

  it("a custom route answers POST with the body it was sent, its own status and repeated headers", async () => {
    const res = await fetch(`${t.server.url}/echo`, {
      method: "POST",
      headers: { "content-type": "text/plain" }, // not JSON: the API's 415 is not for custom routes
      body: "some text",
    });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe("echo: some text");
    expect(res.headers.get("content-type")).toBe("text/plain");
    expect(res.headers.get("x-echo-length")).toBe("9");
    expect(res.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
  });

  it("a custom route's body is streamed, and its error statuses are its own (not the API's envelope)", async () => {
    const res = await fetch(`${t.server.url}/stream`);
    expect(await res.text()).toBe("first\nsecond\n");
    const teapot = await http(t.server.url, "GET", "/teapot");
    expect(teapot.status).toBe(418);
    expect(teapot.text).toBe("short and stout");
  });

  it("a path the API owns is the API's, although the app answers it too", async () => {
    const res = await http(t.server.url, "GET", "/info");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ context: "js" });
  });

  it("a path the app answers with 404 falls through to the API's 404 (or 405) envelope", async () => {
    const missing = await http(t.server.url, "GET", "/no/such/route");
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ detail: "Not Found: GET /no/such/route" });
    const wrongMethod = await http(t.server.url, "DELETE", "/ok");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.json.detail).toContain("Method Not Allowed");
  });

  it("disable_assistants: the assistants' routes are 404 envelopes as if they did not exist; the rest serves", async () => {
    const headers = { "x-api-key": t.key };
    const search = await http(t.server.url, "POST", "/assistants/search", {}, headers);
    expect(search.status).toBe(404);
    expect(search.json).toEqual({ detail: "Not Found: POST /assistants/search" });
    const one = await http(t.server.url, "GET", "/assistants/env_map", undefined, headers);
    expect(one.status).toBe(404);
    expect((await http(t.server.url, "POST", "/threads/search", {}, headers)).status).toBe(200);
    expect((await http(t.server.url, "GET", "/info")).status).toBe(200);
  });

  it("disable_webhooks: a run's webhook is ignored, not even checked (a loopback URL is no 422)", async () => {
    const thread = await t.client.threads.create();
    const run = await t.client.runs.create(thread.thread_id, "env_map", {
      input: {},
      webhook: "http://127.0.0.1:9/never-called",
    });
    await t.client.runs.join(thread.thread_id, run.run_id);
    expect((await t.client.runs.get(thread.thread_id, run.run_id)).status).toBe("success");
  });

  it("http.cors: a preflight from an allowed origin gets its methods, headers and max age; others get none", async () => {
    const preflight = (origin: string, route = "/threads") =>
      fetch(`${t.server.url}${route}`, {
        method: "OPTIONS",
        headers: {
          Origin: origin,
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "content-type,x-api-key",
        },
      });
    const allowed = await preflight("http://app.example");
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://app.example");
    expect(allowed.headers.get("access-control-allow-methods")).toBe("GET,POST");
    expect(allowed.headers.get("access-control-allow-headers")).toBe("content-type,x-api-key");
    expect(allowed.headers.get("access-control-max-age")).toBe("600");
    expect(allowed.headers.get("access-control-allow-credentials")).toBeNull();
    expect((await preflight("http://app.example", "/echo")).headers.get("access-control-allow-origin")).toBe(
      "http://app.example",
    );
    const other = await preflight("http://evil.example");
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("http.cors: custom routes get the CORS headers too, and the SDK's headers stay exposed", async () => {
    const res = await http(t.server.url, "GET", "/hello", undefined, { Origin: "http://app.example" });
    expect(res.headers.get("access-control-allow-origin")).toBe("http://app.example");
    const exposed = (res.headers.get("access-control-expose-headers") ?? "").toLowerCase().split(",");
    expect(exposed).toEqual(expect.arrayContaining(["x-custom-reply", "content-location", "x-pagination-total"]));
    expect(res.headers.get("vary")).toContain("Origin");
  });
});

describe("a langgraph.json with a .env file, an http.app object with fetch, enable_custom_route_auth and disable_meta", () => {
  let t: Served;
  beforeAll(async () => {
    // THREADGATE_CORS_ORIGINS, set, wins over http.cors.allow_origins.
    t = await serve(DOTENV_PROJECT, { corsOrigins: ["http://env.example"] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("the .env file's variables are in process.env when the graph is imported (the other project's are gone)", async () => {
    expect(await envSeenBy(t.client, "env_file")).toEqual({
      TG_PROJECT_FROM_FILE: "from the .env file",
      TG_PROJECT_EXPORTED: "exported",
      TG_PROJECT_FROM_MAP: null, // the first server took its env back out when it stopped
    });
    expect(t.logs.filter((l) => l.msg.startsWith("langgraph.json"))).toEqual([]);
  });

  it("enable_custom_route_auth: a custom route needs the API key, and answers with it", async () => {
    const without = await http(t.server.url, "GET", "/custom/ping");
    expect(without.status).toBe(401);
    expect(without.json.detail).toBeTruthy();
    const wrong = await http(t.server.url, "GET", "/custom/ping", undefined, { "x-api-key": "nonsense" });
    expect(wrong.status).toBe(401);
    const withKey = await http(t.server.url, "GET", "/custom/ping", undefined, { "x-api-key": t.key });
    expect(withKey.status).toBe(200);
    expect(withKey.json).toEqual({ pong: true });
    const missing = await http(t.server.url, "GET", "/custom/nothing", undefined, { "x-api-key": t.key });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ detail: "Not Found: GET /custom/nothing" });
  });

  it("disable_meta: /info is a 404 envelope, while /ok stays for health checks and the rest serves", async () => {
    // A path the API does not serve may be a custom route, which needs the key here: 401 before 404.
    expect((await http(t.server.url, "GET", "/info")).status).toBe(401);
    const info = await http(t.server.url, "GET", "/info", undefined, { "x-api-key": t.key });
    expect(info.status).toBe(404);
    expect(info.json).toEqual({ detail: "Not Found: GET /info" });
    expect((await http(t.server.url, "GET", "/ok")).json).toEqual({ ok: true });
    expect((await t.client.assistants.search()).length).toBe(1);
  });

  it("THREADGATE_CORS_ORIGINS, when set, wins over http.cors.allow_origins; http.cors's other keys still apply", async () => {
    const preflight = (origin: string) =>
      fetch(`${t.server.url}/threads`, {
        method: "OPTIONS",
        headers: { Origin: origin, "Access-Control-Request-Method": "POST" },
      });
    const fromEnv = await preflight("http://env.example");
    expect(fromEnv.headers.get("access-control-allow-origin")).toBe("http://env.example");
    expect(fromEnv.headers.get("access-control-max-age")).toBe("60");
    expect((await preflight("http://app.example")).headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("README's custom routes example", () => {
  it("works as printed: its app and langgraph.json (the graph pointed at the repo's example agent)", async () => {
    const readme = fs.readFileSync(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8");
    const start = readme.indexOf("**Custom routes**");
    const section = readme.slice(start, readme.indexOf("\n## ", start));
    const appFile = /```ts\n(\/\/ src\/app\.ts\n[\s\S]*?)```/.exec(section)?.[1];
    const config = /```json\n([\s\S]*?)```/.exec(section)?.[1];
    expect(appFile && config, "the section has the app and its langgraph.json").toBeTruthy();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "threadgate-readme-app-"));
    try {
      const json = JSON.parse(config!) as { graphs: Record<string, string>; http: { app: string } };
      json.graphs.agent = fileURLToPath(new URL("../../src/agents/chat-agent.ts", import.meta.url)) + ":graph";
      fs.mkdirSync(path.join(dir, "src"));
      fs.writeFileSync(path.join(dir, json.http.app.split(":")[0]), appFile!);
      fs.writeFileSync(path.join(dir, "langgraph.json"), JSON.stringify(json));
      const t = await serve(path.join(dir, "langgraph.json"), { authMode: "none" });
      try {
        expect((await http(t.server.url, "GET", "/hello")).json).toEqual({ hello: "world" });
        expect((await http(t.server.url, "GET", "/bye")).json).toEqual({ detail: "Not Found: GET /bye" });
      } finally {
        await t.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a langgraph.json that cannot be served", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "threadgate-project-"));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, project: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify(project));
    return file;
  };
  const start = (graphsConfigPath: string) =>
    startServer({ port: 0, host: "127.0.0.1", graphsConfigPath, sqlitePath: ":memory:" }, pino({ level: "silent" }));
  const graphs = { env_map: path.join(FIXTURES, "env-map-graph.ts:graph") };

  it("an env naming a .env file that does not exist stops the start, naming the file", async () => {
    const config = write("missing-env.json", { graphs, env: "./missing.env" });
    await expect(start(config)).rejects.toThrow(
      `"env" names the file ${path.join(dir, "missing.env")}, which does not exist`,
    );
  });

  it("an http.app that exports no fetch handler stops the start, naming it", async () => {
    const config = write("bad-app.json", { graphs, http: { app: `${path.join(FIXTURES, "env-graph.ts")}:nope` } });
    await expect(start(config)).rejects.toThrow(/exports no HTTP app as "nope"/);
  });

  it("allow_credentials with every origin allowed stops the start", async () => {
    const config = write("credentials.json", { graphs, http: { cors: { allow_credentials: true } } });
    await expect(start(config)).rejects.toThrow(/allow_credentials needs the origins/);
  });

  it("a known key of the wrong type stops the start, naming the key", async () => {
    const config = write("wrong-type.json", { graphs, http: { disable_runs: "yes" } });
    await expect(start(config)).rejects.toThrow(/"http.disable_runs" must be true or false/);
  });
});
