import type { RunnableConfig } from "@langchain/core/runnables";
import type { Stores } from "../types.ts";
import { SqliteCheckpointAdmin, ThreadgateSqliteSaver } from "./checkpoint-admin.ts";
import { isSharedPath, openDatabase, type SqliteDatabase } from "./database.ts";
import { SqliteJournalStore } from "./journal.ts";
import { SqliteRunStore } from "./runs.ts";
import { SqliteStreamEventStore } from "./stream-events.ts";
import { SqliteThreadStore } from "./threads.ts";
import { RunJsonCache } from "./run-json-cache.ts";
import { SqliteRunLifecycleStore } from "./run-lifecycle.ts";

export {
  SqliteCheckpointAdmin,
  ThreadgateSqliteSaver,
  SqliteJournalStore,
  SqliteRunStore,
  SqliteStreamEventStore,
  SqliteThreadStore,
  SqliteRunLifecycleStore,
};
export { isSharedPath, openDatabase, type SqliteDatabase };
export { openSqliteCheckpointing, type SqliteCheckpointing } from "./checkpointing.ts";

export interface SqliteStores extends Stores {
  checkpointer: ThreadgateSqliteSaver;
  /** The shared connection (stores and checkpointer). For diagnostics and tests. */
  db: SqliteDatabase;
}

/** Opens (creating if needed) and migrates the database file, and builds every store on one connection. */
export interface SqliteStoresOptions {
  path: string;
  /** Awaited before each checkpoint write: where a run executing on this synchronous store can yield. */
  beforeCheckpointWrite?: (config: RunnableConfig) => Promise<void> | undefined;
  /** Bytes of finished runs' wire JSON kept in memory (default 16 MiB; 0 keeps none). */
  runCacheBytes?: number;
}

export async function openSqliteStores(opts: SqliteStoresOptions): Promise<SqliteStores> {
  const db = await openDatabase(opts.path);
  try {
    // A SqliteSaver (same connection) that also stores config.metadata (run_id) in checkpoint metadata.
    // setup() creates `checkpoints`/`writes` (IF NOT EXISTS), which the thread delete and checkpoint admin
    // statements are prepared against, so it must run before the stores are built.
    const checkpointer = new ThreadgateSqliteSaver(db, opts.beforeCheckpointWrite);
    checkpointer.setup();
    const runJson = opts.runCacheBytes === 0 ? null : new RunJsonCache(opts.runCacheBytes ?? 16 * 1024 * 1024);
    const threads = new SqliteThreadStore(db, runJson);
    const runs = new SqliteRunStore(db, runJson);
    const journal = new SqliteJournalStore(db);
    let closed = false;
    return {
      db,
      threads,
      runs,
      streamEvents: new SqliteStreamEventStore(db),
      journal,
      lifecycle: new SqliteRunLifecycleStore(db, threads, runs, journal),
      checkpointer,
      checkpointAdmin: new SqliteCheckpointAdmin(db),
      async close() {
        if (closed) return;
        closed = true;
        db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}
