/**
 * The Postgres schema's migrations, run with umzug like SQLite's: plain SQL strings, each applied in
 * one transaction with its row in `schema_migrations`, all under an advisory lock so that processes
 * starting at once apply each exactly once. To change the schema, add a file under ./migrations/ (the
 * next number) and append it below; never edit an applied migration.
 */
import { Umzug, type UmzugStorage } from "umzug";
import { schemaIdent, type PgPool } from "./pool.ts";
import * as m0001 from "./migrations/0001_threads_runs.ts";
import * as m0002 from "./migrations/0002_logs.ts";
import * as m0003 from "./migrations/0003_assistants_store.ts";
import * as m0004 from "./migrations/0004_idempotency.ts";
import * as m0005 from "./migrations/0005_leases.ts";

export interface SqlMigration {
  name: string;
  up: string;
}

export const MIGRATIONS: readonly SqlMigration[] = [m0001, m0002, m0003, m0004, m0005];

/** The advisory lock migrations hold (any number; the same in every process). */
const MIGRATION_LOCK = 7_300_117;

/**
 * Creates the schema when missing and applies pending migrations, then `alsoLocked` (the checkpointer's
 * own setup), all under the lock.
 */
export async function runMigrations(
  pool: PgPool,
  schema: string,
  alsoLocked: () => Promise<void> = async () => {},
  migrations: readonly SqlMigration[] = MIGRATIONS,
): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schemaIdent(schema)}`);
    await client.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    );
    const storage: UmzugStorage = {
      async executed() {
        const { rows } = await client.query<{ name: string }>("SELECT name FROM schema_migrations ORDER BY name");
        return rows.map((r) => r.name);
      },
      // Recorded by the migration itself, in its own transaction.
      async logMigration() {},
      async unlogMigration({ name }) {
        await client.query("DELETE FROM schema_migrations WHERE name = $1", [name]);
      },
    };
    const umzug = new Umzug({
      migrations: migrations.map((m) => ({
        name: m.name,
        up: async () => {
          await client.query("BEGIN");
          try {
            if (m.up.trim() !== "") await client.query(m.up);
            await client.query("INSERT INTO schema_migrations (name) VALUES ($1) ON CONFLICT DO NOTHING", [m.name]);
            await client.query("COMMIT");
          } catch (err) {
            await client.query("ROLLBACK");
            throw err;
          }
        },
        down: async () => {
          throw new Error(`migration ${m.name} cannot be reverted`);
        },
      })),
      storage,
      logger: undefined,
    });
    const applied = await umzug.up();
    await alsoLocked();
    return applied.map((a) => a.name);
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
