import type { StatementCache } from "../../src/stores/sqlite/sql/statements.ts";
import { mkdtempSync, rmSync, existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import { openSqliteStores, type SqliteStores } from "../../src/stores/sqlite/index.ts";
import { openDatabase } from "../../src/stores/sqlite/database.ts";
import { MIGRATIONS, runMigrations } from "../../src/stores/sqlite/migrations.ts";
import { describeStoreConformance } from "./conformance/index.ts";
import type { Stores } from "../../src/stores/types.ts";

const root = mkdtempSync(join(tmpdir(), "threadgate-sqlite-"));
let counter = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const freshPath = () => join(root, `db-${process.pid}-${++counter}`, "threadgate.db");

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

// A second connection to the same file, as a second process.
const twin = (stores: Stores) => openSqliteStores({ path: (stores as SqliteStores).db.name });
describeStoreConformance("sqlite", () => openSqliteStores({ path: freshPath() }), { twin });
describeStoreConformance("sqlite, no run cache", () => openSqliteStores({ path: freshPath(), runCacheBytes: 0 }));

describe("sqlite specifics", () => {
  const opened: SqliteStores[] = [];
  const open = async (path: string) => {
    const s = await openSqliteStores({ path });
    opened.push(s);
    return s;
  };
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });

  it("creates parent directories and configures the connection", async () => {
    const path = freshPath();
    const s = await open(path);
    expect(existsSync(path)).toBe(true);
    expect(s.db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(s.db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(s.db.pragma("synchronous", { simple: true })).toBe(1); // NORMAL
    expect(s.db.pragma("busy_timeout", { simple: true })).toBeGreaterThan(0);
    const tables = (s.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[])
      .map((r) => r.name)
      .sort();
    expect(tables).toEqual(
      expect.arrayContaining(["run_events", "runs", "schema_migrations", "stream_events", "threads"]),
    );
    // LangGraph's checkpoints have a file of their own beside it, with the same settings.
    expect(tables).not.toContain("checkpoints");
    expect(existsSync(join(dirname(path), "threadgate.checkpoints.db"))).toBe(true);
    expect(s.checkpointDb.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(s.checkpointDb.pragma("synchronous", { simple: true })).toBe(1);
    const checkpointTables = (
      s.checkpointDb.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((r) => r.name);
    expect(checkpointTables.sort()).toEqual(["checkpoints", "writes"]);
  });

  it("a database made before checkpoints had their own file gets them moved there on open", async () => {
    const path = freshPath();
    // The old layout: LangGraph's tables in the stores' file, written through LangGraph's own saver.
    const old = await openDatabase(path);
    const saver = new SqliteSaver(old);
    const graph = new StateGraph(Annotation.Root({ n: Annotation<number>() }))
      .addNode("one", () => ({ n: 1 }))
      .addEdge(START, "one")
      .addEdge("one", END)
      .compile({ checkpointer: saver });
    await graph.invoke({ n: 0 }, { configurable: { thread_id: "t1" } });
    const count = (db: typeof old) => ({
      checkpoints: db.prepare("SELECT COUNT(*) FROM checkpoints").pluck().get() as number,
      writes: db.prepare("SELECT COUNT(*) FROM writes").pluck().get() as number,
    });
    const before = count(old);
    expect(before.checkpoints).toBeGreaterThan(0);
    expect(before.writes).toBeGreaterThan(0);
    old.close();

    const s = await open(path);
    const mainTables = s.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(mainTables).not.toContain("checkpoints");
    expect(mainTables).not.toContain("writes");
    expect(count(s.checkpointDb)).toEqual(before);
    const tuple = await s.checkpointer.getTuple({ configurable: { thread_id: "t1" } });
    expect(tuple?.checkpoint.channel_values).toMatchObject({ n: 1 });
    // Opening again moves nothing twice.
    await s.close();
    const again = await open(path);
    expect(count(again.checkpointDb)).toEqual(before);
  });

  it("checkpoints the WAL into the database under writes that return their row", async () => {
    // SQLite runs its WAL autocheckpoint when a statement steps to its end. A write with
    // RETURNING that is read one row and reset commits without it, and the WAL grew without bound.
    const path = freshPath();
    const s = await open(path);
    const limit = s.db.pragma("wal_autocheckpoint", { simple: true }) as number;
    const pageSize = s.db.pragma("page_size", { simple: true }) as number;
    const walBytes = () => statSync(`${path}-wal`).size;
    // Each round appends several pages to the WAL: far more than twice the limit in all.
    for (let i = 0; i < 3000; i++) {
      await s.threads.create({ thread_id: `t${i}`, metadata: {} });
      await s.runs.insert({
        run_id: `r${i}`,
        thread_id: `t${i}`,
        assistant_id: "agent",
        metadata: {},
        kwargs: {},
        multitask_strategy: "reject",
      });
      await s.runs.transition(`r${i}`, ["pending"], "running");
    }
    // The pages went into the database file, and the WAL stayed near the limit.
    expect(statSync(path).size).toBeGreaterThan(100 * pageSize);
    expect(walBytes()).toBeLessThan(1.5 * limit * (pageSize + 24));
  });

  it("finds active runs through indexes that hold only active runs", async () => {
    // Finished runs are most of the table; lookups of pending/running runs (every admission, every
    // run's end, recovery) must not scan them, and finished runs must not be kept in these indexes.
    const s = await open(freshPath());
    const plan = (sql: string, ...params: unknown[]) =>
      (s.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
        .map((r) => r.detail)
        .join("; ");
    const runsStore = s.runs as unknown as Record<string, { source: string }>;
    for (const key of ["activeStmt", "hasActiveStmt", "countActiveStmt"]) {
      expect(plan(runsStore[key].source, "t1"), key).toMatch(/USING (COVERING )?INDEX ix_runs_active_by_thread/);
    }
    expect(plan(runsStore.listActiveStmt.source, '["running"]')).toMatch(/USING (COVERING )?INDEX ix_runs_active\b/);
    const partial = s.db
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'runs' AND sql LIKE '%status%'")
      .all() as { name: string; sql: string }[];
    expect(partial.length).toBeGreaterThan(0);
    for (const index of partial) expect(index.sql, index.name).toMatch(/WHERE status IN \('pending', 'running'\)/);
  });

  it("thread search reads only the threads it returns, and counts the total from an index", async () => {
    // A thread row holds its state values, so scanning the table costs in proportion to every
    // thread's state: a thread list must not, whatever the number of threads, unless it filters
    // on metadata (which has no index).
    const s = await open(freshPath());
    await s.threads.create({ thread_id: "t1", metadata: {}, owner_id: "alice" });
    const queries = [
      {},
      { status: "idle" as const },
      { ids: ["t1"] },
      { scope: { owner_id: "alice" } },
      { status: "busy" as const, scope: { owner_id: "alice" } },
      { sort_by: "updated_at" as const, sort_order: "asc" as const },
      { sort_by: "created_at" as const, sort_order: "asc" as const, scope: { owner_id: "bob" } },
      { sort_by: "thread_id" as const },
    ];
    for (const q of queries) await s.threads.search({ limit: 10, offset: 0, ...q });
    const cached = [...(s.threads as unknown as { searchStmts: Map<string, unknown> }).searchStmts.values()];
    const sources = cached.flatMap((c) =>
      Object.values(c as Record<string, { source: string }>).map((st) => st.source),
    );
    expect(sources.length).toBeGreaterThanOrEqual(queries.length * 2);
    const params = { status: "idle", ids: '["t1"]', scope_owner: "alice", metadata: null, limit: 10, offset: 0 };
    for (const sql of sources) {
      const used = Object.fromEntries(Object.entries(params).filter(([k]) => sql.includes(`@${k}`)));
      const plan = (s.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(used) as { detail: string }[])
        .map((r) => r.detail)
        .join("; ");
      expect(plan, sql).not.toMatch(/SCAN threads(?! USING)/); // no full scan of the table itself
      // Pages come in index order, no sort of every match: only matches bounded by the request (the
      // ids given, the owner's own threads, found through their indexes) may be sorted.
      if (!sql.includes("@ids") && !sql.includes("@scope_owner")) expect(plan, sql).not.toMatch(/TEMP B-TREE/);
    }
  });

  it("store items under a namespace prefix are a range of the primary key, not a scan", async () => {
    const s = await open(freshPath());
    await s.storeItems.put("alice", { namespace: ["users", "alice"], key: "k", value: {} });
    await s.storeItems.search("alice", { namespace_prefix: ["users"], limit: 10, offset: 0, refresh_ttl: false });
    await s.storeItems.listNamespaces("alice", { prefix: ["users"], suffix: [], limit: 10, offset: 0 });
    const cached = [...(s.storeItems as unknown as { statements: StatementCache }).statements.entries()];
    expect(cached.map(([key]) => key).sort()).toEqual(["namespaces:p", "search:p"]);
    for (const [key, stmt] of cached) {
      const plan = (
        s.db.prepare(`EXPLAIN QUERY PLAN ${stmt.source}`).all({
          owner_id: "alice",
          lo: "users.",
          hi: "users/",
          limit: 10,
          offset: 0,
          now: new Date().toISOString(),
        }) as { detail: string }[]
      )
        .map((r) => r.detail)
        .join("; ");
      expect(plan, key).toMatch(
        /SEARCH store_items USING (COVERING )?(PRIMARY KEY|INDEX \S+) \(owner_id=\? AND namespace>\? AND namespace<\?\)/,
      );
    }
  });

  it("a store item's time to live is kept as its expiry: set by put, moved by refreshing reads, cleared by a put without", async () => {
    const s = await open(freshPath());
    const expiry = () =>
      s.db.prepare("SELECT ttl_minutes, expires_at FROM store_items WHERE key = 'k'").get() as {
        ttl_minutes: number | null;
        expires_at: string | null;
      };
    const before = Date.now();
    await s.storeItems.put("o", { namespace: ["t"], key: "k", value: {}, ttl_minutes: 10 });
    const first = expiry();
    expect(first.ttl_minutes).toBe(10);
    expect(Date.parse(first.expires_at!) - before).toBeGreaterThanOrEqual(10 * 60_000);
    expect(Date.parse(first.expires_at!) - Date.now()).toBeLessThanOrEqual(10 * 60_000);
    await sleep(5);
    await s.storeItems.get("o", ["t"], "k", false);
    expect(expiry()).toEqual(first);
    await s.storeItems.get("o", ["t"], "k", true);
    expect(expiry().expires_at! > first.expires_at!).toBe(true);
    await sleep(5);
    const refreshed = expiry();
    await s.storeItems.search("o", { namespace_prefix: ["t"], limit: 10, offset: 0, refresh_ttl: true });
    expect(expiry().expires_at! > refreshed.expires_at!).toBe(true);
    await s.storeItems.put("o", { namespace: ["t"], key: "k", value: {} });
    expect(expiry()).toEqual({ ttl_minutes: null, expires_at: null });
  });

  it("works in memory", async () => {
    const s = await open(":memory:");
    await s.threads.create({ thread_id: "t1", metadata: {} });
    expect(await s.threads.get("t1")).not.toBeNull();
  });

  it("close is idempotent", async () => {
    const s = await openSqliteStores({ path: freshPath() });
    await s.close();
    await s.close();
    expect(s.db.open).toBe(false);
  });

  it("keeps threads, runs, stream events and journal across close and reopen", async () => {
    const path = freshPath();
    const a = await openSqliteStores({ path });
    const thread = await a.threads.create({ thread_id: "t1", metadata: { k: "v" }, owner_id: "alice" });
    await a.threads.update("t1", { values: { messages: ["hi"] }, status: "interrupted" });
    const run = await a.runs.insert({
      run_id: "r1",
      thread_id: "t1",
      assistant_id: "agent",
      metadata: {},
      kwargs: { input: { x: 1 } },
      multitask_strategy: "enqueue",
    });
    await a.runs.update("r1", {
      status: "success",
      counters: {
        total_tokens: 7,
        token_usage_by_model: { m: { input_tokens: 1, output_tokens: 6, total_tokens: 7, calls: 1 } },
      },
    });
    await a.streamEvents.append([
      { run_id: "r1", seq: 0, event: "metadata", data: '{"run_id":"r1"}' },
      { run_id: "r1", seq: 1, event: "values", data: '{"x":1}' },
    ]);
    await a.journal.append([
      {
        thread_id: "t1",
        run_id: "r1",
        event_type: "llm.human.input",
        category: "message",
        content: { c: 1 },
        metadata: {},
      },
    ]);
    const threadAfter = await a.threads.get("t1");
    const runAfter = await a.runs.get("r1");
    await a.close();

    const b = await open(path);
    expect(await b.threads.get("t1")).toEqual(threadAfter);
    expect(threadAfter!.created_at).toBe(thread!.created_at);
    expect(await b.runs.get("r1")).toEqual(runAfter);
    expect(runAfter!.created_at).toBe(run.created_at);
    expect(runAfter!.total_tokens).toBe(7);
    expect((await b.streamEvents.list("r1", -1)).map((e) => e.seq)).toEqual([0, 1]);
    const j = await b.journal.listThreadMessages("t1", { limit: 10 });
    expect(j.data).toHaveLength(1);
    expect(j.data[0].content).toEqual({ c: 1 });
    // the thread-global journal sequence continues after reopen
    const more = await b.journal.append([
      { thread_id: "t1", run_id: "r1", event_type: "run.end", category: "outputs", content: null, metadata: {} },
    ]);
    expect(more[0].seq).toBe(2);
  });

  it("migrations are idempotent: opening twice applies each once", async () => {
    const path = freshPath();
    const a = await open(path);
    const first = a.db.prepare("SELECT name, applied_at FROM schema_migrations ORDER BY name").all();
    expect(first.map((r) => (r as { name: string }).name)).toEqual(MIGRATIONS.map((m) => m.name));
    await a.threads.create({ thread_id: "t1", metadata: {} });
    await a.close();
    opened.splice(opened.indexOf(a), 1);

    const b = await open(path);
    expect(b.db.prepare("SELECT name, applied_at FROM schema_migrations ORDER BY name").all()).toEqual(first);
    expect(await b.threads.get("t1")).not.toBeNull();
    // a second runner on an open connection has nothing to do
    expect(await runMigrations(b.db)).toEqual([]);
    // two connections to the same file at once (the second waits on the first's lock)
    const c = await open(path);
    expect(await c.threads.get("t1")).not.toBeNull();
  });

  it("a later migration is an ordinary addition and a failing one rolls back completely", async () => {
    const path = freshPath();
    const db = await openDatabase(path);
    try {
      const extra = [...MIGRATIONS, { name: "9001_test_extra", up: "CREATE TABLE extra_table (id TEXT PRIMARY KEY);" }];
      expect(await runMigrations(db, extra)).toEqual(["9001_test_extra"]);
      expect(await runMigrations(db, extra)).toEqual([]);
      const broken = [...extra, { name: "9002_broken", up: "CREATE TABLE half (id TEXT); THIS IS NOT SQL;" }];
      await expect(runMigrations(db, broken)).rejects.toThrow();
      expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
      expect(
        (db.prepare("SELECT name FROM schema_migrations ORDER BY name").all() as { name: string }[]).map((r) => r.name),
      ).toEqual([...MIGRATIONS.map((m) => m.name), "9001_test_extra"]);
      expect(db.inTransaction).toBe(false);
    } finally {
      db.close();
    }
  });

  it("runs.thread_id references threads (ON DELETE CASCADE)", async () => {
    const s = await open(freshPath());
    await expect(
      s.runs.insert({
        run_id: "r1",
        thread_id: "missing",
        assistant_id: "a",
        metadata: {},
        kwargs: {},
        multitask_strategy: "reject",
      }),
    ).rejects.toThrow(/FOREIGN KEY/);
  });

  it("deleteRunCheckpoints on real LangGraph checkpoints removes only that run's", async () => {
    const s = await open(freshPath());
    const State = Annotation.Root({
      count: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }),
      log: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
      visits: Annotation<number>(),
    });
    const InnerState = Annotation.Root({ visits: Annotation<number>() });
    // a subgraph node too, so checkpoints are also written in a "sub:<task>" namespace
    const inner = new StateGraph(InnerState)
      .addNode("noop", (st: typeof InnerState.State) => ({ visits: (st.visits ?? 0) + 1 }))
      .addEdge(START, "noop")
      .addEdge("noop", END)
      .compile();
    const graph = new StateGraph(State)
      .addNode("inc", (st: typeof State.State) => ({ count: 1, log: [`inc@${st.count}`] }))
      .addNode("double", (st: typeof State.State) => ({ count: st.count, log: ["double"] }))
      .addNode("sub", inner)
      .addEdge(START, "inc")
      .addEdge("inc", "double")
      .addEdge("double", "sub")
      .addEdge("sub", END)
      .compile({ checkpointer: s.checkpointer });

    const cfg = (run_id: string) => ({ configurable: { thread_id: "t1" }, metadata: { run_id } });
    const out1 = await graph.invoke({ count: 1 }, cfg("r1"));
    expect(out1.count).toBe(4); // (1 + 1) * 2
    const afterR1 = await s.checkpointer.getTuple({ configurable: { thread_id: "t1" } });
    expect(afterR1?.metadata).toMatchObject({ run_id: "r1" });

    const out2 = await graph.invoke({ count: 1 }, cfg("r2"));
    expect(out2.count).toBe(12); // (4 + 1 + 1) * 2
    // a second thread run under the same run id must survive
    await graph.invoke({ count: 1 }, { configurable: { thread_id: "t2" }, metadata: { run_id: "r2" } });

    const all: { id: string; run_id: unknown }[] = [];
    for await (const t of s.checkpointer.list({ configurable: { thread_id: "t1" } })) {
      all.push({
        id: t.config.configurable!.checkpoint_id as string,
        run_id: (t.metadata as Record<string, unknown>).run_id,
      });
    }
    const r1Ids = all.filter((c) => c.run_id === "r1").map((c) => c.id);
    const r2Ids = all.filter((c) => c.run_id === "r2").map((c) => c.id);
    expect(r1Ids.length).toBeGreaterThan(0);
    expect(r2Ids.length).toBeGreaterThan(0);
    expect(r1Ids.length + r2Ids.length).toBe(all.length); // every checkpoint carries the run id
    const namespaces = () =>
      (
        s.checkpointDb.prepare("SELECT DISTINCT checkpoint_ns AS ns FROM checkpoints WHERE thread_id = 't1'").all() as {
          ns: string;
        }[]
      ).map((r) => r.ns);
    expect(namespaces().some((ns) => ns.startsWith("sub:"))).toBe(true);
    const rawMeta = (
      s.checkpointDb.prepare("SELECT CAST(metadata AS TEXT) AS m FROM checkpoints WHERE thread_id = 't1'").all() as {
        m: string;
      }[]
    ).map((r) => JSON.parse(r.m) as Record<string, unknown>);
    expect(rawMeta.every((m) => typeof m.run_id === "string" && typeof m.source === "string")).toBe(true);
    expect(rawMeta.some((m) => "ls_integration" in m || "thread_id" in m || "langgraph_node" in m)).toBe(false);
    const writesFor = (ids: string[]) =>
      (
        s.checkpointDb
          .prepare(
            "SELECT COUNT(*) AS n FROM writes WHERE thread_id = 't1' AND checkpoint_id IN (SELECT value FROM json_each(?))",
          )
          .get(JSON.stringify(ids)) as { n: number }
      ).n;
    const r1Writes = writesFor(r1Ids);
    expect(writesFor(r2Ids)).toBeGreaterThan(0);

    expect(await s.checkpointAdmin.deleteRunCheckpoints("t1", "r2")).toBe(r2Ids.length);

    const latest = await s.checkpointer.getTuple({ configurable: { thread_id: "t1" } });
    expect(latest?.config.configurable?.checkpoint_id).toBe(afterR1?.config.configurable?.checkpoint_id);
    expect(latest?.metadata).toMatchObject({ run_id: "r1" });
    expect(latest?.checkpoint.channel_values.count).toBe(4);
    const left: string[] = [];
    for await (const t of s.checkpointer.list({ configurable: { thread_id: "t1" } })) {
      left.push(t.config.configurable!.checkpoint_id as string);
    }
    expect(left.sort()).toEqual([...r1Ids].sort());
    expect(namespaces().some((ns) => ns.startsWith("sub:"))).toBe(true); // r1's subgraph checkpoints remain
    expect(writesFor(r2Ids)).toBe(0);
    expect(writesFor(r1Ids)).toBe(r1Writes);
    expect((await graph.getState({ configurable: { thread_id: "t1" } })).values.count).toBe(4);
    expect((await graph.getState({ configurable: { thread_id: "t2" } })).values.count).toBe(4);

    // the graph continues from r1's state
    const out3 = await graph.invoke({ count: 0 }, cfg("r3"));
    expect(out3.count).toBe(10); // (4 + 0 + 1) * 2
  });
});
