/** Opens the SQLite database file used by every store and the LangGraph checkpointer, and migrates it. */
import type { Statement } from "better-sqlite3";
import { openConnection, type OpenConnectionOptions, type SqliteDatabase } from "./connection.ts";
import { runMigrations } from "./migrations.ts";

export type { SqliteDatabase };

/** Opens the database file (creating it if needed) and brings its schema up to date. */
export async function openDatabase(path: string, opts: OpenConnectionOptions = {}): Promise<SqliteDatabase> {
  const db = openConnection(path, opts);
  try {
    await runMigrations(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/* ---- small helpers shared by the SQLite stores ---- */

/**
 * The row a write with RETURNING gives back (or undefined). The statement is stepped to its end
 * (`all`), never read one row and reset (`get`): SQLite runs its WAL autocheckpoint only when a
 * statement reaches its end, so autocommitted `get()` writes never checkpointed and the WAL grew
 * without bound (and every write with it).
 */
export function writeReturning<Row>(stmt: Statement, params: unknown): Row | undefined {
  return (stmt.all(params) as Row[])[0];
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** Serialise a JSON-ish value for a TEXT column (`undefined` becomes JSON null). */
export function toJson(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

export function fromJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined) return fallback;
  return JSON.parse(text) as T;
}
