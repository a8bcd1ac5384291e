/**
 * Protocol v2 over a WebSocket (`GET /threads/{id}/stream/events` upgraded, on the API's own port):
 * the SDK's protocol client with its WebSocket transport, a raw socket for the wire (subscriptions,
 * answers by id, replays), the checks before the upgrade (path, Origin, credentials, whose thread),
 * and the server's shutdown closing open sockets.
 */
import { fileURLToPath } from "node:url";
import { v7 as uuidv7 } from "uuid";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BaseMessage } from "@langchain/core/messages";
import { defaultOfflineReply } from "../../src/agents/offline-chat-model.ts";
import { mintApiKey } from "../../src/auth/api-keys.ts";
import { startTestServer, waitFor, type TestServer } from "../helpers/server.ts";
import { lifecycle, type WireEvent, textDeltas } from "./protocol-client.ts";

const AUTH_GRAPHS = fileURLToPath(new URL("../auth/fixtures/langgraph.json", import.meta.url));

/** A raw protocol socket: every message it got, and commands answered by id. */
class Socket {
  readonly events: WireEvent[] = [];
  readonly answers: Record<string, unknown>[] = [];
  private nextId = 1;
  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const message = JSON.parse(String(data)) as Record<string, unknown>;
      if (message.type === "event") this.events.push(message as unknown as WireEvent);
      else this.answers.push(message);
    });
  }

  static open(url: string, threadId: string, headers: Record<string, string> = {}): Promise<Socket> {
    const ws = new WebSocket(`${url.replace(/^http/, "ws")}/threads/${threadId}/stream/events`, { headers });
    return new Promise((resolve, reject) => {
      ws.once("open", () => resolve(new Socket(ws)));
      ws.once("unexpected-response", (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
      ws.once("error", reject);
    });
  }

  async send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, method, params }));
    return waitFor(async () => this.answers.find((a) => a.id === id));
  }

  until(pred: (e: WireEvent) => boolean): Promise<WireEvent> {
    return waitFor(async () => this.events.find(pred));
  }

  close(): void {
    this.ws.close();
  }
}

/** The HTTP status an upgrade is refused with. */
async function refusal(url: string, threadId: string, headers: Record<string, string> = {}, path?: string) {
  const target = path ?? `/threads/${threadId}/stream/events`;
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}${target}`, { headers });
  return new Promise<number>((resolve, reject) => {
    ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.once("open", () => reject(new Error("the upgrade was accepted")));
  });
}

const hello = (text: string) => ({ messages: [{ type: "human", content: text }] });

describe("protocol v2 over a WebSocket", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ corsOrigins: ["http://app.example"] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("the SDK's protocol client runs a thread over it, the answer streaming token by token", async () => {
    const thread = t.client.threads.stream({
      assistantId: "echo",
      transport: "websocket",
      webSocketFactory: (url: string) => new WebSocket(url) as unknown as globalThis.WebSocket,
    });
    const answers = textDeltas(thread);
    await thread.run.start({ input: hello("over a socket") });
    const output = (await thread.output) as { messages: BaseMessage[] };
    const reply = defaultOfflineReply("over a socket");
    expect(output.messages.map((m) => m.text)).toEqual(["over a socket", reply]);
    await waitFor(async () => answers.some((parts) => parts.join("") === reply)).catch(() => {
      throw new Error(`the messages seen: ${JSON.stringify(answers)}`);
    });
    expect(answers.find((parts) => parts.join("") === reply)!.length).toBeGreaterThan(5);
    await thread.close();
  });

  it("subscriptions carry their channels across runs; a new socket replays the retained run with the same ids", async () => {
    const threadId = uuidv7();
    const socket = await Socket.open(t.url, threadId);
    const subscribed = await socket.send("subscription.subscribe", { channels: ["lifecycle"] });
    expect(subscribed).toMatchObject({ type: "success", result: { subscription_id: expect.any(String) } });
    const started = await socket.send("run.start", { assistant_id: "echo", input: hello("one") });
    const runId = (started.result as { run_id: string }).run_id;
    await socket.until(lifecycle("completed"));
    expect(socket.events.map((e) => [e.event_id, e.params.data.event])).toEqual([
      [`${runId}:0`, "running"],
      [expect.stringMatching(new RegExp(`^${runId}:end`)), "completed"],
    ]);

    const later = await Socket.open(t.url, threadId);
    await later.send("subscription.subscribe", { channels: ["lifecycle", "values"] });
    await later.until(lifecycle("completed"));
    const lifecycleIds = later.events.filter((e) => e.method === "lifecycle").map((e) => e.event_id);
    expect(lifecycleIds).toEqual(socket.events.map((e) => e.event_id));
    expect(later.events.some((e) => e.method === "values")).toBe(true);

    const { subscription_id } = subscribed.result as { subscription_id: string };
    expect(await socket.send("subscription.unsubscribe", { subscription_id })).toMatchObject({ type: "success" });
    expect(await socket.send("subscription.unsubscribe", { subscription_id })).toMatchObject({
      type: "error",
      error: "no_such_subscription",
    });
    // Unsubscribed: the next run is not told on this socket.
    await later.send("run.start", { assistant_id: "echo", input: hello("two") });
    await later.until((e) => lifecycle("completed")(e) && !e.event_id.startsWith(runId));
    expect(socket.events).toHaveLength(2);
    socket.close();
    later.close();
  });

  it("sends each event once, in thread order, whichever subscriptions want it", async () => {
    const threadId = uuidv7();
    const socket = await Socket.open(t.url, threadId);
    await socket.send("subscription.subscribe", { channels: ["lifecycle", "input"] });
    await socket.send("subscription.subscribe", { channels: ["messages", "lifecycle"], namespaces: [[]], depth: 1 });
    for (const text of ["first", "second"]) {
      const started = await socket.send("run.start", { assistant_id: "echo", input: hello(text) });
      const runId = (started.result as { run_id: string }).run_id;
      await socket.until((e) => e.event_id.startsWith(runId) && lifecycle("completed")(e));
    }
    const ids = socket.events.map((e) => e.event_id);
    expect(new Set(ids).size).toBe(ids.length);
    const seqs = socket.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // Each run's message events all come before its end: the client stops following a run there.
    const ends = socket.events.filter(lifecycle("completed")).map((e) => e.seq);
    const finishes = socket.events.filter((e) => e.params.data.event === "message-finish").map((e) => e.seq);
    expect(finishes).toHaveLength(2);
    expect(finishes[0]).toBeLessThan(ends[0]);
    expect(finishes[1]).toBeLessThan(ends[1]);
    socket.close();
  });

  it("answers what is not a command with the protocol's errors", async () => {
    const socket = await Socket.open(t.url, uuidv7());
    socket.ws.send("not json");
    await waitFor(async () => socket.answers.length === 1);
    expect(socket.answers[0]).toMatchObject({ type: "error", id: null, error: "invalid_argument" });
    expect(await socket.send("agent.fly")).toMatchObject({ type: "error", error: "unknown_command" });
    expect(await socket.send("subscription.subscribe", { channels: [] })).toMatchObject({
      type: "error",
      error: "invalid_argument",
      message: expect.stringContaining("channels"),
    });
    socket.close();
  });

  it("refuses an upgrade elsewhere, from an origin CORS does not allow, or for an id that is no thread's", async () => {
    const threadId = uuidv7();
    expect(await refusal(t.url, threadId, {}, "/threads/x/nowhere")).toBe(404);
    expect(await refusal(t.url, "not-a-uuid")).toBe(404);
    expect(await refusal(t.url, threadId, { origin: "http://evil.example" })).toBe(403);
    const allowed = await Socket.open(t.url, threadId, { origin: "http://app.example" });
    allowed.close();
  });
});

describe("protocol sockets with api keys", () => {
  let t: TestServer;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    t = await startTestServer({ graphsConfigPath: AUTH_GRAPHS, authMode: "api-keys" });
    alice = (await mintApiKey(t.server.services.stores.apiKeys, { user: "alice" })).key;
    bob = (await mintApiKey(t.server.services.stores.apiKeys, { user: "bob" })).key;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("needs credentials; a thread run.start made is its caller's, another user's is a 404", async () => {
    const threadId = uuidv7();
    expect(await refusal(t.url, threadId)).toBe(401);
    const socket = await Socket.open(t.url, threadId, { "x-api-key": alice });
    await socket.send("subscription.subscribe", { channels: ["lifecycle"] });
    const started = await socket.send("run.start", { assistant_id: "whoami", input: {} });
    expect(started).toMatchObject({ type: "success" });
    await socket.until(lifecycle("completed"));
    const asBob = await fetch(`${t.url}/threads/${threadId}`, { headers: { "x-api-key": bob } });
    expect(asBob.status).toBe(404);
    expect(await refusal(t.url, threadId, { "x-api-key": bob })).toBe(404);
    socket.close();
  });

  it("closes open sockets when the server stops", async () => {
    const socket = await Socket.open(t.url, uuidv7(), { "x-api-key": alice });
    const closed = new Promise<number>((resolve) => socket.ws.once("close", (code) => resolve(code)));
    await t.stop();
    expect(await closed).toBeGreaterThan(0);
  });
});
