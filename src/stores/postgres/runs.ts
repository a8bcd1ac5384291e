/**
 * Runs on Postgres. A transition is one UPDATE whose WHERE names the statuses it moves from: the row
 * lock it takes makes it a compare-and-set (of concurrent claimers, the first moves the run; the
 * others find its status changed and match nothing). The `*In` methods run on a caller's transaction.
 *
 * No cache of finished runs' JSON (SQLite's RunJsonCache): other processes write the same tables, so
 * a run read here may have changed since (its feedback, a delete) without this process knowing.
 */
import type { AccessScope } from "../access.ts";
import type {
  ActiveRunStatus,
  Json,
  MultitaskStrategy,
  NewRun,
  RunJson,
  RunListQuery,
  RunPatch,
  RunRecord,
  RunStatus,
  RunStore,
  RunTokenCounters,
  ThreadUsageTotals,
  TokenUsageByModel,
} from "../types.ts";
import { transaction, type PgPool, type Queryable } from "./pool.ts";
import { Params } from "./sql/params.ts";
import { scopeSql } from "./sql/scope.ts";
import { isoColumn } from "./sql/time.ts";

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

/** A row as pg gives it: BIGINT counters come as strings. */
type RunRow = Omit<RunRecord, (typeof NUMERIC_COUNTERS)[number]> & Record<(typeof NUMERIC_COUNTERS)[number], string>;

function runColumns(r = "runs"): string {
  return [
    "run_id",
    "thread_id",
    "assistant_id",
    isoColumn(`${r}.created_at`),
    isoColumn(`${r}.updated_at`),
    "status",
    "metadata",
    "kwargs",
    "multitask_strategy",
    "error",
    "stop_reason",
    "attempt",
    "owner_id",
    ...NUMERIC_COUNTERS,
    "token_usage_by_model",
  ]
    .map((c) => (c.startsWith("to_char") ? c : `${r}.${c}`))
    .join(", ");
}

const COLUMNS = runColumns();

/** The record, its fields in the order the API sends them (getJson serialises it as it is, less owner_id). */
function toRecord(row: RunRow): RunRecord {
  return {
    run_id: row.run_id,
    thread_id: row.thread_id,
    assistant_id: row.assistant_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
    status: row.status as RunStatus,
    metadata: (row.metadata ?? {}) as Json,
    kwargs: (row.kwargs ?? {}) as Json,
    multitask_strategy: row.multitask_strategy as MultitaskStrategy,
    error: row.error,
    stop_reason: row.stop_reason,
    attempt: row.attempt,
    owner_id: row.owner_id,
    total_input_tokens: Number(row.total_input_tokens),
    total_output_tokens: Number(row.total_output_tokens),
    total_tokens: Number(row.total_tokens),
    llm_call_count: Number(row.llm_call_count),
    lead_agent_tokens: Number(row.lead_agent_tokens),
    subagent_tokens: Number(row.subagent_tokens),
    middleware_tokens: Number(row.middleware_tokens),
    token_usage_by_model: (row.token_usage_by_model ?? {}) as TokenUsageByModel,
    message_count: Number(row.message_count),
  };
}

/** The SET list of a patch: only the fields it names (an explicit null is written). */
function setList(patch: RunPatch, p: Params): string {
  const sets: string[] = [];
  if (patch.status !== undefined) sets.push(`status = ${p.add(patch.status)}`);
  if (patch.error !== undefined)
    sets.push(`error = ${patch.error === null ? "NULL" : `${p.add(JSON.stringify(patch.error))}::json`}`);
  if (patch.stop_reason !== undefined) sets.push(`stop_reason = ${p.add(patch.stop_reason)}`);
  const c = patch.counters ?? {};
  for (const k of NUMERIC_COUNTERS) if (typeof c[k] === "number") sets.push(`${k} = ${p.add(c[k])}`);
  if (c.token_usage_by_model !== undefined) sets.push(`token_usage_by_model = ${p.json(c.token_usage_by_model)}`);
  sets.push(`updated_at = ${p.add(new Date().toISOString())}`);
  return sets.join(", ");
}

/** The partial indexes over active runs (migration 0001) are used only where a query says exactly this. */
const IS_ACTIVE = "status IN ('pending', 'running')";

export class PgRunStore implements RunStore {
  constructor(private readonly pool: PgPool) {}

  async insertIn(q: Queryable, run: NewRun): Promise<RunRecord> {
    const p = new Params();
    const now = `${p.add(new Date().toISOString())}::timestamptz`;
    // A run admitted already claimed holds its admitting worker's lease, at epoch 1, expiring by the
    // database's clock (as every lease: leases.ts).
    const lease = run.lease;
    const expires = lease ? `now() + ${p.add(lease.lease_ms)}::int * interval '1 millisecond'` : "NULL";
    const { rows } = await q.query<RunRow>(
      `INSERT INTO runs (run_id, thread_id, assistant_id, created_at, updated_at, status, metadata, kwargs,
         multitask_strategy, owner_id, worker_id, lease_epoch, lease_expires_at)
       VALUES (${p.add(run.run_id)}, ${p.add(run.thread_id)}, ${p.add(run.assistant_id)}, ${now}, ${now},
         ${p.add(run.status ?? "pending")}, ${p.json(run.metadata ?? {})}, ${p.add(JSON.stringify(run.kwargs ?? {}))}::json,
         ${p.add(run.multitask_strategy)}, ${p.add(run.owner_id ?? null)},
         ${p.add(lease?.worker_id ?? null)}, ${lease ? 1 : 0}, ${expires})
       RETURNING ${COLUMNS}`,
      p.values,
    );
    return toRecord(rows[0]!);
  }

  async hasActiveIn(q: Queryable, threadId: string): Promise<boolean> {
    const { rows } = await q.query(`SELECT 1 FROM runs WHERE thread_id = $1 AND ${IS_ACTIVE} LIMIT 1`, [threadId]);
    return rows.length > 0;
  }

  async countActiveIn(q: Queryable, threadId: string): Promise<number> {
    const { rows } = await q.query<{ n: number }>(
      `SELECT COUNT(*)::int AS n FROM runs WHERE thread_id = $1 AND ${IS_ACTIVE}`,
      [threadId],
    );
    return rows[0]!.n;
  }

  /**
   * The update of `patch`, only while the status is one of `from` (null: any status) and, with `epoch`,
   * while the run's lease epoch is that (leases.ts).
   */
  async updateIn(
    q: Queryable,
    runId: string,
    patch: RunPatch,
    from: readonly RunStatus[] | null,
    epoch: number | null = null,
  ): Promise<RunRecord | null> {
    if (from !== null && from.length === 0) return null;
    const p = new Params();
    const sets = setList(patch, p);
    let guard = from === null ? "" : ` AND status = ANY(${p.add(from)}::text[])`;
    if (epoch !== null) guard += ` AND lease_epoch = ${p.add(epoch)}::int`;
    const { rows } = await q.query<RunRow>(
      `UPDATE runs SET ${sets} WHERE run_id = ${p.add(runId)}${guard} RETURNING ${COLUMNS}`,
      p.values,
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** The run's lease epoch, or null when the run does not exist. */
  async epochIn(q: Queryable, runId: string): Promise<number | null> {
    const { rows } = await q.query<{ lease_epoch: number }>("SELECT lease_epoch FROM runs WHERE run_id = $1", [runId]);
    return rows[0]?.lease_epoch ?? null;
  }

  async getIn(q: Queryable, runId: string, scope?: AccessScope): Promise<RunRecord | null> {
    const p = new Params();
    const scoped = scopeSql(scope, p, "t");
    const sql = scoped
      ? `SELECT ${runColumns("r")} FROM runs r JOIN threads t ON t.thread_id = r.thread_id
         WHERE r.run_id = ${p.add(runId)} AND ${scoped}`
      : `SELECT ${COLUMNS} FROM runs WHERE run_id = ${p.add(runId)}`;
    const { rows } = await q.query<RunRow>(sql, p.values);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async insert(run: NewRun): Promise<RunRecord> {
    return this.insertIn(this.pool, run);
  }

  async get(runId: string, scope?: AccessScope): Promise<RunRecord | null> {
    return this.getIn(this.pool, runId, scope);
  }

  async getJson(runId: string, scope?: AccessScope): Promise<RunJson | null> {
    const p = new Params();
    const scoped = scopeSql(scope, p, "t");
    // The feedback counts as FeedbackStore.statsByRun gives them.
    const { rows } = await this.pool.query<RunRow & { total: number; positive: number; negative: number }>(
      `SELECT ${runColumns("r")}, f.total, f.positive, f.negative
       FROM runs r
       ${scoped ? "JOIN threads t ON t.thread_id = r.thread_id" : ""}
       CROSS JOIN LATERAL (
         SELECT COUNT(*)::int AS total,
                (COUNT(*) FILTER (WHERE rating = 1))::int AS positive,
                (COUNT(*) FILTER (WHERE rating = -1))::int AS negative
         FROM feedback WHERE feedback.run_id = r.run_id) AS f
       WHERE r.run_id = ${p.add(runId)}${scoped ? ` AND ${scoped}` : ""}`,
      p.values,
    );
    const row = rows[0];
    if (!row) return null;
    const { owner_id: _owner, ...wire } = toRecord(row);
    const feedback = { total: row.total, positive: row.positive, negative: row.negative };
    return { thread_id: row.thread_id, json: JSON.stringify({ ...wire, feedback }) };
  }

  async update(runId: string, patch: RunPatch): Promise<RunRecord | null> {
    return this.updateIn(this.pool, runId, patch, null);
  }

  async transition(
    runId: string,
    from: readonly RunStatus[],
    to: RunStatus,
    patch: Omit<RunPatch, "status"> = {},
  ): Promise<RunRecord | null> {
    return this.updateIn(this.pool, runId, { ...patch, status: to }, from);
  }

  async listByThread(threadId: string, query: RunListQuery): Promise<RunRecord[]> {
    const p = new Params();
    const status = query.status !== undefined ? ` AND status = ${p.add(query.status)}` : "";
    const { rows } = await this.pool.query<RunRow>(
      `SELECT ${COLUMNS} FROM runs WHERE thread_id = ${p.add(threadId)}${status}
       ORDER BY created_at DESC, run_id DESC
       LIMIT ${p.add(Math.max(0, Math.floor(query.limit)))} OFFSET ${p.add(Math.max(0, Math.floor(query.offset)))}`,
      p.values,
    );
    return rows.map(toRecord);
  }

  async activeForThread(threadId: string): Promise<RunRecord[]> {
    const { rows } = await this.pool.query<RunRow>(
      `SELECT ${COLUMNS} FROM runs WHERE thread_id = $1 AND ${IS_ACTIVE} ORDER BY created_at ASC, run_id ASC`,
      [threadId],
    );
    return rows.map(toRecord);
  }

  async listActive(statuses: readonly ActiveRunStatus[], scope?: AccessScope): Promise<RunRecord[]> {
    if (statuses.length === 0) return [];
    const p = new Params();
    const scoped = scopeSql(scope, p, "t");
    const { rows } = await this.pool.query<RunRow>(
      `SELECT ${runColumns("r")} FROM runs r
       ${scoped ? "JOIN threads t ON t.thread_id = r.thread_id" : ""}
       WHERE r.${IS_ACTIVE} AND r.status = ANY(${p.add(statuses)}::text[])${scoped ? ` AND ${scoped}` : ""}
       ORDER BY r.created_at ASC, r.run_id ASC`,
      p.values,
    );
    return rows.map(toRecord);
  }

  async usageByThread(threadId: string, statuses: readonly RunStatus[]): Promise<ThreadUsageTotals> {
    const of = "FROM runs WHERE thread_id = $1 AND status = ANY($2::text[])";
    const args = [threadId, statuses];
    const totals = (
      await this.pool.query<Record<string, string>>(
        `SELECT COUNT(*) AS total_runs,
                COALESCE(SUM(total_tokens), 0) AS total_tokens,
                COALESCE(SUM(total_input_tokens), 0) AS total_input_tokens,
                COALESCE(SUM(total_output_tokens), 0) AS total_output_tokens,
                COALESCE(SUM(lead_agent_tokens), 0) AS lead_agent_tokens,
                COALESCE(SUM(subagent_tokens), 0) AS subagent_tokens,
                COALESCE(SUM(middleware_tokens), 0) AS middleware_tokens
         ${of}`,
        args,
      )
    ).rows[0]!;
    // A model's tokens count where its entry has a number for them, as SQLite's json_extract sums them.
    const models = await this.pool.query<{ model: string; tokens: string | null; runs: string }>(
      `SELECT m.key AS model,
              SUM(CASE WHEN jsonb_typeof(m.value -> 'total_tokens') = 'number'
                       THEN (m.value ->> 'total_tokens')::numeric END) AS tokens,
              COUNT(*) AS runs
       FROM (SELECT token_usage_by_model ${of} AND jsonb_typeof(token_usage_by_model) = 'object') AS r,
            jsonb_each(r.token_usage_by_model) AS m
       GROUP BY m.key ORDER BY m.key`,
      args,
    );
    const byModel: ThreadUsageTotals["by_model"] = {};
    for (const row of models.rows) {
      byModel[row.model] = {
        // No run's entry with a number: null, as SQLite's SUM of nothing.
        tokens: row.tokens === null ? (null as unknown as number) : Number(row.tokens),
        runs: Number(row.runs),
      };
    }
    return {
      total_runs: Number(totals.total_runs),
      total_tokens: Number(totals.total_tokens),
      total_input_tokens: Number(totals.total_input_tokens),
      total_output_tokens: Number(totals.total_output_tokens),
      lead_agent_tokens: Number(totals.lead_agent_tokens),
      subagent_tokens: Number(totals.subagent_tokens),
      middleware_tokens: Number(totals.middleware_tokens),
      by_model: byModel,
    };
  }

  async delete(runId: string): Promise<boolean> {
    return transaction(this.pool, async (client) => {
      // The run's feedback goes through the foreign key; its stream events and journal have none.
      await client.query("DELETE FROM stream_events WHERE run_id = $1", [runId]);
      await client.query("DELETE FROM run_events WHERE run_id = $1", [runId]);
      const { rowCount } = await client.query("DELETE FROM runs WHERE run_id = $1", [runId]);
      return (rowCount ?? 0) > 0;
    });
  }
}
