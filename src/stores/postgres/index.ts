/**
 * The Postgres backend: every store of src/stores/types.ts on one pool and one schema, its tables made
 * by ./migrations.ts, and LangGraph's own Postgres checkpointer for checkpoints. The same conformance
 * suite as SQLite's runs against it (test/stores/postgres.test.ts).
 */
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import type { CheckpointAdmin, Stores } from "../types.ts";
import type { AssistantStore } from "../assistants.ts";
import type { StoreItemStore } from "../store-items.ts";
import { PgApiKeyStore } from "./api-keys.ts";
import { PgCronStore } from "./crons.ts";
import { PgFeedbackStore } from "./feedback.ts";
import { PgJournalStore } from "./journal.ts";
import { runMigrations } from "./migrations.ts";
import { notYet } from "./not-yet.ts";
import { openPool, type PgPool } from "./pool.ts";
import { PgRunLifecycleStore } from "./run-lifecycle.ts";
import { PgIdempotencyKeys } from "./idempotency-keys.ts";
import { PgRunStore } from "./runs.ts";
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
  const pool = openPool({ url: opts.url, schema, max: opts.maxConnections });
  try {
    const checkpointer = new PostgresSaver(pool, undefined, { schema });
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
      checkpointAdmin: notYet<CheckpointAdmin>("checkpoint admin"),
      apiKeys: new PgApiKeyStore(pool),
      assistants: notYet<AssistantStore>("assistant"),
      storeItems: notYet<StoreItemStore>("store item"),
      feedback: new PgFeedbackStore(pool),
      crons,
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
