/**
 * The Postgres connection pool of one set of stores (`pg`), on one schema: every connection's
 * `search_path` is that schema, so the stores' SQL names tables plainly and a test run (or a second
 * deployment on the same database) keeps to a schema of its own. Transactions take a client of their
 * own for their whole length.
 */
import pg from "pg";

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;
/** What a query runs on: the pool (one statement) or a transaction's client. */
export type Queryable = Pick<pg.Pool, "query">;

export interface PoolOptions {
  url: string;
  /** The schema the stores live in (created when missing). Default `public`. */
  schema?: string;
  /** Connections at most (default 10). */
  max?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** A schema name as SQL, refused unless it is a plain lowercase identifier. */
export function schemaIdent(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid Postgres schema name ${JSON.stringify(schema)}`);
  return `"${schema}"`;
}

/** A pool whose connections work in the schema (which the migrations create: runMigrations). */
export function openPool(opts: PoolOptions): PgPool {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 10,
    options: `-c search_path=${schemaIdent(opts.schema ?? "public")}`,
  });
  // An idle client that errors (the server went away) must not crash the process: the pool drops it.
  pool.on("error", () => undefined);
  return pool;
}

/** Runs `fn` in one transaction on a client of its own: committed when it resolves, rolled back when it throws. */
export async function transaction<T>(pool: PgPool, fn: (client: PgClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
