/**
 * Schema migrations, run with umzug. Each migration is a plain SQL string; applied migration names are
 * recorded in `schema_migrations` inside the same database. To change the schema, add a file under
 * ./migrations/ (next number) and append it to MIGRATIONS below; never edit an applied migration.
 */
import type { Database } from "better-sqlite3";
import { Umzug, type UmzugStorage } from "umzug";
import * as m0001 from "./migrations/0001_initial.ts";
import * as m0002 from "./migrations/0002_indexes.ts";
import * as m0003 from "./migrations/0003_api_keys.ts";
import * as m0004 from "./migrations/0004_assistants.ts";
import * as m0005 from "./migrations/0005_thread_lifecycle.ts";
import * as m0006 from "./migrations/0006_store.ts";
import * as m0007 from "./migrations/0007_feedback.ts";
import * as m0008 from "./migrations/0008_crons.ts";
import * as m0009 from "./migrations/0009_store_vectors.ts";
import * as m0010 from "./migrations/0010_idempotency.ts";
import * as m0011 from "./migrations/0011_leases.ts";

export interface SqlMigration {
  name: string;
  up: string;
}

export const MIGRATIONS: readonly SqlMigration[] = [
  m0001,
  m0002,
  m0003,
  m0004,
  m0005,
  m0006,
  m0007,
  m0008,
  m0009,
  m0010,
  m0011,
];

const STORAGE_DDL = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  name        TEXT PRIMARY KEY,
  applied_at  TEXT NOT NULL
)`;

/** umzug storage that records migration names in `schema_migrations`. */
class SqliteMigrationStorage implements UmzugStorage {
  constructor(private readonly db: Database) {}

  async executed(): Promise<string[]> {
    const rows = this.db.prepare("SELECT name FROM schema_migrations ORDER BY name").all() as { name: string }[];
    return rows.map((r) => r.name);
  }

  async logMigration({ name }: { name: string }): Promise<void> {
    // The migration itself already recorded its name in the same transaction as its DDL; this is idempotent.
    this.db
      .prepare("INSERT OR IGNORE INTO schema_migrations (name, applied_at) VALUES (?, ?)")
      .run(name, new Date().toISOString());
  }

  async unlogMigration({ name }: { name: string }): Promise<void> {
    this.db.prepare("DELETE FROM schema_migrations WHERE name = ?").run(name);
  }
}

/**
 * Applies all pending migrations. The whole run holds an IMMEDIATE (write) transaction, so two processes opening
 * the same file at once apply each migration exactly once; each migration is its own savepoint together with its
 * `schema_migrations` row.
 */
export async function runMigrations(db: Database, migrations: readonly SqlMigration[] = MIGRATIONS): Promise<string[]> {
  db.exec(STORAGE_DDL);
  const umzug = new Umzug({
    migrations: migrations.map((m) => ({
      name: m.name,
      up: async () => {
        db.transaction(() => {
          db.exec(m.up);
          db.prepare("INSERT OR IGNORE INTO schema_migrations (name, applied_at) VALUES (?, ?)").run(
            m.name,
            new Date().toISOString(),
          );
        })();
      },
      down: async () => {
        throw new Error(`migration ${m.name} cannot be reverted`);
      },
    })),
    storage: new SqliteMigrationStorage(db),
    logger: undefined,
  });

  db.exec("BEGIN IMMEDIATE");
  try {
    const applied = await umzug.up();
    db.exec("COMMIT");
    return applied.map((a) => a.name);
  } catch (err) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw err;
  }
}
