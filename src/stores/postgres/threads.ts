/**
 * Threads on Postgres. Every write that reads the row first (a patch merges into what is there) locks
 * it (`FOR UPDATE`), so concurrent updates of one thread apply one after the other, as SQLite's single
 * writer applies them. The `*In` methods run on a caller's transaction (the run lifecycle's).
 */
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import type { AccessScope } from "../access.ts";
import type {
  Json,
  NewThread,
  ThreadFilter,
  ThreadPatch,
  ThreadRecord,
  ThreadSearch,
  ThreadStatus,
  ThreadStore,
  ThreadTtl,
  ThreadTtlStrategy,
} from "../types.ts";
import { transaction, type PgPool, type Queryable } from "./pool.ts";
import { jsonMatchesSql } from "./sql/json-filter.ts";
import { LOCK_THREAD_RUNS, lockThreads } from "./sql/locks.ts";
import { Params } from "./sql/params.ts";
import { scopeSql } from "./sql/scope.ts";
import { isoColumn } from "./sql/time.ts";

interface ThreadRow {
  thread_id: string;
  created_at: string;
  updated_at: string;
  state_updated_at: string;
  metadata: Json;
  status: ThreadStatus;
  config: Json;
  state_values: Json | null;
  interrupts: Json;
  owner_id: string | null;
  ttl_strategy: ThreadTtlStrategy | null;
  ttl_minutes: number | null;
  expires_at: string | null;
}

/** The columns of a thread row, times as ISO text; `t` qualifies them with a table alias. */
export function threadColumns(t = "threads"): string {
  return [
    `${t}.thread_id`,
    isoColumn(`${t}.created_at`),
    isoColumn(`${t}.updated_at`),
    isoColumn(`${t}.state_updated_at`),
    `${t}.metadata`,
    `${t}.status`,
    `${t}.config`,
    `${t}.state_values`,
    `${t}.interrupts`,
    `${t}.owner_id`,
    `${t}.ttl_strategy`,
    `${t}.ttl_minutes`,
    isoColumn(`${t}.expires_at`),
  ].join(", ");
}

const COLUMNS = threadColumns();

function ttlOf(row: ThreadRow): ThreadTtl | null {
  if (row.ttl_strategy === null || row.ttl_minutes === null) return null;
  return { strategy: row.ttl_strategy, minutes: row.ttl_minutes, expires_at: row.expires_at };
}

/** The TTL columns for a thread written at `now` with `ttl`: it expires `ttl.minutes` from now. */
function ttlColumns(ttl: Pick<ThreadTtl, "strategy" | "minutes"> | null, now: string) {
  if (!ttl) return { strategy: null, minutes: null, expires: null };
  const expires = new Date(Date.parse(now) + ttl.minutes * 60_000).toISOString();
  return { strategy: ttl.strategy, minutes: ttl.minutes, expires };
}

function toRecord(row: ThreadRow): ThreadRecord {
  return {
    thread_id: row.thread_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
    state_updated_at: row.state_updated_at,
    metadata: row.metadata ?? {},
    status: row.status,
    config: row.config ?? {},
    values: row.state_values ?? null,
    interrupts: row.interrupts ?? {},
    owner_id: row.owner_id,
    ttl: ttlOf(row),
  };
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The config after a patch: replaced by `config`, or `mergeConfigUnlessBusy` merged in. */
function configAfter(row: ThreadRow, patch: ThreadPatch): Json {
  if (patch.config !== undefined) return patch.config;
  if (patch.mergeConfigUnlessBusy === undefined || row.status === "busy") return row.config;
  const base = row.config ?? {};
  const { configurable, ...rest } = patch.mergeConfigUnlessBusy;
  const merged: Json = { ...base, ...rest };
  if (configurable !== undefined || base.configurable !== undefined) {
    merged.configurable = {
      ...(isObject(base.configurable) ? base.configurable : {}),
      ...(isObject(configurable) ? configurable : {}),
    };
  }
  return merged;
}

/** A JSONB parameter, or SQL NULL for null. */
function jsonOrNull(p: Params, value: unknown): string {
  return value === null || value === undefined ? "NULL::jsonb" : p.json(value);
}

const SORT_COLUMNS = ["thread_id", "status", "created_at", "updated_at", "state_updated_at"] as const;
type SortColumn = (typeof SORT_COLUMNS)[number];

/** The WHERE of a search or count (with its leading WHERE, or ""). */
function filterSql(query: ThreadFilter, p: Params): string {
  const parts: string[] = [];
  if (query.status) parts.push(`status = ${p.add(query.status)}`);
  if (query.ids && query.ids.length > 0) parts.push(`thread_id = ANY(${p.add(query.ids)}::text[])`);
  const metadata = jsonMatchesSql("metadata", query.metadata, p);
  if (metadata) parts.push(metadata);
  const values = jsonMatchesSql("state_values", query.values, p);
  if (values) parts.push(values);
  const scope = scopeSql(query.scope, p);
  if (scope) parts.push(scope);
  return parts.length ? `WHERE ${parts.join(" AND ")}` : "";
}

export class PgThreadStore implements ThreadStore {
  /** `checkpoints`: the thread's LangGraph checkpoints, removed with it. */
  constructor(
    private readonly pool: PgPool,
    private readonly checkpoints: Pick<BaseCheckpointSaver, "deleteThread"> | null = null,
  ) {}

  /** Inserts the thread on `q`; undefined when a thread with that id already exists. */
  async insertIn(q: Queryable, thread: NewThread): Promise<ThreadRow | undefined> {
    const now = new Date().toISOString();
    const ttl = ttlColumns(thread.ttl ?? null, now);
    const p = new Params();
    const at = `${p.add(now)}::timestamptz`;
    const { rows } = await q.query<ThreadRow>(
      `INSERT INTO threads (thread_id, created_at, updated_at, state_updated_at, metadata, status, config,
         state_values, interrupts, owner_id, ttl_strategy, ttl_minutes, expires_at)
       VALUES (${p.add(thread.thread_id)}, ${at}, ${at}, ${at}, ${p.json(thread.metadata ?? {})},
         ${p.add(thread.status ?? "idle")}, ${p.json(thread.config ?? {})}, ${jsonOrNull(p, thread.values)},
         ${p.json(thread.interrupts ?? {})}, ${p.add(thread.owner_id ?? null)}, ${p.add(ttl.strategy)},
         ${p.add(ttl.minutes)}::double precision, ${p.add(ttl.expires)}::timestamptz)
       ON CONFLICT (thread_id) DO NOTHING
       RETURNING ${COLUMNS}`,
      p.values,
    );
    return rows[0];
  }

  /** The thread's row if it exists within the scope; `lock` takes its row lock (inside a transaction). */
  async getIn(q: Queryable, threadId: string, scope?: AccessScope, lock = false): Promise<ThreadRow | undefined> {
    const p = new Params();
    const where = [`thread_id = ${p.add(threadId)}`, scopeSql(scope, p)].filter(Boolean).join(" AND ");
    const { rows } = await q.query<ThreadRow>(
      `SELECT ${COLUMNS} FROM threads WHERE ${where}${lock ? " FOR UPDATE" : ""}`,
      p.values,
    );
    return rows[0];
  }

  /** Applies the patch on `q`, which must be a transaction (the row is locked until it ends). */
  async updateIn(q: Queryable, threadId: string, patch: ThreadPatch): Promise<ThreadRow | undefined> {
    const row = await this.getIn(q, threadId, undefined, true);
    if (!row) return undefined;
    const now = new Date().toISOString();
    // Every update is activity: a thread with a TTL expires that long after its last one.
    const ttl = ttlColumns(patch.ttl !== undefined ? patch.ttl : ttlOf(row), now);
    const values = patch.values === undefined ? row.state_values : patch.values;
    const p = new Params();
    const { rows } = await q.query<ThreadRow>(
      `UPDATE threads SET
         metadata = ${p.json(patch.metadata !== undefined ? { ...row.metadata, ...patch.metadata } : row.metadata)},
         status = ${p.add(patch.status ?? row.status)},
         config = ${p.json(configAfter(row, patch))},
         state_values = ${jsonOrNull(p, values)},
         interrupts = ${p.json(patch.interrupts !== undefined ? patch.interrupts : row.interrupts)},
         updated_at = ${p.add(now)},
         state_updated_at = ${p.add(patch.values !== undefined ? now : row.state_updated_at)}::timestamptz,
         ttl_strategy = ${p.add(ttl.strategy)},
         ttl_minutes = ${p.add(ttl.minutes)}::double precision,
         expires_at = ${p.add(ttl.expires)}::timestamptz
       WHERE thread_id = ${p.add(threadId)}
       RETURNING ${COLUMNS}`,
      p.values,
    );
    return rows[0];
  }

  async create(thread: NewThread): Promise<ThreadRecord | null> {
    const row = await this.insertIn(this.pool, thread);
    return row ? toRecord(row) : null;
  }

  async get(threadId: string, scope?: AccessScope): Promise<ThreadRecord | null> {
    const row = await this.getIn(this.pool, threadId, scope);
    return row ? toRecord(row) : null;
  }

  async update(threadId: string, patch: ThreadPatch): Promise<ThreadRecord | null> {
    const row = await transaction(this.pool, (client) => this.updateIn(client, threadId, patch));
    return row ? toRecord(row) : null;
  }

  async delete(threadId: string): Promise<boolean> {
    const deleted = await transaction(this.pool, async (client) => {
      // After any admission or run end in progress on the thread: a run end holds its run's row and
      // then waits for the thread's, which the cascade below would take in the other order.
      await lockThreads(client, LOCK_THREAD_RUNS, [threadId]);
      // The thread's runs go through the foreign key (and their feedback with them); its journal and
      // its runs' stream events have none.
      await client.query("DELETE FROM stream_events WHERE run_id IN (SELECT run_id FROM runs WHERE thread_id = $1)", [
        threadId,
      ]);
      await client.query("DELETE FROM run_events WHERE thread_id = $1", [threadId]);
      const { rowCount } = await client.query("DELETE FROM threads WHERE thread_id = $1", [threadId]);
      return (rowCount ?? 0) > 0;
    });
    // After the thread's rows: a crash in between leaves checkpoints of no thread, never a thread without its state.
    await this.checkpoints?.deleteThread(threadId);
    return deleted;
  }

  async search(query: ThreadSearch): Promise<{ items: ThreadRecord[]; total: number }> {
    const sortBy: SortColumn = SORT_COLUMNS.includes(query.sort_by as SortColumn) ? query.sort_by! : "created_at";
    const dir = query.sort_order === "asc" ? "ASC" : "DESC";
    const order = sortBy === "thread_id" ? `thread_id ${dir}` : `${sortBy} ${dir}, thread_id ${dir}`;
    const p = new Params();
    const where = filterSql(query, p);
    const count = { text: `SELECT COUNT(*)::int AS n FROM threads ${where}`, values: [...p.values] };
    const page = `SELECT ${COLUMNS} FROM threads ${where} ORDER BY ${order}
      LIMIT ${p.add(Math.max(0, Math.floor(query.limit)))} OFFSET ${p.add(Math.max(0, Math.floor(query.offset)))}`;
    // One snapshot for the page and the total.
    return transaction(this.pool, async (client) => {
      await client.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      const { rows } = await client.query<ThreadRow>(page, p.values);
      const total = (await client.query<{ n: number }>(count.text, count.values)).rows[0]!.n;
      return { items: rows.map(toRecord), total };
    });
  }

  async count(filter: ThreadFilter): Promise<number> {
    const p = new Params();
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT COUNT(*)::int AS n FROM threads ${filterSql(filter, p)}`,
      p.values,
    );
    return rows[0]!.n;
  }

  async expired(now: string, limit: number): Promise<ThreadRecord[]> {
    const { rows } = await this.pool.query<ThreadRow>(
      `SELECT ${COLUMNS} FROM threads
       WHERE expires_at IS NOT NULL AND expires_at <= $1 AND status <> 'busy'
       ORDER BY expires_at, thread_id LIMIT $2`,
      [now, Math.max(0, Math.floor(limit))],
    );
    return rows.map(toRecord);
  }

  async clearExpiry(threadId: string, expiresAt: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      "UPDATE threads SET expires_at = NULL WHERE thread_id = $1 AND expires_at = $2",
      [threadId, expiresAt],
    );
    return (rowCount ?? 0) > 0;
  }
}
