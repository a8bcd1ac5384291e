/**
 * The isolation probe, driven by the spec's own list of operations (generated/operation-ids.ts): user B
 * calls every operation on user A's thread, runs and checkpoint, and never gets A's data — another user's
 * resource answers exactly as a missing one does (same status, same body but for the id) — and nothing
 * of A's changes. A new operation without a probe in isolation-probes.ts fails to compile, and fails the first test.
 * Run in mode api-keys (owner isolation) and mode custom (a handler's filters).
 *
 * `{assistant_id}` is A's stored assistant (two versions). The custom fixture's assistants handler
 * filters no one but `hidden`: there every user may see every assistant, by the Auth file's own rule,
 * so there A makes none and the probes `atAssistant` are skipped (test/assistants/ covers a handler's
 * filters on stored assistants).
 */
import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { operationIds, operationRoutes, type OperationId } from "../../generated/operation-ids.ts";
import { PROBES, type Call, type Ids } from "./isolation-probes.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { mintApiKey } from "../../src/auth/api-keys.ts";

const AUTH_GRAPHS = fileURLToPath(new URL("./fixtures/langgraph.json", import.meta.url));

/** `/threads/{thread_id}` with the ids filled in; with `active`, the active thread and run stand in. */
function fill(template: string, ids: Ids, active = false): string {
  const use = active ? { ...ids, thread_id: ids.active_thread, run_id: ids.active_run } : ids;
  return template.replace(/\{(\w+)\}/g, (_, name: string) =>
    name === "namespace" ? "child" : String(use[name as keyof Ids]),
  );
}

function missingIds(): Ids {
  return {
    thread_id: randomUUID(),
    run_id: randomUUID(),
    checkpoint_id: randomUUID(),
    active_thread: randomUUID(),
    active_run: randomUUID(),
    assistant_id: randomUUID(),
    feedback_id: randomUUID(),
    cron_id: randomUUID(),
  };
}

interface Mode {
  name: string;
  /** Every user may see every stored assistant (the Auth file filters none): probes `atAssistant` do not apply. */
  assistantsShared?: true;
  start(): Promise<{ t: TestServer; a: Record<string, string>; b: Record<string, string> }>;
}

const MODES: Mode[] = [
  {
    name: "api-keys",
    async start() {
      const t = await startTestServer({ graphsConfigPath: AUTH_GRAPHS, authMode: "api-keys" });
      const keys = t.server.services.stores.apiKeys;
      const a = (await mintApiKey(keys, { user: "alice" })).key;
      const b = (await mintApiKey(keys, { user: "bob" })).key;
      return { t, a: { "x-api-key": a }, b: { "x-api-key": b } };
    },
  },
  {
    name: "custom",
    assistantsShared: true,
    async start() {
      const t = await startTestServer({ graphsConfigPath: AUTH_GRAPHS });
      return { t, a: { authorization: "Bearer user-alice" }, b: { authorization: "Bearer user-bob" } };
    },
  },
];

it("every operation of the spec has a probe", () => {
  expect(Object.keys(PROBES).sort()).toEqual([...operationIds].sort());
});

describe.each(MODES)("isolation probe, auth mode $name", (mode) => {
  let t: TestServer;
  let a: Client;
  let bHeaders: Record<string, string>;
  let ids: Ids;
  /** Everything of A's the probe could change, read back through A's own eyes. */
  let snapshot: () => Promise<unknown>;

  beforeAll(async () => {
    const started = await mode.start();
    t = started.t;
    bHeaders = started.b;
    a = new Client({ apiUrl: t.url, defaultHeaders: started.a, callerOptions: { maxRetries: 0 } });
    const thread = await a.threads.create({ metadata: { note: "alice's" } });
    const done = await a.runs.create(thread.thread_id, "whoami", { input: {} });
    await a.runs.join(thread.thread_id, done.run_id);
    const state = await a.threads.getState(thread.thread_id);
    const busy = await a.threads.create();
    const active = await a.runs.create(busy.thread_id, "slow", {
      input: {},
      config: { configurable: { total_steps: 20, step_ms: 1000 } },
    });
    const assistant = mode.assistantsShared
      ? { assistant_id: randomUUID() }
      : await a.assistants.create({
          graphId: "whoami",
          name: "alice's assistant",
          metadata: { note: "alice's" },
          config: { configurable: { secret: "alice's" } },
        });
    if (!mode.assistantsShared) await a.assistants.update(assistant.assistant_id, { metadata: { second: "version" } });
    await a.store.putItem(["notes"], "k", { note: "alice's" });
    await a.store.putItem(["alice's", "diary"], "d", { text: "alice's" }, { ttl: 60 });
    const feedbackUrl = `${t.url}/threads/${thread.thread_id}/runs/${done.run_id}/feedback`;
    const aHeaders = { ...started.a, "content-type": "application/json" };
    const given = await fetch(feedbackUrl, {
      method: "POST",
      headers: aHeaders,
      body: '{"rating":1,"comment":"alice\'s"}',
    });
    expect(given.status).toBe(200);
    const feedbackId = ((await given.json()) as { feedback_id: string }).feedback_id;
    const cron = await a.crons.createForThread(thread.thread_id, "whoami", {
      schedule: "0 0 1 1 *",
      metadata: { note: "alice's" },
    });
    ids = {
      thread_id: thread.thread_id,
      run_id: done.run_id,
      checkpoint_id: state.checkpoint.checkpoint_id!,
      active_thread: busy.thread_id,
      active_run: active.run_id,
      assistant_id: assistant.assistant_id,
      feedback_id: feedbackId,
      cron_id: cron.cron_id,
    };
    snapshot = async () => ({
      thread: await a.threads.get(ids.thread_id),
      state: await a.threads.getState(ids.thread_id),
      history: (await a.threads.getHistory(ids.thread_id)).length,
      runs: await a.runs.list(ids.thread_id),
      busyThread: (await a.threads.get(ids.active_thread)).metadata,
      activeRuns: (await a.runs.list(ids.active_thread)).map((r) => [r.run_id, r.status]),
      assistant: mode.assistantsShared ? null : await a.assistants.get(ids.assistant_id),
      assistantVersions: mode.assistantsShared ? null : await a.assistants.getVersions(ids.assistant_id),
      storeItems: await a.store.searchItems([], { refreshTtl: false }),
      storeNamespaces: await a.store.listNamespaces(),
      feedback: await (await fetch(feedbackUrl, { headers: started.a })).json(),
      crons: await a.crons.search({ limit: 100 }),
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const call = async (op: OperationId, c: Call, target: Ids) => {
    const route = operationRoutes[op];
    const path = fill(route.path, target, c.active) + (c.query ? `?${c.query}` : "");
    const body =
      c.body === undefined
        ? undefined
        : JSON.stringify(c.body).replace(/\{(\w+)\}/g, (m, name: string) =>
            name in target ? fill(m, target, false) : m,
          );
    const res = await fetch(`${t.url}${path}`, {
      method: route.method,
      headers: { ...bHeaders, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body,
    });
    return { status: res.status, text: await res.text(), path, sent: path + (body ?? "") };
  };

  /** A's ids and data in an answer, but for the ids the request itself named (a 404 may quote them). */
  const mentionsA = (answer: { text: string; sent: string }) =>
    [
      ids.thread_id,
      ids.run_id,
      ids.checkpoint_id,
      ids.active_thread,
      ids.active_run,
      ids.assistant_id,
      ids.feedback_id,
      ids.cron_id,
      "alice's",
    ].filter((x) => answer.text.includes(x) && !answer.sent.includes(x));

  it("user B never gets A's data from any operation, and nothing of A's changes", async () => {
    const before = await snapshot();
    for (const op of operationIds) {
      const probe = PROBES[op];
      if (probe.atAssistant && mode.assistantsShared) continue;
      for (const c of probe.calls) {
        const theirs = await call(op, c, ids);
        const where = `${op} ${theirs.path} ${JSON.stringify(c.body ?? "")}`;
        expect(mentionsA(theirs), where).toEqual([]);
        if (c.answer !== undefined) expect(theirs.text, where).toBe(c.answer);
        if (probe.kind === "aimed") {
          const missing = missingIds();
          const none = await call(op, c, missing);
          expect(theirs.status, `${where}: ${theirs.text}`).toBe(none.status);
          expect([403, 404], where).toContain(theirs.status);
          // Same body as for a missing id, once the ids are swapped.
          let text = theirs.text;
          for (const k of Object.keys(ids) as (keyof Ids)[]) text = text.replaceAll(ids[k], missing[k]);
          expect(text, where).toBe(none.text);
        } else if (probe.kind === "refused") {
          expect(theirs.status, where).toBe(probe.status);
        } else {
          expect(theirs.status, `${where}: ${theirs.text}`).toBeLessThan(300);
        }
      }
    }
    // POST /runs/cancel with status all stops B's runs only.
    const all = await call("cancelRuns", { body: { status: "all" } }, ids);
    expect(all.status).toBe(204);
    expect(await snapshot()).toEqual(before);
    expect((await a.runs.get(ids.active_thread, ids.active_run)).status).toBe("running");
    await a.runs.cancel(ids.active_thread, ids.active_run, true);
  });
});
