import type { Statement, Transaction } from "better-sqlite3";
import {
  ACTIVE_RUN_STATUSES,
  isActiveRunStatus,
  type ActiveRunStatus,
  type Json,
  type MultitaskStrategy,
  type NewRun,
  type RunJson,
  type RunListQuery,
  type RunPatch,
  type RunRecord,
  type RunStatus,
  type RunStore,
  type RunTokenCounters,
  type ThreadUsageTotals,
  type TokenUsageByModel,
} from "../types.ts";
import { fromJson, nowIso, toJson, writeReturning, type SqliteDatabase } from "./database.ts";
import type { RunJsonCache } from "./run-json-cache.ts";
import type { AccessScope } from "../access.ts";
import { registerAuthMatcher, scopeSql } from "./sql/scope.ts";
import { feedbackSummaryJsonSql } from "./feedback.ts";

interface RunRow {
  run_id: string;
  thread_id: string;
  assistant_id: string;
  created_at: string;
  updated_at: string;
  status: string;
  metadata: string;
  kwargs: string;
  multitask_strategy: string;
  error: string | null;
  stop_reason: string | null;
  attempt: number;
  owner_id: string | null;
  total_input_tokens: number;
  total_output_tokens: number;
  total_tokens: number;
  llm_call_count: number;
  lead_agent_tokens: number;
  subagent_tokens: number;
  middleware_tokens: number;
  token_usage_by_model: string;
  message_count: number;
}

const NUMERIC_COUNTERS = [
  "total_input_tokens",
  "total_output_tokens",
  "total_tokens",
  "llm_call_count",
  "lead_agent_tokens",
  "subagent_tokens",
  "middleware_tokens",
  "message_count",
] as const satisfies readonly (keyof RunTokenCounters)[];

function toRecord(row: RunRow): RunRecord {
  return {
    run_id: row.run_id,
    thread_id: row.thread_id,
    assistant_id: row.assistant_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
    status: row.status as RunStatus,
    metadata: fromJson<Json>(row.metadata, {}),
    kwargs: fromJson<Json>(row.kwargs, {}),
    multitask_strategy: row.multitask_strategy as MultitaskStrategy,
    error: row.error,
    stop_reason: row.stop_reason,
    attempt: row.attempt,
    owner_id: row.owner_id,
    total_input_tokens: row.total_input_tokens,
    total_output_tokens: row.total_output_tokens,
    total_tokens: row.total_tokens,
    llm_call_count: row.llm_call_count,
    lead_agent_tokens: row.lead_agent_tokens,
    subagent_tokens: row.subagent_tokens,
    middleware_tokens: row.middleware_tokens,
    token_usage_by_model: fromJson<TokenUsageByModel>(row.token_usage_by_model, {}),
    message_count: row.message_count,
  };
}

/** Named parameters for UPDATE_SQL: each field carries a "set_*" flag so `null` can be written explicitly. */
function patchParams(runId: string, patch: RunPatch, from: readonly RunStatus[] | null): Record<string, unknown> {
  const c = patch.counters ?? {};
  const params: Record<string, unknown> = {
    run_id: runId,
    now: nowIso(),
    from: from ? JSON.stringify(from) : null,
    epoch: null, // the lease epoch the run must be at (null: any)
    status: patch.status ?? null,
    set_error: patch.error !== undefined ? 1 : 0,
    error: patch.error ?? null,
    set_stop_reason: patch.stop_reason !== undefined ? 1 : 0,
    stop_reason: patch.stop_reason ?? null,
    token_usage_by_model: c.token_usage_by_model !== undefined ? toJson(c.token_usage_by_model) : null,
  };
  for (const k of NUMERIC_COUNTERS) params[k] = typeof c[k] === "number" ? c[k] : null;
  return params;
}

const UPDATE_SQL = `
  UPDATE runs SET
    status = COALESCE(@status, status),
    error = CASE WHEN @set_error THEN @error ELSE error END,
    stop_reason = CASE WHEN @set_stop_reason THEN @stop_reason ELSE stop_reason END,
    ${NUMERIC_COUNTERS.map((k) => `${k} = COALESCE(@${k}, ${k})`).join(",\n    ")},
    token_usage_by_model = COALESCE(@token_usage_by_model, token_usage_by_model),
    updated_at = @now
  WHERE run_id = @run_id
    AND (@from IS NULL OR status IN (SELECT value FROM json_each(@from)))
    AND (@epoch IS NULL OR lease_epoch = @epoch)
  RETURNING *`;

/** The partial indexes over active runs (migration 0002) are used only where a query says exactly this. */
const IS_ACTIVE = `status IN (${ACTIVE_RUN_STATUSES.map((s) => `'${s}'`).join(", ")})`;

/** Columns holding JSON text (always written by toJson), embedded as JSON (not as strings) in the wire form. */
const JSON_COLUMNS = new Set(["metadata", "kwargs", "token_usage_by_model"]);
/** The record's fields in toRecord's order; the wire form leaves out owner_id. */
const WIRE_COLUMNS = [
  "run_id",
  "thread_id",
  "assistant_id",
  "created_at",
  "updated_at",
  "status",
  "metadata",
  "kwargs",
  "multitask_strategy",
  "error",
  "stop_reason",
  "attempt",
  ...NUMERIC_COUNTERS.filter((k) => k !== "message_count"),
  "token_usage_by_model",
  "message_count",
] satisfies readonly Exclude<keyof RunRow, "owner_id">[];
/**
 * SQLite writes the run's JSON itself: no row object, no JSON.parse and JSON.stringify per read.
 * The JSON columns hold JSON.stringify's own text, so they are spliced in as they are; parsing
 * them again (`json_object(..., json(kwargs))`) cost half the read. Every other column goes
 * through json_quote, which also turns NULL into `null` and numbers into their digits. Last comes
 * `feedback`, the counts of the run's feedback (which the feedback store forgets cached JSON for).
 */
const WIRE_JSON = WIRE_COLUMNS.map(
  (c, i) => `'${i === 0 ? "{" : ","}"${c}":' || ${JSON_COLUMNS.has(c) ? c : `json_quote(${c})`}`,
)
  .concat(`',"feedback":' || ${feedbackSummaryJsonSql("runs.run_id")}`, `'}'`)
  .join(" || ");

export class SqliteRunStore implements RunStore {
  private readonly insertStmt: Statement;
  private readonly getStmt: Statement;
  private readonly getJsonStmt: Statement;
  private readonly updateStmt: Statement;
  private readonly listByThreadStmt: Statement;
  private readonly activeStmt: Statement;
  private readonly hasActiveStmt: Statement;
  private readonly countActiveStmt: Statement;
  private readonly listActiveStmt: Statement;
  private readonly usageTotalsStmt: Statement;
  private readonly usageByModelStmt: Statement;
  private readonly deleteTx: Transaction<(runId: string) => boolean>;
  /** Statements of reads within a scope, by read and the scope's shape. */
  private readonly scoped = new Map<string, Statement>();
  private readonly db: SqliteDatabase;

  /** `runJson`: where finished runs' wire JSON is kept between reads (null: read every time). */
  constructor(
    db: SqliteDatabase,
    private readonly runJson: RunJsonCache | null = null,
  ) {
    this.db = db;
    registerAuthMatcher(db);
    this.insertStmt = db.prepare(`
      INSERT INTO runs (run_id, thread_id, assistant_id, created_at, updated_at, status, metadata, kwargs,
                        multitask_strategy, owner_id, worker_id, lease_epoch, lease_expires_at)
      VALUES (@run_id, @thread_id, @assistant_id, @now, @now, @status, @metadata, @kwargs, @multitask_strategy, @owner_id,
              @worker_id, @lease_epoch, @lease_expires_at)
      RETURNING *`);
    this.getStmt = db.prepare("SELECT * FROM runs WHERE run_id = ?");
    this.getJsonStmt = db.prepare(`SELECT thread_id, status, ${WIRE_JSON} AS json FROM runs WHERE run_id = ?`);
    this.updateStmt = db.prepare(UPDATE_SQL);
    this.listByThreadStmt = db.prepare(`
      SELECT * FROM runs
      WHERE thread_id = @thread_id AND (@status IS NULL OR status = @status)
      ORDER BY created_at DESC, run_id DESC
      LIMIT @limit OFFSET @offset`);
    this.activeStmt = db.prepare(`
      SELECT * FROM runs
      WHERE thread_id = ? AND ${IS_ACTIVE}
      ORDER BY created_at ASC, run_id ASC`);
    this.hasActiveStmt = db.prepare(`
      SELECT 1 FROM runs
      WHERE thread_id = ? AND ${IS_ACTIVE}
      LIMIT 1`);
    this.countActiveStmt = db.prepare(`
      SELECT COUNT(*) AS n FROM runs
      WHERE thread_id = ? AND ${IS_ACTIVE}`);
    this.listActiveStmt = db.prepare(`
      SELECT * FROM runs
      WHERE ${IS_ACTIVE} AND status IN (SELECT value FROM json_each(?))
      ORDER BY created_at ASC, run_id ASC`);

    const usageRuns = "FROM runs WHERE thread_id = ? AND status IN (SELECT value FROM json_each(?))";
    this.usageTotalsStmt = db.prepare(`
      SELECT COUNT(*) AS total_runs,
             COALESCE(SUM(total_tokens), 0) AS total_tokens,
             COALESCE(SUM(total_input_tokens), 0) AS total_input_tokens,
             COALESCE(SUM(total_output_tokens), 0) AS total_output_tokens,
             COALESCE(SUM(lead_agent_tokens), 0) AS lead_agent_tokens,
             COALESCE(SUM(subagent_tokens), 0) AS subagent_tokens,
             COALESCE(SUM(middleware_tokens), 0) AS middleware_tokens
      ${usageRuns}`);
    this.usageByModelStmt = db.prepare(`
      SELECT model.key AS model,
             SUM(json_extract(model.value, '$.total_tokens')) AS tokens,
             COUNT(*) AS runs
      FROM (SELECT token_usage_by_model ${usageRuns}) AS r, json_each(r.token_usage_by_model) AS model
      GROUP BY model.key ORDER BY model.key`);

    const delStreamEvents = db.prepare("DELETE FROM stream_events WHERE run_id = ?");
    const delJournal = db.prepare("DELETE FROM run_events WHERE run_id = ?");
    const delRun = db.prepare("DELETE FROM runs WHERE run_id = ?");
    this.deleteTx = db.transaction((runId: string) => {
      this.runJson?.forget(runId);
      delStreamEvents.run(runId);
      delJournal.run(runId);
      return delRun.run(runId).changes > 0;
    });
  }

  private insertParams(run: NewRun): Record<string, unknown> {
    const now = new Date();
    // A run admitted already claimed holds its admitting worker's lease, at epoch 1 (leases.ts).
    return {
      run_id: run.run_id,
      thread_id: run.thread_id,
      assistant_id: run.assistant_id,
      now: now.toISOString(),
      status: run.status ?? "pending",
      metadata: toJson(run.metadata ?? {}),
      kwargs: toJson(run.kwargs ?? {}),
      multitask_strategy: run.multitask_strategy,
      owner_id: run.owner_id ?? null,
      worker_id: run.lease?.worker_id ?? null,
      lease_epoch: run.lease ? 1 : 0,
      lease_expires_at: run.lease ? new Date(now.getTime() + run.lease.lease_ms).toISOString() : null,
    };
  }

  /* The statements themselves, without a transaction of their own: for the run lifecycle store's transactions. */

  insertRow(run: NewRun): RunRecord {
    return toRecord(writeReturning<RunRow>(this.insertStmt, this.insertParams(run))!);
  }

  hasActive(threadId: string): boolean {
    return this.hasActiveStmt.get(threadId) !== undefined;
  }

  /** As `transition`; with `epoch`, only while the run's lease epoch is that (leases.ts). */
  transitionRow(
    runId: string,
    from: readonly RunStatus[],
    to: RunStatus,
    patch: Omit<RunPatch, "status">,
    epoch: number | null = null,
  ): RunRecord | null {
    if (from.length === 0) return null;
    this.runJson?.forget(runId);
    const params = { ...patchParams(runId, { ...patch, status: to }, from), epoch };
    const row = writeReturning<RunRow>(this.updateStmt, params);
    return row ? toRecord(row) : null;
  }

  /** The run's lease epoch, or null when the run does not exist. */
  epochRow(runId: string): number | null {
    return (this.getStmt.get(runId) as { lease_epoch: number } | undefined)?.lease_epoch ?? null;
  }

  getRow(runId: string): RunRecord | null {
    const row = this.getStmt.get(runId) as RunRow | undefined;
    return row ? toRecord(row) : null;
  }

  countActive(threadId: string): number {
    return (this.countActiveStmt.get(threadId) as { n: number }).n;
  }

  async insert(run: NewRun): Promise<RunRecord> {
    return this.insertRow(run);
  }

  /**
   * A statement of `sql` with `{scope}` replaced by the scope's conditions on the run's thread (`t`), or
   * null when the scope restricts nothing (the unscoped statement serves).
   */
  private scopedStatement(name: string, sql: string, scope: AccessScope | undefined) {
    const { where, params, shape } = scopeSql(scope, "t");
    if (!where) return null;
    const key = `${name}:${shape}`;
    let stmt = this.scoped.get(key);
    if (!stmt) {
      stmt = this.db.prepare(sql.replace("{scope}", where));
      this.scoped.set(key, stmt);
    }
    return { stmt, params };
  }

  async get(runId: string, scope?: AccessScope): Promise<RunRecord | null> {
    const scoped = this.scopedStatement(
      "get",
      "SELECT r.* FROM runs r JOIN threads t ON t.thread_id = r.thread_id WHERE r.run_id = @run_id AND {scope}",
      scope,
    );
    if (!scoped) return this.getRow(runId);
    const row = scoped.stmt.get({ run_id: runId, ...scoped.params }) as RunRow | undefined;
    return row ? toRecord(row) : null;
  }

  async getJson(runId: string, scope?: AccessScope): Promise<RunJson | null> {
    const visible = this.scopedStatement(
      "visible",
      "SELECT 1 FROM runs r JOIN threads t ON t.thread_id = r.thread_id WHERE r.run_id = @run_id AND {scope}",
      scope,
    );
    if (visible && visible.stmt.get({ run_id: runId, ...visible.params }) === undefined) return null;
    const cached = this.runJson?.get(runId);
    if (cached) return cached;
    const row = this.getJsonStmt.get(runId) as (RunJson & { status: RunStatus }) | undefined;
    if (!row) return null;
    const found = { thread_id: row.thread_id, json: row.json };
    if (!isActiveRunStatus(row.status)) this.runJson?.keep(runId, found);
    return found;
  }

  async update(runId: string, patch: RunPatch): Promise<RunRecord | null> {
    this.runJson?.forget(runId);
    const row = writeReturning<RunRow>(this.updateStmt, patchParams(runId, patch, null));
    return row ? toRecord(row) : null;
  }

  async transition(
    runId: string,
    from: readonly RunStatus[],
    to: RunStatus,
    patch: Omit<RunPatch, "status"> = {},
  ): Promise<RunRecord | null> {
    return this.transitionRow(runId, from, to, patch);
  }

  async listByThread(threadId: string, query: RunListQuery): Promise<RunRecord[]> {
    const rows = this.listByThreadStmt.all({
      thread_id: threadId,
      status: query.status ?? null,
      limit: Math.max(0, Math.floor(query.limit)),
      offset: Math.max(0, Math.floor(query.offset)),
    }) as RunRow[];
    return rows.map(toRecord);
  }

  async activeForThread(threadId: string): Promise<RunRecord[]> {
    return (this.activeStmt.all(threadId) as RunRow[]).map(toRecord);
  }

  async usageByThread(threadId: string, statuses: readonly RunStatus[]): Promise<ThreadUsageTotals> {
    const list = JSON.stringify(statuses);
    const totals = this.usageTotalsStmt.get(threadId, list) as Omit<ThreadUsageTotals, "by_model">;
    const byModel: ThreadUsageTotals["by_model"] = {};
    for (const row of this.usageByModelStmt.all(threadId, list) as { model: string; tokens: number; runs: number }[]) {
      byModel[row.model] = { tokens: row.tokens, runs: row.runs };
    }
    return { ...totals, by_model: byModel };
  }

  async listActive(statuses: readonly ActiveRunStatus[], scope?: AccessScope): Promise<RunRecord[]> {
    if (statuses.length === 0) return [];
    const scoped = this.scopedStatement(
      "active",
      `SELECT r.* FROM runs r JOIN threads t ON t.thread_id = r.thread_id
       WHERE r.${IS_ACTIVE} AND r.status IN (SELECT value FROM json_each(@statuses)) AND {scope}
       ORDER BY r.created_at ASC, r.run_id ASC`,
      scope,
    );
    if (!scoped) return (this.listActiveStmt.all(JSON.stringify(statuses)) as RunRow[]).map(toRecord);
    const rows = scoped.stmt.all({ statuses: JSON.stringify(statuses), ...scoped.params }) as RunRow[];
    return rows.map(toRecord);
  }

  async delete(runId: string): Promise<boolean> {
    return this.deleteTx.immediate(runId);
  }
}
