/**
 * One server per Postgres schema, for now: runs are not yet claimed with leases, so a second process on
 * the same schema would take the first one's running runs for orphans at its start. The lock is a
 * session-level advisory lock held by a connection of its own for the process's life (Postgres lets
 * it go when that connection ends, a crash included); the holder's pid, host and URL are kept in a
 * small table, so a refused process is told who holds it, as SQLite's data lock tells.
 */
import os from "node:os";
import pg from "pg";
import type { DataLock } from "../sqlite/files/data-lock.ts";
import { schemaIdent } from "./pool.ts";

export class SchemaLockedError extends Error {
  constructor(
    readonly schema: string,
    readonly holder: { pid?: number; hostname?: string; url?: string; started_at?: string } | null,
  ) {
    const who = holder?.pid
      ? `Threadgate process pid ${holder.pid}${holder.hostname ? ` on ${holder.hostname}` : ""}` +
        (holder.url ? ` at ${holder.url}` : "") +
        (holder.started_at ? `, started ${holder.started_at}` : "")
      : "another process";
    super(
      `the Postgres schema ${schema} is in use by ${who}: one server per schema until runs are shared ` +
        `between processes (stop it, or give this one another THREADGATE_POSTGRES_SCHEMA)`,
    );
  }
}

/** A lock number from the schema's name (advisory locks are per database, the schema picks one). */
function lockKey(schema: string): number {
  let hash = 0;
  for (const ch of `threadgate:${schema}`) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) | 0;
  return hash;
}

export async function lockSchema(url: string, schema: string): Promise<DataLock> {
  const ident = schemaIdent(schema);
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined); // the lock goes with the connection; the pools report the outage
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [
      lockKey(schema),
    ]);
    if (!rows[0].locked) {
      const holder = await client
        .query(`SELECT holder FROM ${ident}.threadgate_holder LIMIT 1`)
        .then((r) => (r.rows[0]?.holder ?? null) as SchemaLockedError["holder"])
        .catch(() => null);
      throw new SchemaLockedError(schema, holder);
    }
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  const holder = { pid: process.pid, hostname: os.hostname(), started_at: new Date().toISOString() };
  let released = false;
  const record = async (details: object) => {
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${ident}.threadgate_holder (holder JSONB NOT NULL)`);
      await client.query(`DELETE FROM ${ident}.threadgate_holder`);
      await client.query(`INSERT INTO ${ident}.threadgate_holder (holder) VALUES ($1::jsonb)`, [
        JSON.stringify({ ...holder, ...details }),
      ]);
    } catch {
      // Only the refused process's message is the poorer for it.
    }
  };
  await record({});
  return {
    path: null,
    describe(details) {
      void record(details);
    },
    release() {
      if (released) return;
      released = true;
      void client.end().catch(() => undefined);
    },
  };
}
