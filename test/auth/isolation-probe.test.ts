/**
 * The isolation probe, driven by the spec's own list of operations (generated/operation-ids.ts): user B
 * calls every operation on user A's thread, runs and checkpoint, and never gets A's data — another user's
 * resource answers exactly as a missing one does (same status, same body but for the id) — and nothing
 * of A's changes. A new operation without a probe here fails to compile, and fails the first test.
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
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { mintApiKey } from "../../src/auth/api-keys.ts";

const AUTH_GRAPHS = fileURLToPath(new URL("./fixtures/langgraph.json", import.meta.url));

interface Ids {
  thread_id: string;
  run_id: string;
  checkpoint_id: string;
  /** A's thread with a run in flight, and that run: what the cancel operations aim at. */
  active_thread: string;
  active_run: string;
  /** A's stored assistant. */
  assistant_id: string;
  /** A's feedback on the finished run. */
  feedback_id: string;
  /** A's cron on its thread. */
  cron_id: string;
}

/** `answer`: the exact body the call must get (what B's own view holds: none of A's). */
type Call = { query?: string; body?: unknown; active?: boolean; answer?: string };

/**
 * - aimed: the call names A's resource (in its path or body); it must answer as for ids that do not exist.
 * - refused: there is no missing-id twin to compare with (the id is taken); it must be this 4xx.
 * - own: the call acts on B's own resources; its answer must hold nothing of A's.
 * - shared: public or server-wide (health, system assistants); nothing of A's in it either.
 */
type Probe = (
  | { kind: "aimed"; calls: Call[] }
  | { kind: "refused"; status: number; calls: Call[] }
  | { kind: "own"; calls: Call[] }
  | { kind: "shared"; calls: Call[] }
) & { atAssistant?: true };

const run = { assistant_id: "whoami", input: {} };

const PROBES: Record<OperationId, Probe> = {
  getOk: { kind: "shared", calls: [{}] },
  getInfo: { kind: "shared", calls: [{}] },
  createAssistant: {
    kind: "refused",
    atAssistant: true,
    status: 409,
    calls: [
      { body: { graph_id: "whoami", assistant_id: "{assistant_id}" } },
      { body: { graph_id: "whoami", assistant_id: "{assistant_id}", if_exists: "do_nothing" } },
    ],
  },
  searchAssistants: {
    kind: "own",
    calls: [
      { body: {} },
      { body: { name: "alice" } },
      { body: { metadata: { note: "alice's" } } },
      { body: { graph_id: "whoami", sort_by: "updated_at" } },
    ],
  },
  countAssistants: { kind: "own", calls: [{ body: {} }, { body: { name: "alice" } }] },
  getAssistant: { kind: "aimed", atAssistant: true, calls: [{}] },
  patchAssistant: {
    kind: "aimed",
    atAssistant: true,
    calls: [{ body: { metadata: { stolen: true } } }, { body: { graph_id: "slow", name: "mine" } }],
  },
  deleteAssistant: { kind: "aimed", atAssistant: true, calls: [{}, { query: "delete_threads=true" }] },
  listAssistantVersions: { kind: "aimed", atAssistant: true, calls: [{ body: {} }] },
  setLatestAssistantVersion: { kind: "aimed", atAssistant: true, calls: [{ body: { version: 1 } }] },
  getAssistantGraph: { kind: "aimed", atAssistant: true, calls: [{}, { query: "xray=true" }] },
  getAssistantSchemas: { kind: "aimed", atAssistant: true, calls: [{}] },
  getAssistantSubgraphs: { kind: "aimed", atAssistant: true, calls: [{}, { query: "recurse=true" }] },
  getAssistantSubgraphsByNamespace: { kind: "aimed", atAssistant: true, calls: [{}, { query: "recurse=true" }] },
  createThread: {
    kind: "refused",
    status: 409,
    calls: [{ body: { thread_id: "{thread_id}" } }, { body: { thread_id: "{thread_id}", if_exists: "do_nothing" } }],
  },
  searchThreads: {
    kind: "own",
    calls: [
      { body: {} },
      { body: { ids: ["{thread_id}", "{active_thread}"] } },
      { body: { metadata: { graph_id: "whoami" } } },
      { body: { status: "busy" } },
    ],
  },
  countThreads: {
    kind: "own",
    calls: [
      { body: {} },
      { body: { ids: ["{thread_id}", "{active_thread}"] }, answer: "0" },
      { body: { metadata: { note: "alice's" } }, answer: "0" },
      { body: { status: "busy", ids: ["{active_thread}"] }, answer: "0" },
    ],
  },
  // Never touches A's threads (the snapshot holds them), idle or busy, by either strategy.
  pruneThreads: {
    kind: "own",
    calls: [
      {
        body: { thread_ids: ["{thread_id}", "{active_thread}"], strategy: "keep_latest" },
        answer: '{"pruned_count":0}',
      },
      { body: { thread_ids: ["{thread_id}", "{active_thread}"] }, answer: '{"pruned_count":0}' },
    ],
  },
  getThread: { kind: "aimed", calls: [{}] },
  patchThread: { kind: "aimed", calls: [{ body: { metadata: { stolen: true } } }] },
  deleteThread: { kind: "aimed", calls: [{}] },
  getThreadState: { kind: "aimed", calls: [{}, { query: "subgraphs=true" }] },
  updateThreadState: { kind: "aimed", calls: [{ body: { values: { user_id: "mallory" } } }] },
  patchThreadState: {
    kind: "aimed",
    calls: [
      { body: { metadata: { stolen: true } } },
      { body: { metadata: { stolen: true }, checkpoint_id: "{checkpoint_id}" } },
      { body: { metadata: { stolen: true } }, active: true },
    ],
  },
  readThreadStateAtCheckpoint: {
    kind: "aimed",
    calls: [{ body: { checkpoint: { checkpoint_id: "{checkpoint_id}" } } }],
  },
  getThreadStateAtCheckpoint: { kind: "aimed", calls: [{}] },
  listThreadHistory: { kind: "aimed", calls: [{}] },
  searchThreadHistory: { kind: "aimed", calls: [{ body: {} }] },
  // A's busy thread too: 404 as a missing one, never the 409 that would say it exists and is busy.
  copyThread: { kind: "aimed", calls: [{}, { active: true }] },
  createRun: {
    kind: "aimed",
    calls: [
      { body: run },
      { body: { ...run, multitask_strategy: "rollback" }, active: true },
      { body: { ...run, assistant_id: "{assistant_id}" } },
    ],
  },
  streamRun: { kind: "aimed", calls: [{ body: run }] },
  waitRun: { kind: "aimed", calls: [{ body: run }] },
  listRuns: { kind: "aimed", calls: [{}, { query: "status=running", active: true }] },
  getRun: { kind: "aimed", calls: [{}] },
  deleteRun: { kind: "aimed", calls: [{}] },
  cancelRun: {
    kind: "aimed",
    calls: [
      { query: "wait=true", active: true },
      { query: "action=rollback", active: true },
    ],
  },
  joinRun: { kind: "aimed", calls: [{}] },
  joinRunStream: { kind: "aimed", calls: [{}, { active: true }] },
  controlRunStream: { kind: "aimed", calls: [{ query: "action=interrupt", active: true }] },
  listThreadMessages: { kind: "aimed", calls: [{}] },
  listRunMessages: { kind: "aimed", calls: [{}] },
  listRunEvents: { kind: "aimed", calls: [{}] },
  getThreadTokenUsage: { kind: "aimed", calls: [{}] },
  putRunFeedback: { kind: "aimed", calls: [{ body: { rating: -1, comment: "stolen" } }] },
  createRunFeedback: { kind: "aimed", calls: [{ body: { rating: -1 } }] },
  listRunFeedback: { kind: "aimed", calls: [{}] },
  getRunFeedbackStats: { kind: "aimed", calls: [{}] },
  deleteRunFeedback: { kind: "aimed", calls: [{}] },
  deleteRunFeedbackById: { kind: "aimed", calls: [{}] },
  joinStatelessRunStream: { kind: "aimed", calls: [{}, { active: true }] },
  cancelRuns: {
    kind: "aimed",
    calls: [{ body: { thread_id: "{active_thread}" } }, { body: { run_ids: ["{active_run}"] } }],
  },
  createStatelessRun: { kind: "own", calls: [{ body: run }] },
  streamStatelessRun: { kind: "own", calls: [{ body: run }] },
  waitStatelessRun: { kind: "own", calls: [{ body: run }] },
  createRunBatch: { kind: "own", calls: [{ body: [run, run] }] },
  // A's items: ["notes"] "k" and ["alice's", "diary"] "d". B's store is B's own: B's put at A's
  // namespace and key makes B's item, and B's reads never hold A's.
  getStoreItem: {
    kind: "own",
    calls: [
      { query: "namespace=notes&key=k", answer: "null" },
      { query: "namespace=alice%27s.diary&key=d", answer: "null" },
      { query: "namespace=alice%27s&namespace=diary&key=d&refresh_ttl=false", answer: "null" },
    ],
  },
  listStoreNamespaces: {
    kind: "own",
    calls: [
      { body: {}, answer: '{"namespaces":[]}' },
      { body: { prefix: ["alice's"], max_depth: 1 }, answer: '{"namespaces":[]}' },
    ],
  },
  putStoreItem: { kind: "own", calls: [{ body: { namespace: ["notes"], key: "k", value: { mine: true } } }] },
  searchStoreItems: {
    kind: "own",
    calls: [
      { body: {} },
      { body: { namespace_prefix: ["alice's"] }, answer: '{"items":[]}' },
      { body: { filter: { note: "alice's" } }, answer: '{"items":[]}' },
    ],
  },
  createThreadCron: { kind: "aimed", calls: [{ body: { assistant_id: "whoami", schedule: "0 0 1 1 *" } }] },
  createCron: { kind: "own", calls: [{ body: { assistant_id: "whoami", schedule: "0 0 1 1 *" } }] },
  searchCrons: {
    kind: "own",
    calls: [
      { body: {} },
      { body: { thread_id: "{thread_id}" }, answer: "[]" },
      { body: { metadata: { note: "alice's" } }, answer: "[]" },
    ],
  },
  countCrons: { kind: "own", calls: [{ body: {} }, { body: { thread_id: "{thread_id}" }, answer: "0" }] },
  getCron: { kind: "aimed", calls: [{}] },
  patchCron: { kind: "aimed", calls: [{ body: { enabled: false, metadata: { stolen: true } } }] },
  deleteCron: { kind: "aimed", calls: [{}] },
  deleteStoreItem: {
    kind: "own",
    calls: [{ body: { namespace: ["notes"], key: "k" } }, { body: { namespace: ["alice's", "diary"], key: "d" } }],
  },
};

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
