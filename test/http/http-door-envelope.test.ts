/**
 * Every 4xx/5xx leaves as the JSON envelope `{"detail": …}`, also on the paths that bypass the
 * middleware's error handler: Node's own answers to requests it cannot parse (431, 400), a response
 * body that cannot be serialised, and Koa's last-resort handler.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import Koa from "koa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorEnvelope, jsonLastResort } from "../../src/http/error-envelope.ts";
import { createLogger } from "../../src/logger.ts";
import { http as call, startTestServer, type TestServer } from "../helpers/server.ts";
import { rawExchange, request } from "../helpers/raw-http.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

function expectEnvelope(res: { headers: http.IncomingHttpHeaders; json: any; text: string }, label: string) {
  expect(res.headers["content-type"], label).toMatch(/^application\/json/);
  expect(typeof res.json?.detail, `${label}: ${res.text}`).toBe("string");
  expect(res.json.detail.length, label).toBeGreaterThan(0);
}

describe("Node's own answers to requests it cannot parse", () => {
  it("a URL longer than the header limit is 431 with the JSON envelope", async () => {
    const res = await rawExchange(t.url, `GET /ok?pad=${"a".repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    expect(res.status).toBe(431);
    expectEnvelope(res, "long URL");
    expect(res.json.detail).toMatch(/16384 bytes/);
    expect(Number(res.headers["content-length"])).toBe(Buffer.byteLength(res.text));
  });

  it("headers larger than the limit are 431 with the JSON envelope, also through fetch", async () => {
    const res = await rawExchange(t.url, `GET /ok HTTP/1.1\r\nHost: localhost\r\nX-Big: ${"b".repeat(20_000)}\r\n\r\n`);
    expect(res.status).toBe(431);
    expectEnvelope(res, "big header");
    const viaFetch = await call(t.url, "GET", "/ok", undefined, { "x-big": "b".repeat(20_000) });
    expect(viaFetch.status).toBe(431);
    expect(typeof viaFetch.json.detail).toBe("string");
  });

  it("a malformed request is 400 with the JSON envelope", async () => {
    for (const bytes of ["NOT HTTP AT ALL\r\n\r\n", "GET /ok HTTP/1.1\r\nHost: localhost\r\nBad Header Line\r\n\r\n"]) {
      const res = await rawExchange(t.url, bytes);
      expect(res.status, JSON.stringify(bytes)).toBe(400);
      expectEnvelope(res, JSON.stringify(bytes));
    }
  });

  it("the server still answers afterwards", async () => {
    const res = await call(t.url, "GET", "/ok");
    expect(res.status).toBe(200);
  });
});

describe("the body parser's own refusals", () => {
  it("a body over 10 MB is 413 with the envelope, and nothing is written", async () => {
    const res = await request(t.url, "POST", "/threads", {
      headers: { "content-type": "application/json" },
      body: `{"metadata":{"pad":"${"x".repeat(11 * 1024 * 1024)}"}}`,
    });
    expect(res.status).toBe(413);
    expectEnvelope(res, "too large");
    expect(res.json).toEqual({ detail: "Request body too large" });
  });
});

describe("responses that cannot be serialised", () => {
  it("a state whose checkpoint_map nests past JSON.stringify's reach is a JSON 500, not text/plain", async () => {
    // With the depth limit raised past what JSON.stringify can write, the handler's answer cannot
    // be serialised; that must still leave as the envelope.
    const lax = await startTestServer({ maxJsonDepth: 100_000 });
    try {
      const thread = await lax.client.threads.create();
      await lax.client.runs.wait(thread.thread_id, "two_node", { input: { value: [] } });
      const { checkpoint } = await lax.client.threads.getState(thread.thread_id);
      const deep = `${'{"a":'.repeat(20_000)}1${"}".repeat(20_000)}`;
      const res = await request(lax.url, "POST", `/threads/${thread.thread_id}/state/checkpoint`, {
        headers: { "content-type": "application/json" },
        body: `{"checkpoint":{"checkpoint_id":"${checkpoint.checkpoint_id}","checkpoint_map":${deep}}}`,
      });
      expect(res.status).toBe(500);
      expectEnvelope(res, "unserialisable state");
      expect(res.json).toEqual({ detail: "Internal Server Error" });
    } finally {
      await lax.close();
    }
  });
});

describe("Koa's last-resort handler", () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    // The same error middleware and last resort as the server, in front of a body Koa cannot
    // serialise when it writes it (after every middleware has returned): only the last resort sees
    // that error. (The server's dispatcher serialises bodies itself; this is what remains for any
    // body a middleware leaves to Koa.)
    const app = new Koa();
    jsonLastResort(app);
    app.use(errorEnvelope(createLogger("silent")));
    app.use((ctx) => {
      ctx.body = { count: 1n };
    });
    app.on("error", () => undefined);
    server = http.createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("answers a body Koa cannot serialise with the JSON envelope, not text/plain", async () => {
    const res = await request(base, "GET", "/anything");
    expect(res.status).toBe(500);
    expectEnvelope(res, "unserialisable body");
    expect(res.json).toEqual({ detail: "Internal Server Error" });
  });
});

describe("errors that quote what was sent", () => {
  it("a 100,000-character assistant id gets a short 404, not its id echoed back", async () => {
    const thread = await t.client.threads.create();
    const res = await call(t.url, "POST", `/threads/${thread.thread_id}/runs`, { assistant_id: "x".repeat(100_000) });
    expect(res.status).toBe(404);
    expect(res.text.length).toBeLessThan(2_000);
    expect(res.json.detail).toMatch(/^No assistant found for "xxx.*characters omitted.*xxx"/);
  });

  it("a 422 about a 100,000-character node name keeps its message short", async () => {
    // A raw create: the SDK's threads.create drops metadata.graph_id (it sends graphId its own way).
    const thread = (await call(t.url, "POST", "/threads", { metadata: { graph_id: "echo" } })).json;
    const res = await call(t.url, "POST", `/threads/${thread.thread_id}/state`, {
      values: { messages: [] },
      as_node: "n".repeat(100_000),
    });
    expect(res.status).toBe(422);
    expect(res.text.length).toBeLessThan(2_000);
    expect(res.json.detail[0].loc).toEqual(["body", "as_node"]);
  });
});
