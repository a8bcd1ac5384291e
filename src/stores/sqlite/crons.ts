/**
 * Crons on SQLite: one row per cron. A slot is taken by a compare-and-set on `next_run_date`, alone
 * (`claim`) or, through `claimRow`, inside the run lifecycle's admission transaction.
 */
import type { Statement } from "better-sqlite3";
import type { AccessScope } from "../access.ts";
import type {
  CronFilter,
  CronOnRunCompleted,
  CronPatch,
  CronRecord,
  CronSearch,
  CronSlot,
  CronSortBy,
  CronStore,
  NewCron,
} from "../crons.ts";
import { fromJson, nowIso, toJson, writeReturning, type SqliteDatabase } from "./database.ts";
import { registerJsonMatcher } from "./sql/json-match.ts";
import { registerAuthMatcher, scopeSql } from "./sql/scope.ts";
import { StatementCache } from "./sql/statements.ts";

type Json = Record<string, unknown>;

interface CronRow {
  cron_id: string;
  assistant_id: string;
  thread_id: string | null;
  schedule: string;
  timezone: string | null;
  end_time: string | null;
  enabled: number;
  on_run_completed: string | null;
  payload: string;
  metadata: string;
  next_run_date: string | null;
  owner_id: string | null;
  access: string;
  created_at: string;
  updated_at: string;
}

function toRecord(row: CronRow): CronRecord {
  return {
    cron_id: row.cron_id,
    assistant_id: row.assistant_id,
    thread_id: row.thread_id,
    schedule: row.schedule,
    timezone: row.timezone,
    end_time: row.end_time,
    enabled: row.enabled === 1,
    on_run_completed: row.on_run_completed as CronOnRunCompleted | null,
    payload: fromJson<Json>(row.payload, {}),
    metadata: fromJson<Json>(row.metadata, {}),
    next_run_date: row.next_run_date,
    user_id: row.owner_id,
    access: fromJson<Json>(row.access, {}),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

const SORT_COLUMNS: readonly CronSortBy[] = [
  "cron_id",
  "assistant_id",
  "thread_id",
  "created_at",
  "updated_at",
  "next_run_date",
];

/** The filters a search or count names, as SQL conditions (each only when given) and their parameters. */
function filterSql(filter: CronFilter): { where: string; params: Record<string, unknown>; shape: string } {
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  let shape = "";
  if (filter.assistant_id !== undefined) {
    parts.push("assistant_id = @assistant_id");
    params.assistant_id = filter.assistant_id;
    shape += "a";
  }
  if (filter.thread_id !== undefined) {
    parts.push("thread_id = @thread_id");
    params.thread_id = filter.thread_id;
    shape += "t";
  }
  if (filter.enabled !== undefined) {
    parts.push("enabled = @enabled");
    params.enabled = filter.enabled ? 1 : 0;
    shape += "e";
  }
  if (filter.metadata && Object.keys(filter.metadata).length > 0) {
    parts.push("tg_json_matches(metadata, @metadata)");
    params.metadata = JSON.stringify(filter.metadata);
    shape += "m";
  }
  const scope = scopeSql(filter.scope, "crons");
  if (scope.where) parts.push(scope.where);
  return {
    where: parts.length ? `WHERE ${parts.join(" AND ")}` : "",
    params: { ...params, ...scope.params },
    shape: `${shape}:${scope.shape}`,
  };
}

export class SqliteCronStore implements CronStore {
  private readonly insertStmt: Statement;
  private readonly getStmt: Statement;
  private readonly dueStmt: Statement;
  private readonly claimStmt: Statement;
  private readonly statements: StatementCache;

  constructor(private readonly db: SqliteDatabase) {
    registerAuthMatcher(db);
    registerJsonMatcher(db);
    this.statements = new StatementCache(db);
    this.insertStmt = db.prepare(`
      INSERT INTO crons (cron_id, assistant_id, thread_id, schedule, timezone, end_time, enabled, on_run_completed,
                         payload, metadata, next_run_date, owner_id, access, created_at, updated_at)
      VALUES (@cron_id, @assistant_id, @thread_id, @schedule, @timezone, @end_time, @enabled, @on_run_completed,
              @payload, @metadata, @next_run_date, @owner_id, @access, @now, @now)
      RETURNING *`);
    this.getStmt = db.prepare("SELECT * FROM crons WHERE cron_id = ?");
    this.dueStmt = db.prepare(`
      SELECT * FROM crons
      WHERE enabled = 1 AND next_run_date IS NOT NULL AND next_run_date <= @now
      ORDER BY next_run_date ASC, cron_id ASC
      LIMIT @limit`);
    // The slot is the cron's only while next_run_date is still the one the caller saw (compare-and-set).
    this.claimStmt = db.prepare(`
      UPDATE crons SET next_run_date = @next, updated_at = @now
      WHERE cron_id = @cron_id AND next_run_date = @due`);
  }

  /** The claim, without a transaction of its own: for the run lifecycle store's admission. */
  claimRow(slot: CronSlot): boolean {
    return this.claimStmt.run({ cron_id: slot.cron_id, due: slot.due, next: slot.next, now: nowIso() }).changes > 0;
  }

  async create(cron: NewCron): Promise<CronRecord> {
    const row = writeReturning<CronRow>(this.insertStmt, {
      cron_id: cron.cron_id,
      assistant_id: cron.assistant_id,
      thread_id: cron.thread_id,
      schedule: cron.schedule,
      timezone: cron.timezone,
      end_time: cron.end_time,
      enabled: cron.enabled ? 1 : 0,
      on_run_completed: cron.on_run_completed,
      payload: toJson(cron.payload),
      metadata: toJson(cron.metadata),
      next_run_date: cron.next_run_date,
      owner_id: cron.user_id,
      access: toJson(cron.access),
      now: nowIso(),
    });
    return toRecord(row!);
  }

  private scopedGet(cronId: string, scope: AccessScope | undefined): CronRow | undefined {
    const { where, params, shape } = scopeSql(scope, "crons");
    if (!where) return this.getStmt.get(cronId) as CronRow | undefined;
    const stmt = this.statements.get(`get:${shape}`, () => `SELECT * FROM crons WHERE cron_id = @cron_id AND ${where}`);
    return stmt.get({ cron_id: cronId, ...params }) as CronRow | undefined;
  }

  async get(cronId: string, scope?: AccessScope): Promise<CronRecord | null> {
    const row = this.scopedGet(cronId, scope);
    return row ? toRecord(row) : null;
  }

  async update(cronId: string, patch: CronPatch, scope?: AccessScope): Promise<CronRecord | null> {
    const write = this.db.transaction((): CronRow | undefined => {
      if (!this.scopedGet(cronId, scope)) return undefined;
      const sets: string[] = ["updated_at = @now"];
      const params: Record<string, unknown> = { cron_id: cronId, now: nowIso() };
      for (const [key, value] of Object.entries(patch) as [keyof CronPatch, unknown][]) {
        if (value === undefined) continue;
        sets.push(`${key} = @${key}`);
        params[key] =
          key === "payload" || key === "metadata" ? toJson(value) : key === "enabled" ? (value ? 1 : 0) : value;
      }
      const keys = Object.keys(params).sort().join(",");
      const stmt = this.statements.get(
        `update:${keys}`,
        () => `UPDATE crons SET ${sets.join(", ")} WHERE cron_id = @cron_id RETURNING *`,
      );
      return writeReturning<CronRow>(stmt, params);
    });
    const row = write.immediate();
    return row ? toRecord(row) : null;
  }

  async delete(cronId: string, scope?: AccessScope): Promise<boolean> {
    const { where, params, shape } = scopeSql(scope, "crons");
    const stmt = this.statements.get(
      `delete:${shape}`,
      () => `DELETE FROM crons WHERE cron_id = @cron_id${where ? ` AND ${where}` : ""}`,
    );
    return stmt.run({ cron_id: cronId, ...params }).changes > 0;
  }

  async search(query: CronSearch): Promise<CronRecord[]> {
    const sortBy: CronSortBy = SORT_COLUMNS.includes(query.sort_by as CronSortBy) ? query.sort_by! : "created_at";
    const dir = query.sort_order === "asc" ? "ASC" : "DESC";
    const { where, params, shape } = filterSql(query);
    const order = sortBy === "cron_id" ? `cron_id ${dir}` : `${sortBy} ${dir}, cron_id ${dir}`;
    const stmt = this.statements.get(
      `search:${shape}:${sortBy}:${dir}`,
      () => `SELECT * FROM crons ${where} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
    );
    const rows = stmt.all({
      ...params,
      limit: Math.max(0, Math.floor(query.limit)),
      offset: Math.max(0, Math.floor(query.offset)),
    }) as CronRow[];
    return rows.map(toRecord);
  }

  async count(filter: CronFilter): Promise<number> {
    const { where, params, shape } = filterSql(filter);
    const stmt = this.statements.get(`count:${shape}`, () => `SELECT COUNT(*) AS n FROM crons ${where}`);
    return (stmt.get(params) as { n: number }).n;
  }

  async due(now: string, limit: number): Promise<CronRecord[]> {
    return (this.dueStmt.all({ now, limit: Math.max(0, Math.floor(limit)) }) as CronRow[]).map(toRecord);
  }

  async claim(slot: CronSlot): Promise<boolean> {
    return this.claimRow(slot);
  }
}
