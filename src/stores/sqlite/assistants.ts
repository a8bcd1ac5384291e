import type { Statement, Transaction } from "better-sqlite3";
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
import type { AccessScope } from "../access.ts";
import { registerJsonMatcher } from "./sql/json-match.ts";
import { StatementCache } from "./sql/statements.ts";
import type { Json } from "../types.ts";
import { fromJson, nowIso, toJson, writeReturning, type SqliteDatabase } from "./database.ts";
import { registerAuthMatcher, scopeSql } from "./sql/scope.ts";

interface VersionRow {
  assistant_id: string;
  version: number;
  graph_id: string;
  name: string;
  description: string | null;
  config: string;
  context: string;
  metadata: string;
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
    config: fromJson<Json>(row.config, {}),
    context: fromJson<Json>(row.context, {}),
    metadata: fromJson<Json>(row.metadata, {}),
    created_at: row.created_at,
  };
}

function toRecord(row: AssistantRow): AssistantRecord {
  return { ...toVersion(row), updated_at: row.updated_at, owner_id: row.owner_id };
}

type Filter = "graph_id" | "name" | "metadata" | "scope_owner" | "scope_filters";

/** Over `candidates`: the stored rows (shared = 0) and the shared ones the query is handed (shared = 1). */
const FILTER_SQL: Record<Filter, string> = {
  graph_id: "graph_id = @graph_id",
  name: "instr(lower(name), lower(@name)) > 0",
  metadata: "tg_json_matches(metadata, @metadata)",
  // Shared (system) assistants have no owner: every caller sees them, but for its filters.
  scope_owner: "(shared = 1 OR owner_id = @scope_owner)",
  scope_filters: "tg_auth_matches(metadata, @scope_filters)",
};

const COLUMNS = "assistant_id, version, graph_id, name, description, config, context, metadata, created_at";

/** The stored assistants and the shared ones (a JSON array in @shared) as one relation. */
const CANDIDATES = `WITH candidates AS (
  SELECT ${COLUMNS}, updated_at, owner_id, 0 AS shared FROM assistants
  UNION ALL
  SELECT json_extract(value, '$.assistant_id'), json_extract(value, '$.version'), json_extract(value, '$.graph_id'),
    json_extract(value, '$.name'), json_extract(value, '$.description'), json_extract(value, '$.config'),
    json_extract(value, '$.context'), json_extract(value, '$.metadata'), json_extract(value, '$.created_at'),
    json_extract(value, '$.updated_at'), NULL, 1
  FROM json_each(@shared)
)`;

export class SqliteAssistantStore implements AssistantStore {
  private readonly db: SqliteDatabase;
  private readonly insertTx: Transaction<(a: NewAssistant) => AssistantRow | undefined>;
  private readonly patchTx: Transaction<
    (id: string, patch: AssistantPatch, scope?: AccessScope) => AssistantRow | undefined
  >;
  private readonly setLatestTx: Transaction<
    (id: string, version: number, scope?: AccessScope) => AssistantRow | null | "no-version"
  >;
  private readonly getVersionStmt: Statement;
  private readonly statements: StatementCache;

  constructor(db: SqliteDatabase) {
    this.db = db;
    this.statements = new StatementCache(db);
    registerAuthMatcher(db);
    registerJsonMatcher(db);
    const insert = db.prepare(`
      INSERT INTO assistants (${COLUMNS}, updated_at, owner_id)
      VALUES (@assistant_id, 1, @graph_id, @name, @description, @config, @context, @metadata, @now, @now, @owner_id)
      ON CONFLICT (assistant_id) DO NOTHING
      RETURNING *`);
    const insertVersion = db.prepare(`
      INSERT INTO assistant_versions (${COLUMNS})
      VALUES (@assistant_id, @version, @graph_id, @name, @description, @config, @context, @metadata, @created_at)`);
    const maxVersion = db.prepare("SELECT MAX(version) FROM assistant_versions WHERE assistant_id = ?").pluck();
    this.getVersionStmt = db.prepare("SELECT * FROM assistant_versions WHERE assistant_id = ? AND version = ?");
    const makeLatest = db.prepare(`
      UPDATE assistants SET version = @version, graph_id = @graph_id, name = @name, description = @description,
        config = @config, context = @context, metadata = @metadata, updated_at = @now
      WHERE assistant_id = @assistant_id
      RETURNING *`);

    this.insertTx = db.transaction((a: NewAssistant) => {
      const row = writeReturning<AssistantRow>(insert, {
        assistant_id: a.assistant_id,
        graph_id: a.graph_id,
        name: a.name,
        description: a.description,
        config: toJson(a.config),
        context: toJson(a.context),
        metadata: toJson(a.metadata),
        owner_id: a.owner_id,
        now: nowIso(),
      });
      if (row) insertVersion.run(row);
      return row;
    });

    this.patchTx = db.transaction((id: string, patch: AssistantPatch, scope?: AccessScope) => {
      const row = this.getRow(id, scope);
      if (!row) return undefined;
      const now = nowIso();
      const next: VersionRow = {
        assistant_id: id,
        version: ((maxVersion.get(id) as number | null) ?? row.version) + 1,
        graph_id: patch.graph_id ?? row.graph_id,
        name: patch.name ?? row.name,
        description: patch.description !== undefined ? patch.description : row.description,
        config: patch.config !== undefined ? toJson(patch.config) : row.config,
        context: patch.context !== undefined ? toJson(patch.context) : row.context,
        metadata:
          patch.metadata !== undefined
            ? toJson({ ...fromJson<Json>(row.metadata, {}), ...patch.metadata })
            : row.metadata,
        created_at: now,
      };
      insertVersion.run(next);
      return writeReturning<AssistantRow>(makeLatest, { ...next, now });
    });

    this.setLatestTx = db.transaction((id: string, version: number, scope?: AccessScope) => {
      if (!this.getRow(id, scope)) return null;
      const v = this.getVersionStmt.get(id, version) as VersionRow | undefined;
      if (!v) return "no-version";
      return writeReturning<AssistantRow>(makeLatest, { ...v, now: nowIso() }) ?? null;
    });
  }

  private getRow(id: string, scope?: AccessScope): AssistantRow | undefined {
    const { where, params, shape } = scopeSql(scope, "assistants");
    const stmt = this.statements.get(
      `get:${shape}`,
      () => `SELECT * FROM assistants WHERE assistant_id = @assistant_id${where ? ` AND ${where}` : ""}`,
    );
    return stmt.get({ assistant_id: id, ...params }) as AssistantRow | undefined;
  }

  async create(assistant: NewAssistant): Promise<AssistantRecord | null> {
    const row = this.insertTx.immediate(assistant);
    return row ? toRecord(row) : null;
  }

  async get(assistantId: string, scope?: AccessScope): Promise<AssistantRecord | null> {
    const row = this.getRow(assistantId, scope);
    return row ? toRecord(row) : null;
  }

  async patch(assistantId: string, patch: AssistantPatch, scope?: AccessScope): Promise<AssistantRecord | null> {
    const row = this.patchTx.immediate(assistantId, patch, scope);
    return row ? toRecord(row) : null;
  }

  async delete(assistantId: string, scope?: AccessScope): Promise<boolean> {
    const { where, params, shape } = scopeSql(scope, "assistants");
    const stmt = this.statements.get(
      `delete:${shape}`,
      () => `DELETE FROM assistants WHERE assistant_id = @assistant_id${where ? ` AND ${where}` : ""}`,
    );
    return stmt.run({ assistant_id: assistantId, ...params }).changes > 0; // versions go with it (ON DELETE CASCADE)
  }

  async listVersions(
    assistantId: string,
    query: AssistantVersionQuery,
    scope?: AccessScope,
  ): Promise<AssistantVersionRecord[] | null> {
    if (!this.getRow(assistantId, scope)) return null;
    const metadata = query.metadata && Object.keys(query.metadata).length > 0 ? JSON.stringify(query.metadata) : null;
    const stmt = this.statements.get(
      `versions:${metadata ? "m" : ""}`,
      () => `SELECT * FROM assistant_versions WHERE assistant_id = @assistant_id
        ${metadata ? "AND tg_json_matches(metadata, @metadata)" : ""}
        ORDER BY version DESC LIMIT @limit OFFSET @offset`,
    );
    const rows = stmt.all({
      assistant_id: assistantId,
      limit: Math.max(0, Math.floor(query.limit)),
      offset: Math.max(0, Math.floor(query.offset)),
      ...(metadata ? { metadata } : {}),
    }) as VersionRow[];
    return rows.map(toVersion);
  }

  async setLatest(
    assistantId: string,
    version: number,
    scope?: AccessScope,
  ): Promise<AssistantRecord | null | "no-version"> {
    const row = this.setLatestTx.immediate(assistantId, version, scope);
    return row === null || row === "no-version" ? row : toRecord(row);
  }

  /** The WHERE clause and parameters of a filter over `candidates`. */
  private where(filter: AssistantFilter, shared: readonly AssistantRecord[]) {
    const params: Record<string, unknown> = {};
    if (filter.graph_id !== undefined) params.graph_id = filter.graph_id;
    if (filter.name !== undefined && filter.name !== "") params.name = filter.name;
    if (filter.metadata && Object.keys(filter.metadata).length > 0) params.metadata = JSON.stringify(filter.metadata);
    Object.assign(params, scopeSql(filter.scope).params);
    const filters = Object.keys(params) as Filter[];
    const sql = filters.length ? `WHERE ${filters.map((f) => FILTER_SQL[f]).join(" AND ")}` : "";
    params.shared = JSON.stringify(shared.map((a) => ({ ...a, owner_id: null })));
    return { key: [...filters].sort().join(","), sql, params };
  }

  async search(
    query: AssistantSearch,
    shared: readonly AssistantRecord[],
  ): Promise<{ items: AssistantRecord[]; total: number }> {
    const sortBy: AssistantSortColumn = ASSISTANT_SORT_COLUMNS.includes(query.sort_by as AssistantSortColumn)
      ? query.sort_by!
      : "created_at";
    const dir = query.sort_order === "asc" ? "ASC" : "DESC";
    const { key, sql, params } = this.where(query, shared);
    // Ties by name, then id: the system assistants (all made at boot) list by graph name, as they always have.
    const order =
      sortBy === "assistant_id"
        ? `assistant_id ${dir}`
        : sortBy === "name"
          ? `name ${dir}, assistant_id ${dir}`
          : `${sortBy} ${dir}, name ASC, assistant_id ASC`;
    const rows = this.statements.get(
      `search:${key}:${sortBy}:${dir}`,
      () => `${CANDIDATES} SELECT * FROM candidates ${sql} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
    );
    const count = this.statements
      .get(`count:${key}`, () => `${CANDIDATES} SELECT COUNT(*) FROM candidates ${sql}`)
      .pluck();
    // One read transaction: the page and the total come from the same snapshot.
    return this.db.transaction(() => {
      const items = (
        rows.all({
          ...params,
          limit: Math.max(0, Math.floor(query.limit)),
          offset: Math.max(0, Math.floor(query.offset)),
        }) as (AssistantRow & { shared: number })[]
      ).map(({ shared: _s, ...row }) => toRecord(row));
      return { items, total: count.get(params) as number };
    })();
  }

  async count(filter: AssistantFilter, shared: readonly AssistantRecord[]): Promise<number> {
    const { key, sql, params } = this.where(filter, shared);
    return this.statements
      .get(`count:${key}`, () => `${CANDIDATES} SELECT COUNT(*) FROM candidates ${sql}`)
      .pluck()
      .get(params) as number;
  }
}
