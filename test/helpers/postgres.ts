/**
 * This machine's Postgres for the tests of the Postgres backend: its URL (THREADGATE_TEST_POSTGRES_URL,
 * default postgres://postgres@127.0.0.1:5432/test), whether it answers, and dropping a test's schema.
 * A test without a Postgres skips, saying why, unless THREADGATE_REQUIRE_POSTGRES=1 (CI): then it fails.
 */
import pg from "pg";

export const POSTGRES_URL = process.env.THREADGATE_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Why Postgres cannot be reached, or null when it answers. */
export async function postgresUnreachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Whether tests of the Postgres backend skip here (no Postgres, and CI does not require one); warns why. */
export async function skipWithoutPostgres(what: string): Promise<boolean> {
  const reason = await postgresUnreachable();
  if (reason === null) return false;
  if (process.env.THREADGATE_REQUIRE_POSTGRES === "1") {
    throw new Error(`THREADGATE_REQUIRE_POSTGRES=1 but no Postgres at ${POSTGRES_URL}: ${reason}`);
  }
  console.warn(`${what} skipped: no Postgres at ${POSTGRES_URL} (${reason})`);
  return true;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
