/**
 * Run webhooks: delivery, retries, and where they may go. By default a webhook may only reach public
 * addresses (refused at admission with a 422 naming `webhook`, and again at delivery); redirects are
 * not followed. Tests with a local receiver opt in with `webhookAllowedHosts`
 * (THREADGATE_WEBHOOK_ALLOWED_HOSTS). The policy module itself: webhook-policy.test.ts.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Writable } from "node:stream";
import { Client } from "@langchain/langgraph-sdk";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TEST_GRAPHS, http as raw, startTestServer, tempDbPath, waitFor, type TestServer } from "../helpers/server.ts";
import { loadConfig, type ServerConfig } from "../../src/config.ts";
import { startServer } from "../../src/server.ts";
import { WebhookPolicy } from "../../src/runtime/webhooks/policy.ts";

const LOOPBACK = ["127.0.0.1", "::1"];

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    webhookBackoffMs: 50,
    webhookTimeoutMs: 500,
    webhookRetries: 3,
    webhookAllowedHosts: LOOPBACK,
  });
});
afterAll(async () => {
  await t?.close();
});

interface Received {
  method: string;
  body: any;
  at: number;
}

type Answer = number | "hang" | { status: number; location: string };

/** A local webhook receiver; `respond` decides each answer (status code, a redirect, or "hang"). */
async function receiver(respond: (n: number) => Answer) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (c) => (text += c));
    req.on("end", () => {
      received.push({ method: req.method!, body: text ? JSON.parse(text) : null, at: Date.now() });
      const answer = respond(received.length);
      if (answer === "hang") return; // never answers
      if (typeof answer === "number") res.writeHead(answer).end();
      else res.writeHead(answer.status, { location: answer.location }).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const close = () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())));
  closers.push(close);
  return { url: `http://127.0.0.1:${port}/hook`, port, received, close };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** A test server whose log lines are kept: what it did with a webhook is only seen there. */
async function loggedServer(overrides: Partial<ServerConfig> = {}) {
  const logs: { msg: string; [key: string]: unknown }[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  const sqlitePath = overrides.sqlitePath ?? tempDbPath();
  const server = await startServer(
    { port: 0, host: "127.0.0.1", graphsConfigPath: TEST_GRAPHS, sqlitePath, heartbeatSeconds: 1, ...overrides },
    pino({ level: "info" }, sink),
  );
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await server.close();
    fs.rmSync(path.dirname(sqlitePath), { recursive: true, force: true });
  };
  closers.push(close);
  const client = new Client({ apiUrl: server.url, callerOptions: { maxRetries: 0 } });
  /** Waits for the log line with this message and returns it. */
  const logged = (msg: string) => waitFor(async () => logs.find((l) => l.msg === msg));
  return { client, url: server.url, logs, logged, close };
}

describe("delivery (to a receiver on the allowed list)", () => {
  it("POSTs the run with its final values when it ends", async () => {
    const hook = await receiver(() => 200);
    const thread = await t.client.threads.create();
    const run = await t.client.runs.create(thread.thread_id, "two_node", { input: { value: [] }, webhook: hook.url });
    await waitFor(async () => hook.received.length === 1);
    expect(hook.received[0].method).toBe("POST");
    expect(hook.received[0].body).toMatchObject({
      run_id: run.run_id,
      thread_id: thread.thread_id,
      status: "success",
      values: { value: ["first", "second"] },
    });
    expect(hook.received[0].body.webhook_sent_at).toEqual(expect.any(String));
  });

  it("a failed run's webhook carries the error", async () => {
    const hook = await receiver(() => 200);
    const thread = await t.client.threads.create();
    await t.client.runs.create(thread.thread_id, "fail", { input: {}, webhook: hook.url });
    await waitFor(async () => hook.received.length === 1);
    expect(hook.received[0].body).toMatchObject({ status: "error", error: "Error: boom", values: null });
  });

  it("retries 3 times with growing backoff, then gives up", async () => {
    const hook = await receiver(() => 500);
    const thread = await t.client.threads.create();
    await t.client.runs.create(thread.thread_id, "two_node", { input: { value: [] }, webhook: hook.url });
    await waitFor(async () => hook.received.length === 4);
    const gaps = hook.received.slice(1).map((r, i) => r.at - hook.received[i].at);
    expect(gaps[1]).toBeGreaterThan(gaps[0]);
    expect(gaps[2]).toBeGreaterThan(gaps[1]);
    await new Promise((r) => setTimeout(r, 600));
    expect(hook.received).toHaveLength(4);
  });

  it("stops retrying once delivered", async () => {
    const hook = await receiver((n) => (n < 3 ? 503 : 200));
    const thread = await t.client.threads.create();
    await t.client.runs.create(thread.thread_id, "two_node", { input: { value: [] }, webhook: hook.url });
    await waitFor(async () => hook.received.length === 3);
    await new Promise((r) => setTimeout(r, 500));
    expect(hook.received).toHaveLength(3);
  });

  it("a receiver that never answers does not hold up the run", async () => {
    const hook = await receiver(() => "hang");
    const thread = await t.client.threads.create();
    const values = await t.client.runs.wait(thread.thread_id, "two_node", { input: { value: [] }, webhook: hook.url });
    expect(values).toEqual({ value: ["first", "second"] });
    // The next run on the thread is not blocked either.
    await t.client.runs.wait(thread.thread_id, "two_node", { input: { value: [] } });
    await waitFor(async () => hook.received.length >= 2, 5_000); // the timed-out attempt is retried
  });

  it("a stateless run's webhook is delivered too", async () => {
    const hook = await receiver(() => 200);
    await t.client.runs.wait(null, "two_node", { input: { value: [] }, webhook: hook.url });
    await waitFor(async () => hook.received.length === 1);
    expect(hook.received[0].body).toMatchObject({ status: "success", values: { value: ["first", "second"] } });
  });
});

describe("the address policy at admission", () => {
  let strict: TestServer;
  beforeAll(async () => {
    // The default: no allowed hosts. Short, unretried deliveries (the code before the policy sent them).
    strict = await startTestServer({ webhookTimeoutMs: 300, webhookRetries: 0 });
  });
  afterAll(async () => {
    await strict?.close();
  });

  const refused: [string, string][] = [
    ["loopback IPv4", "http://127.0.0.1:8123/hook"],
    ["loopback IPv4, another address of 127/8", "http://127.8.9.10/hook"],
    ["localhost (a name that resolves to loopback)", "http://localhost:8123/hook"],
    ["localhost with a trailing dot", "http://localhost./hook"],
    ["loopback IPv6", "http://[::1]:8123/hook"],
    ["IPv4-mapped IPv6 loopback", "http://[::ffff:127.0.0.1]/hook"],
    ["IPv4-mapped IPv6 loopback, hex form", "http://[::ffff:7f00:1]/hook"],
    ["unique-local IPv6 (fc00::/7)", "http://[fc00::1]/hook"],
    ["unique-local IPv6 (fd00::/8, AWS's IPv6 metadata)", "http://[fd00:ec2::254]/latest/meta-data/"],
    ["link-local IPv6 (fe80::/10)", "http://[fe80::1]/hook"],
    ["unspecified IPv6", "http://[::]/hook"],
    ["0.0.0.0", "http://0.0.0.0:8123/hook"],
    ["0 (parsed as 0.0.0.0)", "http://0/hook"],
    ["the cloud metadata address", "http://169.254.169.254/latest/meta-data/"],
    ["link-local IPv4", "http://169.254.1.1/hook"],
    ["decimal IPv4 (2130706433 is 127.0.0.1)", "http://2130706433/hook"],
    ["hex IPv4", "http://0x7f000001/hook"],
    ["short dotted IPv4 (127.1)", "http://127.1/hook"],
    ["octal IPv4", "http://0177.0.0.1/hook"],
    ["private 10/8", "http://10.0.0.1/hook"],
    ["private 172.16/12", "http://172.16.5.4/hook"],
    ["private 192.168/16", "http://192.168.1.1/hook"],
    ["carrier-grade NAT (Alibaba's metadata)", "http://100.100.100.200/latest/meta-data/"],
    ["broadcast", "http://255.255.255.255/hook"],
    ["multicast", "http://224.0.0.1/hook"],
    ["a name that does not resolve", "http://no-such-host.invalid/hook"],
    ["an ftp URL", "ftp://example.com/hook"],
    ["a file URL", "file:///etc/passwd"],
    ["a javascript URL", "javascript:alert(1)"],
  ];

  for (const [what, url] of refused) {
    it(`${what}: ${url} → 422 naming webhook on every run route, nothing written`, async () => {
      const thread = await strict.client.threads.create();
      const threadsBefore = (await strict.client.threads.search({ limit: 1000 })).length;
      const body = { assistant_id: "two_node", input: { value: [] }, webhook: url };
      for (const route of [
        `/threads/${thread.thread_id}/runs`,
        `/threads/${thread.thread_id}/runs/wait`,
        `/threads/${thread.thread_id}/runs/stream`,
        "/runs",
        "/runs/wait",
        "/runs/stream",
      ]) {
        const res = await raw(strict.url, "POST", route, body);
        expect(res.status, `${route}: ${res.text}`).toBe(422);
        expect(res.json.detail).toEqual([expect.objectContaining({ loc: ["body", "webhook"] })]);
      }
      expect(await strict.client.runs.list(thread.thread_id)).toEqual([]);
      expect((await strict.client.threads.get(thread.thread_id)).status).toBe("idle");
      expect((await strict.client.threads.search({ limit: 1000 })).length).toBe(threadsBefore); // no temporary threads
    });
  }

  it("a batch with a refused webhook names the element's field and creates nothing", async () => {
    const before = (await strict.client.threads.search({ limit: 1000 })).length;
    const res = await raw(strict.url, "POST", "/runs/batch", [
      { assistant_id: "two_node", input: { value: [] } },
      { assistant_id: "two_node", input: { value: [] }, webhook: "http://169.254.169.254/" },
    ]);
    expect(res.status, res.text).toBe(422);
    expect(res.json.detail).toEqual([expect.objectContaining({ loc: ["body", 1, "webhook"] })]);
    expect((await strict.client.threads.search({ limit: 1000 })).length).toBe(before);
  });

  it("the refusal says why and names the setting", async () => {
    const thread = await strict.client.threads.create();
    const res = await raw(strict.url, "POST", `/threads/${thread.thread_id}/runs`, {
      assistant_id: "two_node",
      webhook: "http://2130706433/hook",
    });
    expect(res.status).toBe(422);
    expect(res.json.detail[0].msg).toMatch(/127\.0\.0\.1 is a loopback address/);
    expect(res.json.detail[0].msg).toMatch(/THREADGATE_WEBHOOK_ALLOWED_HOSTS/);
  });
});

describe("the allowed-hosts setting", () => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    while (servers.length) await servers.pop()!.close();
  });

  it("is read from THREADGATE_WEBHOOK_ALLOWED_HOSTS, comma-separated", () => {
    const config = loadConfig({ THREADGATE_WEBHOOK_ALLOWED_HOSTS: " hooks.internal, 10.0.0.0/8 ,::1," });
    expect(config.webhookAllowedHosts).toEqual(["hooks.internal", "10.0.0.0/8", "::1"]);
    expect(loadConfig({}).webhookAllowedHosts).toEqual([]);
  });

  for (const [what, allowed, host] of [
    ["an IP address", ["127.0.0.1"], "127.0.0.1"],
    ["a CIDR", ["127.0.0.0/8"], "127.0.0.1"],
    ["a hostname", ["localhost"], "localhost"],
    ["*", ["*"], "127.0.0.1"],
  ] as const) {
    it(`${what} (${allowed.join(",")}) lets a local receiver get the webhook`, async () => {
      const hook = await receiver(() => 200);
      const server = await startTestServer({ webhookAllowedHosts: [...allowed] });
      servers.push(server);
      const thread = await server.client.threads.create();
      const url = `http://${host}:${hook.port}/hook`;
      const run = await server.client.runs.create(thread.thread_id, "two_node", { input: { value: [] }, webhook: url });
      await waitFor(async () => hook.received.length === 1);
      expect(hook.received[0].body).toMatchObject({ run_id: run.run_id, values: { value: ["first", "second"] } });
    });
  }

  it("allows only what it lists", async () => {
    const server = await startTestServer({
      webhookAllowedHosts: ["hooks.internal", "10.0.0.0/8"],
      webhookRetries: 0,
      webhookTimeoutMs: 300,
    });
    servers.push(server);
    const thread = await server.client.threads.create();
    for (const webhook of ["http://127.0.0.1/hook", "http://192.168.0.1/hook", "http://localhost/hook"]) {
      const res = await raw(server.url, "POST", `/threads/${thread.thread_id}/runs`, {
        assistant_id: "two_node",
        webhook,
      });
      expect(res.status, webhook).toBe(422);
    }
    // A listed name is not resolved at admission (this one resolves nowhere: its delivery fails, and is logged).
    const ok = await raw(server.url, "POST", `/threads/${thread.thread_id}/runs/wait`, {
      assistant_id: "two_node",
      input: { value: [] },
      webhook: "http://hooks.internal/hook",
    });
    expect(ok.status, ok.text).toBe(200);
    expect(new WebhookPolicy(["hooks.internal", "10.0.0.0/8"]).refusal("10.20.30.40")).toBeNull();
  });

  it("a malformed CIDR stops the server at start", async () => {
    await expect(startTestServer({ webhookAllowedHosts: ["10.0.0.0/33"] })).rejects.toThrow(
      /THREADGATE_WEBHOOK_ALLOWED_HOSTS: "10.0.0.0\/33" is not a valid CIDR/,
    );
  });
});

describe("redirects", () => {
  for (const status of [302, 307]) {
    it(`a ${status} is not followed: the receiver it points to gets nothing, and it is not retried`, async () => {
      const target = await receiver(() => 200);
      const redirecting = await receiver(() => ({ status, location: target.url }));
      const server = await loggedServer({ webhookAllowedHosts: LOOPBACK, webhookBackoffMs: 10 });
      const thread = await server.client.threads.create();
      const run = await server.client.runs.create(thread.thread_id, "two_node", {
        input: { value: [] },
        webhook: redirecting.url,
      });
      // The delivery ends with this line; nothing is sent after it. (Followed, the target gets a request.)
      const msg = "webhook not delivered: it answered with a redirect, which is not followed";
      await waitFor(async () => server.logs.some((l) => l.msg === msg) || target.received.length > 0);
      expect(target.received).toEqual([]);
      expect(server.logs.find((l) => l.msg === msg)).toMatchObject({
        run_id: run.run_id,
        status,
        location: target.url,
      });
      await server.close(); // waits for webhook deliveries under way, if there were any left
      expect(redirecting.received).toHaveLength(1);
      expect(target.received).toEqual([]);
    });
  }
});

describe("the check at delivery", () => {
  it("a run admitted under an allowed host is not delivered by a server that no longer allows it", async () => {
    const hook = await receiver(() => 200);
    const first = await startTestServer({ webhookAllowedHosts: LOOPBACK });
    const thread = await first.client.threads.create();
    // Due after the restart (a server with its graph worker takes ~0.6 s to start).
    const run = await first.client.runs.create(thread.thread_id, "two_node", {
      input: { value: [] },
      afterSeconds: 3,
      webhook: hook.url,
    });
    await first.stop();
    const second = await loggedServer({ sqlitePath: first.dbPath }); // the default: no allowed hosts
    await second.client.runs.join(thread.thread_id, run.run_id);
    expect((await second.client.runs.get(thread.thread_id, run.run_id)).status).toBe("success");
    const line = await second.logged("webhook not delivered: address refused");
    expect(line).toMatchObject({ run_id: run.run_id, url: hook.url });
    expect(line.reason).toMatch(/127\.0\.0\.1 is a loopback address/);
    await second.close();
    expect(hook.received).toEqual([]);
  });

  it("the same run is delivered by a restarted server that still allows the host", async () => {
    const hook = await receiver(() => 200);
    const first = await startTestServer({ webhookAllowedHosts: LOOPBACK });
    const thread = await first.client.threads.create();
    const run = await first.client.runs.create(thread.thread_id, "two_node", {
      input: { value: [] },
      afterSeconds: 3,
      webhook: hook.url,
    });
    await first.stop();
    const second = await loggedServer({ sqlitePath: first.dbPath, webhookAllowedHosts: LOOPBACK });
    await second.client.runs.join(thread.thread_id, run.run_id);
    await waitFor(async () => hook.received.length === 1);
    await second.close();
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0].body).toMatchObject({ run_id: run.run_id, status: "success" });
  });
});
