/**
 * Crons on Postgres: one row per cron. A slot is taken by a compare-and-set on `next_run_date` (an
 * UPDATE whose WHERE names the slot the caller saw: of racing claims, the ones that wait on the row
 * find it moved and change nothing), alone (`claim`) or inside the run lifecycle's admission
 * transaction (`claimIn`). Scoped reads and writes are single statements with the scope in their WHERE.
 */
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
import type { PgCronSlots } from "./contracts.ts";
import type { Queryable } from "./pool.ts";
import { Params } from "./sql/params.ts";
import { isoText } from "./sql/time.ts";
import { jsonMatchesSql } from "./sql/json-filter.ts";
import { scopeSql } from "./sql/scope.ts";

type Json = Record<string, unknown>;

/** A TIMESTAMPTZ column as the records carry times: ISO-8601 in UTC, milliseconds, `Z`. */

/** A caller's ISO time (or null) as stored: whole milliseconds. */
const msTime = (placeholder: string) => `date_trunc('milliseconds', ${placeholder}::timestamptz)`;

/** A JSON value for a JSON (not JSONB) column: kept as its text, `\u0000` escapes included. */
const jsonText = (p: Params, value: unknown) => `${p.add(JSON.stringify(value))}::json`;

/** This process's clock, now, as a parameter (the times the store makes: created_at, updated_at). */
const nowSql = (p: Params) => `${p.add(new Date().toISOString())}::timestamptz`;

const COLUMNS = `cron_id, assistant_id, thread_id, schedule, timezone, ${isoText("end_time")} AS end_time, enabled,
  on_run_completed, payload, metadata, ${isoText("next_run_date")} AS next_run_date, owner_id, access,
  ${isoText("created_at")} AS created_at, ${isoText("updated_at")} AS updated_at`;

interface CronRow {
  cron_id: string;
  assistant_id: string;
  thread_id: string | null;
  schedule: string;
  timezone: string | null;
  end_time: string | null;
  enabled: boolean;
  on_run_completed: string | null;
  payload: Json;
  metadata: Json;
  next_run_date: string | null;
  owner_id: string | null;
  access: Json;
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
    enabled: row.enabled,
    on_run_completed: row.on_run_completed as CronOnRunCompleted | null,
    payload: row.payload,
    metadata: row.metadata,
    next_run_date: row.next_run_date,
    user_id: row.owner_id,
    access: row.access,
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

const TEXT_SORTS: readonly CronSortBy[] = ["cron_id", "assistant_id", "thread_id"];

/** How a patch's fields are written: the column's SQL for its value's placeholder. */
const PATCH_SQL: Record<keyof CronPatch, (p: Params, value: unknown) => string> = {
  schedule: (p, v) => p.add(v),
  timezone: (p, v) => p.add(v),
  end_time: (p, v) => msTime(p.add(v)),
  enabled: (p, v) => p.add(Boolean(v)),
  on_run_completed: (p, v) => p.add(v),
  payload: (p, v) => jsonText(p, v),
  metadata: (p, v) => p.json(v),
  next_run_date: (p, v) => msTime(p.add(v)),
};

/** The filters a search or count names, as a WHERE clause (empty when none). */
function filterSql(filter: CronFilter, p: Params): string {
  const parts: string[] = [];
  if (filter.assistant_id !== undefined) parts.push(`assistant_id = ${p.add(filter.assistant_id)}`);
  if (filter.thread_id !== undefined) parts.push(`thread_id = ${p.add(filter.thread_id)}`);
  if (filter.enabled !== undefined) parts.push(`enabled = ${p.add(filter.enabled)}`);
  const metadata = jsonMatchesSql("metadata", filter.metadata, p);
  if (metadata) parts.push(metadata);
  const scope = scopeSql(filter.scope, p, "crons");
  if (scope) parts.push(scope);
  return parts.length ? `WHERE ${parts.join(" AND ")}` : "";
}

/** `cron_id = $n` and the scope's conditions. */
function whereCron(cronId: string, scope: AccessScope | undefined, p: Params): string {
  const scoped = scopeSql(scope, p, "crons");
  return scoped ? `cron_id = ${p.add(cronId)} AND ${scoped}` : `cron_id = ${p.add(cronId)}`;
}

export class PgCronStore implements CronStore, PgCronSlots {
  constructor(private readonly db: Queryable) {}

  async create(cron: NewCron): Promise<CronRecord> {
    const p = new Params();
    const now = nowSql(p);
    const sql = `INSERT INTO crons (cron_id, assistant_id, thread_id, schedule, timezone, end_time, enabled,
        on_run_completed, payload, metadata, next_run_date, owner_id, access, created_at, updated_at)
      VALUES (${p.add(cron.cron_id)}, ${p.add(cron.assistant_id)}, ${p.add(cron.thread_id)}, ${p.add(cron.schedule)},
        ${p.add(cron.timezone)}, ${msTime(p.add(cron.end_time))}, ${p.add(cron.enabled)},
        ${p.add(cron.on_run_completed)}, ${jsonText(p, cron.payload)}, ${p.json(cron.metadata)},
        ${msTime(p.add(cron.next_run_date))}, ${p.add(cron.user_id)}, ${p.json(cron.access)}, ${now}, ${now})
      RETURNING ${COLUMNS}`;
    const { rows } = await this.db.query<CronRow>(sql, p.values);
    return toRecord(rows[0]);
  }

  async get(cronId: string, scope?: AccessScope): Promise<CronRecord | null> {
    const p = new Params();
    const { rows } = await this.db.query<CronRow>(
      `SELECT ${COLUMNS} FROM crons WHERE ${whereCron(cronId, scope, p)}`,
      p.values,
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async update(cronId: string, patch: CronPatch, scope?: AccessScope): Promise<CronRecord | null> {
    const p = new Params();
    const sets = [`updated_at = ${nowSql(p)}`];
    for (const key of Object.keys(PATCH_SQL) as (keyof CronPatch)[]) {
      const value = patch[key];
      if (value !== undefined) sets.push(`${key} = ${PATCH_SQL[key](p, value)}`);
    }
    const { rows } = await this.db.query<CronRow>(
      `UPDATE crons SET ${sets.join(", ")} WHERE ${whereCron(cronId, scope, p)} RETURNING ${COLUMNS}`,
      p.values,
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async delete(cronId: string, scope?: AccessScope): Promise<boolean> {
    const p = new Params();
    const { rowCount } = await this.db.query(`DELETE FROM crons WHERE ${whereCron(cronId, scope, p)}`, p.values);
    return (rowCount ?? 0) > 0;
  }

  async search(query: CronSearch): Promise<CronRecord[]> {
    const sortBy: CronSortBy = SORT_COLUMNS.includes(query.sort_by as CronSortBy) ? query.sort_by! : "created_at";
    const dir = query.sort_order === "asc" ? "ASC" : "DESC";
    // As SQLite orders: ids byte by byte, NULL below every value.
    const nulls = dir === "ASC" ? "NULLS FIRST" : "NULLS LAST";
    const key = (col: CronSortBy) => `crons.${col}${TEXT_SORTS.includes(col) ? ' COLLATE "C"' : ""} ${dir} ${nulls}`;
    const order = sortBy === "cron_id" ? key("cron_id") : `${key(sortBy)}, ${key("cron_id")}`;
    const p = new Params();
    const where = filterSql(query, p);
    const limit = p.add(Math.max(0, Math.floor(query.limit)));
    const offset = p.add(Math.max(0, Math.floor(query.offset)));
    const { rows } = await this.db.query<CronRow>(
      `SELECT ${COLUMNS} FROM crons ${where} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`,
      p.values,
    );
    return rows.map(toRecord);
  }

  async count(filter: CronFilter): Promise<number> {
    const p = new Params();
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT COUNT(*)::int AS n FROM crons ${filterSql(filter, p)}`,
      p.values,
    );
    return rows[0].n;
  }

  async due(now: string, limit: number): Promise<CronRecord[]> {
    const { rows } = await this.db.query<CronRow>(
      `SELECT ${COLUMNS} FROM crons
       WHERE enabled AND next_run_date IS NOT NULL AND next_run_date <= $1::timestamptz
       ORDER BY crons.next_run_date, crons.cron_id COLLATE "C"
       LIMIT $2`,
      [now, Math.max(0, Math.floor(limit))],
    );
    return rows.map(toRecord);
  }

  async claim(slot: CronSlot): Promise<boolean> {
    return this.claimIn(this.db, slot);
  }

  /** The claim on the caller's connection: the run lifecycle's admission claims in its own transaction. */
  async claimIn(q: Queryable, slot: CronSlot): Promise<boolean> {
    const p = new Params();
    const next = msTime(p.add(slot.next));
    const now = nowSql(p);
    const { rowCount } = await q.query(
      `UPDATE crons SET next_run_date = ${next}, updated_at = ${now}
       WHERE cron_id = ${p.add(slot.cron_id)} AND next_run_date = ${p.add(slot.due)}::timestamptz`,
      p.values,
    );
    return (rowCount ?? 0) > 0;
  }
}
