/**
 * Stored assistants and their versions in Postgres (migration 0003_assistants_store). `assistants`
 * holds each assistant's latest version, `assistant_versions` every version. Patches and setLatest
 * lock the assistant's row (FOR UPDATE), so two patches at once write versions max+1 and max+2.
 *
 * A search runs over the stored assistants and the shared (system) ones the caller hands in, as one
 * relation: the shared ones go in as a JSON array, and each found is handed back as it was given.
 */
import {
  ASSISTANT_SORT_COLUMNS,
  type AssistantFilter,
  type AssistantPatch,
  type AssistantRecord,
  type AssistantSearch,
  type AssistantSortColumn,
  type AssistantStore,
  type AssistantVersionQuery,
  type AssistantVersionRecord,
  type NewAssistant,
} from "../assistants.ts";
import { isOpenScope, type AccessScope } from "../access.ts";
import type { Json } from "../types.ts";
import { transaction, type PgPool, type Queryable } from "./pool.ts";
import { jsonMatchesSql } from "./sql/json-filter.ts";
import { Params } from "./sql/params.ts";
import { scopeSql } from "./sql/scope.ts";
import { isoColumn } from "./sql/time.ts";

interface VersionRow {
  assistant_id: string;
  version: number;
  graph_id: string;
  name: string;
  description: string | null;
  config: Json;
  context: Json;
  metadata: Json;
  created_at: string;
}

interface AssistantRow extends VersionRow {
  updated_at: string;
  owner_id: string | null;
}

function toVersion(row: VersionRow): AssistantVersionRecord {
  return {
    assistant_id: row.assistant_id,
    version: row.version,
    graph_id: row.graph_id,
    name: row.name,
    description: row.description,
    config: row.config ?? {},
    context: row.context ?? {},
    metadata: row.metadata ?? {},
    created_at: row.created_at,
  };
}

function toRecord(row: AssistantRow): AssistantRecord {
  return { ...toVersion(row), updated_at: row.updated_at, owner_id: row.owner_id };
}

const page = (n: number) => Math.max(0, Math.floor(n));

/** The scope over the assistants table as conditions to AND in (sql/scope.ts: the owner, auth filters on metadata). */
const scopeOf = (scope: AccessScope | undefined, p: Params) => {
  const sql = scopeSql(scope, p, "assistants");
  return sql ? [sql] : [];
};

const COLUMNS = "assistant_id, version, graph_id, name, description, config, context, metadata, created_at";
/** What reads select of a version (times as ISO text: sql/time.ts). */
const VERSION = `assistant_id, version, graph_id, name, description, config, context, metadata, ${isoColumn("created_at")}`;
/** What reads select of an assistant. */
const ASSISTANT = `${VERSION}, ${isoColumn("updated_at")}, owner_id`;

/**
 * The stored assistants and the shared ones (a JSON array) as one relation; `shared_idx` is a shared
 * one's index. A shared one found is handed back as it was given, so its config and context are not read.
 */
function candidatesSql(shared: readonly AssistantRecord[], p: Params): string {
  const list = `${p.add(JSON.stringify(shared))}::json`;
  return `WITH candidates AS (
    SELECT ${COLUMNS}, updated_at, owner_id, NULL::integer AS shared_idx FROM assistants
    UNION ALL
    SELECT s.a ->> 'assistant_id', (s.a ->> 'version')::integer, s.a ->> 'graph_id', s.a ->> 'name',
      s.a ->> 'description', NULL::json, NULL::json, (s.a -> 'metadata')::jsonb,
      (s.a ->> 'created_at')::timestamptz, (s.a ->> 'updated_at')::timestamptz, NULL, (s.ord - 1)::integer
    FROM json_array_elements(${list}) WITH ORDINALITY AS s (a, ord)
  )`;
}

export class PgAssistantStore implements AssistantStore {
  constructor(private readonly pool: PgPool) {}

  /** The assistant's row within the scope; `lock` takes it FOR UPDATE (inside a transaction). */
  private async getRow(q: Queryable, id: string, scope?: AccessScope, lock = false) {
    const p = new Params();
    const where = [`assistant_id = ${p.add(id)}`, ...scopeOf(scope, p)];
    const { rows } = await q.query<AssistantRow>(
      `SELECT ${ASSISTANT} FROM assistants WHERE ${where.join(" AND ")}${lock ? " FOR UPDATE" : ""}`,
      p.values,
    );
    return rows[0];
  }

  private async makeLatest(q: Queryable, v: Omit<VersionRow, "created_at">, now: Date): Promise<AssistantRow> {
    const { rows } = await q.query<AssistantRow>(
      `UPDATE assistants SET version = $2, graph_id = $3, name = $4, description = $5, config = $6::json,
        context = $7::json, metadata = $8::jsonb, updated_at = $9
       WHERE assistant_id = $1 RETURNING ${ASSISTANT}`,
      [
        v.assistant_id,
        v.version,
        v.graph_id,
        v.name,
        v.description,
        JSON.stringify(v.config),
        JSON.stringify(v.context),
        JSON.stringify(v.metadata),
        now,
      ],
    );
    return rows[0];
  }

  private async insertVersion(q: Queryable, v: VersionRow): Promise<void> {
    await q.query(
      `INSERT INTO assistant_versions (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6::json, $7::json, $8::jsonb, $9)`,
      [
        v.assistant_id,
        v.version,
        v.graph_id,
        v.name,
        v.description,
        JSON.stringify(v.config),
        JSON.stringify(v.context),
        JSON.stringify(v.metadata),
        v.created_at,
      ],
    );
  }

  async create(a: NewAssistant): Promise<AssistantRecord | null> {
    return transaction(this.pool, async (client) => {
      const now = new Date();
      const { rows } = await client.query<AssistantRow>(
        `INSERT INTO assistants (${COLUMNS}, updated_at, owner_id)
         VALUES ($1, 1, $2, $3, $4, $5::json, $6::json, $7::jsonb, $8, $8, $9)
         ON CONFLICT (assistant_id) DO NOTHING RETURNING ${ASSISTANT}`,
        [
          a.assistant_id,
          a.graph_id,
          a.name,
          a.description,
          JSON.stringify(a.config),
          JSON.stringify(a.context),
          JSON.stringify(a.metadata),
          now,
          a.owner_id,
        ],
      );
      if (!rows[0]) return null;
      await this.insertVersion(client, rows[0]);
      return toRecord(rows[0]);
    });
  }

  async get(assistantId: string, scope?: AccessScope): Promise<AssistantRecord | null> {
    const row = await this.getRow(this.pool, assistantId, scope);
    return row ? toRecord(row) : null;
  }

  async patch(assistantId: string, patch: AssistantPatch, scope?: AccessScope): Promise<AssistantRecord | null> {
    return transaction(this.pool, async (client) => {
      const row = await this.getRow(client, assistantId, scope, true);
      if (!row) return null;
      const { rows } = await client.query<{ max: number | null }>(
        "SELECT MAX(version) AS max FROM assistant_versions WHERE assistant_id = $1",
        [assistantId],
      );
      const now = new Date();
      const next: VersionRow = {
        assistant_id: assistantId,
        version: (rows[0]?.max ?? row.version) + 1,
        graph_id: patch.graph_id ?? row.graph_id,
        name: patch.name ?? row.name,
        description: patch.description !== undefined ? patch.description : row.description,
        config: patch.config !== undefined ? patch.config : row.config,
        context: patch.context !== undefined ? patch.context : row.context,
        metadata: patch.metadata !== undefined ? { ...row.metadata, ...patch.metadata } : row.metadata,
        created_at: now.toISOString(),
      };
      await this.insertVersion(client, next);
      return toRecord(await this.makeLatest(client, next, now));
    });
  }

  async delete(assistantId: string, scope?: AccessScope): Promise<boolean> {
    const p = new Params();
    const where = [`assistant_id = ${p.add(assistantId)}`, ...scopeOf(scope, p)];
    // Its versions go with it (ON DELETE CASCADE).
    const { rowCount } = await this.pool.query(`DELETE FROM assistants WHERE ${where.join(" AND ")}`, p.values);
    return (rowCount ?? 0) > 0;
  }

  async listVersions(
    assistantId: string,
    query: AssistantVersionQuery,
    scope?: AccessScope,
  ): Promise<AssistantVersionRecord[] | null> {
    if (!(await this.getRow(this.pool, assistantId, scope))) return null;
    const p = new Params();
    const where = [`assistant_id = ${p.add(assistantId)}`];
    const metadata = jsonMatchesSql("metadata", query.metadata, p);
    if (metadata) where.push(metadata);
    const { rows } = await this.pool.query<VersionRow>(
      `SELECT ${VERSION} FROM assistant_versions WHERE ${where.join(" AND ")}
       ORDER BY version DESC LIMIT ${p.add(page(query.limit))} OFFSET ${p.add(page(query.offset))}`,
      p.values,
    );
    return rows.map(toVersion);
  }

  async setLatest(
    assistantId: string,
    version: number,
    scope?: AccessScope,
  ): Promise<AssistantRecord | null | "no-version"> {
    return transaction(this.pool, async (client) => {
      if (!(await this.getRow(client, assistantId, scope, true))) return null;
      const { rows } = await client.query<VersionRow>(
        `SELECT ${VERSION} FROM assistant_versions WHERE assistant_id = $1 AND version = $2`,
        [assistantId, version],
      );
      if (!rows[0]) return "no-version";
      return toRecord(await this.makeLatest(client, rows[0], new Date()));
    });
  }

  /** The relation and WHERE clause of a filter over the stored and shared assistants. */
  private filtered(filter: AssistantFilter, shared: readonly AssistantRecord[], p: Params): string {
    const with_ = candidatesSql(shared, p);
    const where: string[] = [];
    if (filter.graph_id !== undefined) where.push(`c.graph_id = ${p.add(filter.graph_id)}`);
    // `name` is COLLATE "C": lower() folds ASCII only, as SQLite's.
    if (filter.name !== undefined && filter.name !== "")
      where.push(`strpos(lower(c.name), lower(${p.add(filter.name)})) > 0`);
    const metadata = jsonMatchesSql("c.metadata", filter.metadata, p);
    if (metadata) where.push(metadata);
    if (!isOpenScope(filter.scope)) {
      // Shared (system) assistants have no owner: every caller sees them, but for its filters.
      if (filter.scope!.owner_id !== undefined)
        where.push(`(c.shared_idx IS NOT NULL OR c.owner_id = ${p.add(filter.scope!.owner_id)})`);
      const filters = scopeSql({ filters: filter.scope!.filters }, p, "c");
      if (filters) where.push(filters);
    }
    const read = `c.assistant_id, c.version, c.graph_id, c.name, c.description, c.config, c.context, c.metadata,
      ${isoColumn("c.created_at")}, ${isoColumn("c.updated_at")}, c.owner_id, c.shared_idx`;
    return `${with_} SELECT ${read} FROM candidates AS c${where.length ? ` WHERE ${where.join(" AND ")}` : ""}`;
  }

  async search(
    query: AssistantSearch,
    shared: readonly AssistantRecord[],
  ): Promise<{ items: AssistantRecord[]; total: number }> {
    const sortBy: AssistantSortColumn = ASSISTANT_SORT_COLUMNS.includes(query.sort_by as AssistantSortColumn)
      ? query.sort_by!
      : "created_at";
    const dir = query.sort_order === "asc" ? "ASC" : "DESC";
    // Ties by name, then id: the system assistants (all made at boot) list by graph name, as they always have.
    const order =
      sortBy === "assistant_id"
        ? `c.assistant_id COLLATE "C" ${dir}`
        : sortBy === "name"
          ? `c.name COLLATE "C" ${dir}, c.assistant_id COLLATE "C" ${dir}`
          : `c.${sortBy} ${dir}, c.name COLLATE "C" ASC, c.assistant_id COLLATE "C" ASC`;
    const rows = new Params();
    const rowsSql = `${this.filtered(query, shared, rows)} ORDER BY ${order}
      LIMIT ${rows.add(page(query.limit))} OFFSET ${rows.add(page(query.offset))}`;
    const count = new Params();
    const countSql = `SELECT COUNT(*)::integer AS n FROM (${this.filtered(query, shared, count)}) AS f`;
    // One snapshot: the page and the total agree.
    return transaction(this.pool, async (client) => {
      await client.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      const found = await client.query<AssistantRow & { shared_idx: number | null }>(rowsSql, rows.values);
      const total = await client.query<{ n: number }>(countSql, count.values);
      const items = found.rows.map(({ shared_idx, ...row }) =>
        shared_idx === null ? toRecord(row) : { ...shared[shared_idx], owner_id: null },
      );
      return { items, total: total.rows[0].n };
    });
  }

  async count(filter: AssistantFilter, shared: readonly AssistantRecord[]): Promise<number> {
    const p = new Params();
    const { rows } = await this.pool.query<{ n: number }>(
      `SELECT COUNT(*)::integer AS n FROM (${this.filtered(filter, shared, p)}) AS f`,
      p.values,
    );
    return rows[0].n;
  }
}
