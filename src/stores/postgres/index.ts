/**
 * The Postgres backend: every store of src/stores/types.ts on one pool and one schema, its tables made
 * by ./migrations.ts, and LangGraph's own Postgres checkpointer for checkpoints. The same conformance
 * suite as SQLite's runs against it (test/stores/postgres.test.ts).
 */
import type { Stores } from "../types.ts";
import { PgApiKeyStore } from "./api-keys.ts";
import { PgCronStore } from "./crons.ts";
import { PgFeedbackStore } from "./feedback.ts";
import { PgJournalStore } from "./journal.ts";
import { PgAssistantStore } from "./assistants.ts";
import { PgCheckpointAdmin } from "./checkpoints/admin.ts";
import { ThreadgatePostgresSaver } from "./checkpoints/saver.ts";
import { runMigrations } from "./migrations.ts";
import { openPool, type PgPool } from "./pool.ts";
import { PgRunLifecycleStore } from "./run-lifecycle.ts";
import { PgIdempotencyKeys } from "./idempotency-keys.ts";
import { PgRunLeaseStore } from "./leases.ts";
import { PgRunStore } from "./runs.ts";
import { PgStoreItemStore } from "./store/items.ts";
import { PgStreamEventStore } from "./stream-events.ts";
import { PgThreadStore } from "./threads.ts";

export interface PostgresStores extends Stores {
  pool: PgPool;
  schema: string;
}

export interface PostgresStoresOptions {
  url: string;
  /** Default `public`. */
  schema?: string;
  /** Connections of the stores' pool at most. */
  maxConnections?: number;
}

/** Connects, creates the schema when missing, applies pending migrations and builds every store. */
export async function openPostgresStores(opts: PostgresStoresOptions): Promise<PostgresStores> {
  const schema = opts.schema ?? "public";
  // Two at least: the migrations hold one while the checkpointer's setup takes another.
  const pool = openPool({ url: opts.url, schema, max: Math.max(2, opts.maxConnections ?? 10) });
  try {
    const checkpointer = new ThreadgatePostgresSaver(pool, schema);
    await runMigrations(pool, schema, () => checkpointer.setup());
    const threads = new PgThreadStore(pool, checkpointer);
    const runs = new PgRunStore(pool);
    const journal = new PgJournalStore(pool);
    // The run lifecycle claims cron slots through it (PgCronSlots) inside its admission transaction.
    const crons = new PgCronStore(pool);
    let closed = false;
    return {
      pool,
      schema,
      threads,
      runs,
      streamEvents: new PgStreamEventStore(pool),
      journal,
      lifecycle: new PgRunLifecycleStore(pool, threads, runs, journal, crons, new PgIdempotencyKeys(pool)),
      checkpointer,
      checkpointAdmin: new PgCheckpointAdmin(pool, checkpointer.runs),
      apiKeys: new PgApiKeyStore(pool),
      assistants: new PgAssistantStore(pool),
      storeItems: new PgStoreItemStore(pool),
      feedback: new PgFeedbackStore(pool),
      crons,
      leases: new PgRunLeaseStore(pool),
      async close() {
        if (closed) return;
        closed = true;
        await pool.end();
      },
    };
  } catch (err) {
    await pool.end();
    throw err;
  }
}
