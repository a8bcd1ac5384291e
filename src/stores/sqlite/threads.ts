import type { Statement, Transaction } from "better-sqlite3";
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
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { fromJson, nowIso, toJson, writeReturning, type SqliteDatabase } from "./database.ts";
import type { RunJsonCache } from "./run-json-cache.ts";
import type { AccessScope } from "../access.ts";
import { registerJsonMatcher } from "./sql/json-match.ts";
import { registerAuthMatcher, scopeSql } from "./sql/scope.ts";

export interface ThreadRow {
  thread_id: string;
  created_at: string;
  updated_at: string;
  metadata: string;
  status: string;
  config: string;
  state_values: string | null;
  interrupts: string;
  owner_id: string | null;
  state_updated_at: string | null;
  ttl_strategy: string | null;
  ttl_minutes: number | null;
  expires_at: string | null;
}

function ttlOf(row: ThreadRow): ThreadTtl | null {
  if (row.ttl_strategy === null || row.ttl_minutes === null) return null;
  return { strategy: row.ttl_strategy as ThreadTtlStrategy, minutes: row.ttl_minutes, expires_at: row.expires_at };
}

/** The TTL columns for a thread written at `now` with `ttl`: it expires `ttl.minutes` from now. */
function ttlColumns(ttl: Pick<ThreadTtl, "strategy" | "minutes"> | null, now: string) {
  if (!ttl) return { ttl_strategy: null, ttl_minutes: null, expires_at: null };
  const expires = new Date(Date.parse(now) + ttl.minutes * 60_000).toISOString();
  return { ttl_strategy: ttl.strategy, ttl_minutes: ttl.minutes, expires_at: expires };
}

function toRecord(row: ThreadRow): ThreadRecord {
  return {
    thread_id: row.thread_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
    state_updated_at: row.state_updated_at ?? row.updated_at,
    metadata: fromJson<Json>(row.metadata, {}),
    status: row.status as ThreadStatus,
    config: fromJson<Json>(row.config, {}),
    values: fromJson<Json | null>(row.state_values, null),
    interrupts: fromJson<Json>(row.interrupts, {}),
    owner_id: row.owner_id,
    ttl: ttlOf(row),
  };
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The config column after a patch: replaced by `config`, or `mergeConfigUnlessBusy` merged in. */
function configAfter(row: ThreadRow, patch: ThreadPatch): string {
  if (patch.config !== undefined) return toJson(patch.config);
  if (patch.mergeConfigUnlessBusy === undefined || row.status === "busy") return row.config;
  const base = fromJson<Json>(row.config, {});
  const { configurable, ...rest } = patch.mergeConfigUnlessBusy;
  const merged: Json = { ...base, ...rest };
  if (configurable !== undefined || base.configurable !== undefined) {
    merged.configurable = {
      ...(isObject(base.configurable) ? base.configurable : {}),
      ...(isObject(configurable) ? configurable : {}),
    };
  }
  return toJson(merged);
}

const SORT_COLUMNS = ["thread_id", "status", "created_at", "updated_at", "state_updated_at"] as const;
type SortColumn = (typeof SORT_COLUMNS)[number];

type SearchFilter = "status" | "ids" | "metadata" | "values" | "scope_owner" | "scope_filters";

/** Each filter's condition; a search names only the filters it has, so the planner can use an index for each. */
const FILTER_SQL: Record<SearchFilter, string> = {
  status: "status = @status",
  ids: "thread_id IN (SELECT value FROM json_each(@ids))",
  metadata: "tg_json_matches(metadata, @metadata)",
  values: "tg_json_matches(state_values, @values)",
  // The caller's scope (see scope.ts), as its own filters so each shape gets its own statement.
  scope_owner: "owner_id = @scope_owner",
  scope_filters: "tg_auth_matches(metadata, @scope_filters)",
};

/** The page and the total of one search shape (its filters, its order). */
interface SearchStatements {
  rows: Statement;
  count: Statement;
}

export class SqliteThreadStore implements ThreadStore {
  private readonly insertStmt: Statement;
  private readonly getStmt: Statement;
  /** `get` within a scope, by the scope's shape. */
  private readonly scopedGetStmts = new Map<string, Statement>();
  private readonly updateStmt: Statement;
  private readonly expiredStmt: Statement;
  private readonly clearExpiryStmt: Statement;
  /** Prepared on first use, by filters and order: at most 64 filter sets × 8 orders. */
  private readonly searchStmts = new Map<string, SearchStatements>();
  private readonly deleteTx: Transaction<(threadId: string) => boolean>;
  private readonly updateTx: Transaction<(threadId: string, patch: ThreadPatch) => ThreadRow | undefined>;
  private readonly searchTx: Transaction<
    (stmts: SearchStatements, params: Record<string, unknown>) => { rows: ThreadRow[]; total: number }
  >;
  private readonly db: SqliteDatabase;

  /**
   * `runJson`: the run store's cache of finished runs, told which runs a thread delete removes;
   * `checkpoints`: the thread's LangGraph checkpoints (in a file of their own), removed with it.
   */
  constructor(
    db: SqliteDatabase,
    runJson: RunJsonCache | null = null,
    private readonly checkpoints: Pick<BaseCheckpointSaver, "deleteThread"> | null = null,
  ) {
    registerJsonMatcher(db);
    registerAuthMatcher(db);
    this.insertStmt = db.prepare(`
      INSERT INTO threads (thread_id, created_at, updated_at, state_updated_at, metadata, status, config, state_values,
        interrupts, owner_id, ttl_strategy, ttl_minutes, expires_at)
      VALUES (@thread_id, @now, @now, @now, @metadata, @status, @config, @state_values,
        @interrupts, @owner_id, @ttl_strategy, @ttl_minutes, @expires_at)
      ON CONFLICT (thread_id) DO NOTHING
      RETURNING *`);
    this.getStmt = db.prepare("SELECT * FROM threads WHERE thread_id = ?");
    this.updateStmt = db.prepare(`
      UPDATE threads SET
        metadata = @metadata, status = @status, config = @config, state_values = @state_values,
        interrupts = @interrupts, updated_at = @now, state_updated_at = @state_updated_at,
        ttl_strategy = @ttl_strategy, ttl_minutes = @ttl_minutes, expires_at = @expires_at
      WHERE thread_id = @thread_id
      RETURNING *`);
    this.expiredStmt = db.prepare(`
      SELECT * FROM threads WHERE expires_at IS NOT NULL AND expires_at <= ? AND status <> 'busy'
      ORDER BY expires_at LIMIT ?`);
    this.clearExpiryStmt = db.prepare("UPDATE threads SET expires_at = NULL WHERE thread_id = ? AND expires_at = ?");
    this.db = db;

    const delStreamEvents = db.prepare(
      "DELETE FROM stream_events WHERE run_id IN (SELECT run_id FROM runs WHERE thread_id = ?)",
    );
    const delJournal = db.prepare("DELETE FROM run_events WHERE thread_id = ?");
    const delRuns = db.prepare("DELETE FROM runs WHERE thread_id = ?");
    const delThread = db.prepare("DELETE FROM threads WHERE thread_id = ?");
    const runIds = db.prepare("SELECT run_id FROM runs WHERE thread_id = ?").pluck();
    this.deleteTx = db.transaction((threadId: string) => {
      if (runJson) for (const runId of runIds.all(threadId) as string[]) runJson.forget(runId);
      delStreamEvents.run(threadId);
      delJournal.run(threadId);
      delRuns.run(threadId);
      return delThread.run(threadId).changes > 0;
    });

    // One read transaction so the page and the total come from the same snapshot.
    this.searchTx = db.transaction((stmts: SearchStatements, params: Record<string, unknown>) => {
      const rows = stmts.rows.all(params) as ThreadRow[];
      const { limit: _l, offset: _o, ...filters } = params;
      const { n } = stmts.count.get(filters) as { n: number };
      return { rows, total: n };
    });

    this.updateTx = db.transaction((threadId: string, patch: ThreadPatch) => this.updateRow(threadId, patch));
  }

  /**
   * The update itself, without a transaction of its own: inside a caller's transaction (the run
   * lifecycle store), or in `updateTx`. Undefined when the thread does not exist.
   */
  updateRow(threadId: string, patch: ThreadPatch): ThreadRow | undefined {
    const row = this.getStmt.get(threadId) as ThreadRow | undefined;
    if (!row) return undefined;
    const metadata =
      patch.metadata !== undefined ? { ...fromJson<Json>(row.metadata, {}), ...patch.metadata } : undefined;
    const now = nowIso();
    // Every update is activity: a thread with a TTL expires that long after its last one.
    const ttl = patch.ttl !== undefined ? patch.ttl : ttlOf(row);
    return writeReturning<ThreadRow>(this.updateStmt, {
      thread_id: threadId,
      now,
      state_updated_at: patch.values !== undefined ? now : (row.state_updated_at ?? row.updated_at),
      ...ttlColumns(ttl, now),
      metadata: metadata !== undefined ? toJson(metadata) : row.metadata,
      status: patch.status ?? row.status,
      config: configAfter(row, patch),
      state_values: patch.values === undefined ? row.state_values : patch.values === null ? null : toJson(patch.values),
      interrupts: patch.interrupts !== undefined ? toJson(patch.interrupts) : row.interrupts,
    });
  }

  /**
   * The insert itself, without a transaction of its own (for the run lifecycle store's). Undefined
   * when a thread with that id already exists.
   */
  insertRow(thread: NewThread): ThreadRow | undefined {
    const now = nowIso();
    return writeReturning<ThreadRow>(this.insertStmt, {
      thread_id: thread.thread_id,
      now,
      ...ttlColumns(thread.ttl ?? null, now),
      metadata: toJson(thread.metadata ?? {}),
      status: thread.status ?? "idle",
      config: toJson(thread.config ?? {}),
      state_values: thread.values == null ? null : toJson(thread.values),
      interrupts: toJson(thread.interrupts ?? {}),
      owner_id: thread.owner_id ?? null,
    });
  }

  async create(thread: NewThread): Promise<ThreadRecord | null> {
    const row = this.insertRow(thread);
    return row ? toRecord(row) : null;
  }

  async get(threadId: string, scope?: AccessScope): Promise<ThreadRecord | null> {
    const row = this.getRow(threadId, scope);
    return row ? toRecord(row) : null;
  }

  /** The thread's row if it exists within the scope (for the run lifecycle store's transactions too). */
  getRow(threadId: string, scope?: AccessScope): ThreadRow | undefined {
    const { where, params, shape } = scopeSql(scope);
    if (!where) return this.getStmt.get(threadId) as ThreadRow | undefined;
    let stmt = this.scopedGetStmts.get(shape);
    if (!stmt) {
      stmt = this.db.prepare(`SELECT * FROM threads WHERE thread_id = @thread_id AND ${where}`);
      this.scopedGetStmts.set(shape, stmt);
    }
    return stmt.get({ thread_id: threadId, ...params }) as ThreadRow | undefined;
  }

  async update(threadId: string, patch: ThreadPatch): Promise<ThreadRecord | null> {
    const row = this.updateTx.immediate(threadId, patch);
    return row ? toRecord(row) : null;
  }

  async delete(threadId: string): Promise<boolean> {
    const deleted = this.deleteTx.immediate(threadId);
    // After the thread's rows: a crash in between leaves checkpoints of no thread, never a thread without its state.
    await this.checkpoints?.deleteThread(threadId);
    return deleted;
  }

  private searchStatements(filters: SearchFilter[], sortBy: SortColumn, dir: "ASC" | "DESC"): SearchStatements {
    const key = `${[...filters].sort().join(",")}:${sortBy}:${dir}`;
    let stmts = this.searchStmts.get(key);
    if (!stmts) {
      const where = filters.length ? `WHERE ${filters.map((f) => FILTER_SQL[f]).join(" AND ")}` : "";
      const order = sortBy === "thread_id" ? `thread_id ${dir}` : `${sortBy} ${dir}, thread_id ${dir}`;
      stmts = {
        rows: this.db.prepare(`SELECT * FROM threads ${where} ORDER BY ${order} LIMIT @limit OFFSET @offset`),
        // Without filters SQLite counts the entries of its smallest index, not the rows (which hold state values).
        count: this.db.prepare(`SELECT COUNT(*) AS n FROM threads ${where}`),
      };
      this.searchStmts.set(key, stmts);
    }
    return stmts;
  }

  /** The search's filters as statement parameters, one per filter it has (named as in FILTER_SQL). */
  private filterParams(query: ThreadFilter): Partial<Record<SearchFilter, string>> {
    const filters: Partial<Record<SearchFilter, string>> = {};
    if (query.status) filters.status = query.status;
    if (query.ids && query.ids.length > 0) filters.ids = JSON.stringify(query.ids);
    if (query.metadata && Object.keys(query.metadata).length > 0) filters.metadata = JSON.stringify(query.metadata);
    if (query.values && Object.keys(query.values).length > 0) filters.values = JSON.stringify(query.values);
    Object.assign(filters, scopeSql(query.scope).params);
    return filters;
  }

  async search(query: ThreadSearch): Promise<{ items: ThreadRecord[]; total: number }> {
    const sortBy: SortColumn = SORT_COLUMNS.includes(query.sort_by as SortColumn) ? query.sort_by! : "created_at";
    const dir = query.sort_order === "asc" ? "ASC" : "DESC";
    const filters = this.filterParams(query);
    const { rows, total } = this.searchTx(this.searchStatements(Object.keys(filters) as SearchFilter[], sortBy, dir), {
      ...filters,
      limit: Math.max(0, Math.floor(query.limit)),
      offset: Math.max(0, Math.floor(query.offset)),
    });
    return { items: rows.map(toRecord), total };
  }

  async expired(now: string, limit: number): Promise<ThreadRecord[]> {
    return (this.expiredStmt.all(now, Math.max(0, Math.floor(limit))) as ThreadRow[]).map(toRecord);
  }

  async clearExpiry(threadId: string, expiresAt: string): Promise<boolean> {
    return this.clearExpiryStmt.run(threadId, expiresAt).changes > 0;
  }

  async count(filter: ThreadFilter): Promise<number> {
    const filters = this.filterParams(filter);
    const stmts = this.searchStatements(Object.keys(filters) as SearchFilter[], "created_at", "DESC");
    return (stmts.count.get(filters) as { n: number }).n;
  }
}
