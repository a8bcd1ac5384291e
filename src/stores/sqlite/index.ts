import type { RunnableConfig } from "@langchain/core/runnables";
import type { Stores } from "../types.ts";
import { SqliteCheckpointAdmin, ThreadgateSqliteSaver } from "./checkpoints/admin.ts";
import { openDatabase, type SqliteDatabase } from "./database.ts";
import { checkpointsPathFor, isMemoryPath } from "./files/paths.ts";
import { WalCheckpointer } from "./wal/checkpointer.ts";
import { openSqliteCheckpointing, type SqliteCheckpointing } from "./checkpoints/index.ts";
import { moveCheckpointsToTheirFile } from "./checkpoints/move.ts";
import { SqliteApiKeyStore } from "./api-keys.ts";
import { SqliteAssistantStore } from "./assistants.ts";
import { SqliteFeedbackStore } from "./feedback.ts";
import { SqliteCronStore } from "./crons.ts";
import { SqliteJournalStore } from "./journal.ts";
import { SqliteRunStore } from "./runs.ts";
import { SqliteStreamEventStore } from "./stream-events.ts";
import { SqliteStoreItemStore } from "./store/items.ts";
import { SqliteThreadStore } from "./threads.ts";
import { RunJsonCache } from "./run-json-cache.ts";
import { SqliteRunLifecycleStore } from "./run-lifecycle.ts";
import { SqliteIdempotencyKeys } from "./idempotency-keys.ts";
import { SqliteRunLeaseStore } from "./leases.ts";

export {
  SqliteApiKeyStore,
  SqliteAssistantStore,
  SqliteCheckpointAdmin,
  SqliteFeedbackStore,
  SqliteCronStore,
  ThreadgateSqliteSaver,
  SqliteJournalStore,
  SqliteRunStore,
  SqliteStreamEventStore,
  SqliteStoreItemStore,
  SqliteThreadStore,
  SqliteRunLifecycleStore,
  SqliteRunLeaseStore,
};
export { openDatabase, type SqliteDatabase };

export interface SqliteStores extends Stores {
  checkpointer: ThreadgateSqliteSaver;
  /** The stores' connection (threads, runs, stream log, journal, API keys, assistants, store items, feedback, crons). For diagnostics and tests. */
  db: SqliteDatabase;
  /** The checkpointer's connection, to the checkpoints' own file. For diagnostics and tests. */
  checkpointDb: SqliteDatabase;
}

export interface SqliteStoresOptions {
  path: string;
  /** The LangGraph checkpoints' own file (default: beside `path`, see `checkpointsPathFor`). */
  checkpointsPath?: string;
  /** Awaited before each checkpoint write: where a run executing on this synchronous store can yield. */
  beforeCheckpointWrite?: (config: RunnableConfig) => Promise<void> | undefined;
  /** Bytes of finished runs' wire JSON kept in memory (default 16 MiB; 0 keeps none). */
  runCacheBytes?: number;
}

/**
 * Opens (creating if needed) and migrates the stores' file and builds every store on one connection,
 * and opens the checkpoints' file for the checkpointer on a second one.
 */
export async function openSqliteStores(opts: SqliteStoresOptions): Promise<SqliteStores> {
  const db = await openDatabase(opts.path);
  let checkpointing: SqliteCheckpointing | undefined;
  try {
    // A SqliteSaver that also stores config.metadata (run_id) in checkpoint metadata, on a connection
    // to the checkpoints' own file; setup() has created its tables.
    const checkpointsPath = opts.checkpointsPath ?? checkpointsPathFor(opts.path);
    checkpointing = await openSqliteCheckpointing(checkpointsPath, opts.beforeCheckpointWrite);
    moveCheckpointsToTheirFile(db, checkpointsPath);
    const { checkpointer } = checkpointing;
    const runJson = opts.runCacheBytes === 0 ? null : new RunJsonCache(opts.runCacheBytes ?? 16 * 1024 * 1024);
    const threads = new SqliteThreadStore(db, runJson, checkpointer);
    const runs = new SqliteRunStore(db, runJson);
    const journal = new SqliteJournalStore(db);
    const crons = new SqliteCronStore(db);
    const closeCheckpointing = checkpointing.close;
    // The server thread writes this file: its WAL is checkpointed elsewhere (an in-memory one has none).
    const walCheckpointer = isMemoryPath(opts.path) ? null : WalCheckpointer.start(db);
    let closed = false;
    return {
      db,
      checkpointDb: checkpointing.db,
      threads,
      runs,
      streamEvents: new SqliteStreamEventStore(db),
      journal,
      lifecycle: new SqliteRunLifecycleStore(db, threads, runs, journal, crons, new SqliteIdempotencyKeys(db)),
      checkpointer,
      checkpointAdmin: checkpointing.checkpointAdmin,
      apiKeys: new SqliteApiKeyStore(db),
      assistants: new SqliteAssistantStore(db),
      storeItems: new SqliteStoreItemStore(db),
      feedback: new SqliteFeedbackStore(db, runJson),
      crons,
      leases: new SqliteRunLeaseStore(db, runJson),
      async close() {
        if (closed) return;
        closed = true;
        await walCheckpointer?.close();
        db.close();
        await closeCheckpointing();
      },
    };
  } catch (err) {
    db.close();
    await checkpointing?.close();
    throw err;
  }
}
