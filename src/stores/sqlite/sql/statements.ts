/**
 * Statements prepared on first use, by a key naming the query's shape (its filters, its order): a store
 * whose queries vary by shape prepares each once, not per call.
 */
import type { Statement } from "better-sqlite3";
import type { SqliteDatabase } from "../database.ts";

export class StatementCache {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: SqliteDatabase) {}

  /** The statement of `key`, prepared from `sql()` the first time. */
  get(key: string, sql: () => string): Statement {
    let stmt = this.statements.get(key);
    if (!stmt) {
      stmt = this.db.prepare(sql());
      this.statements.set(key, stmt);
    }
    return stmt;
  }

  /** The statements prepared so far, by key (for diagnostics and tests: their query plans). */
  entries(): IterableIterator<[string, Statement]> {
    return this.statements.entries();
  }
}
