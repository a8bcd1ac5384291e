/**
 * The checkpointer side of the database for a thread that runs graphs but does not own the
 * stores (a graph worker): LangGraph's SQLite checkpointer and the checkpoint admin on a
 * connection of its own. It loads none of the stores or migrations (a worker starts faster).
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import { SqliteCheckpointAdmin, ThreadgateSqliteSaver } from "./checkpoint-admin.ts";
import { openConnection } from "./connection.ts";

/** What a graph worker thread needs of the database: the checkpointer and checkpoint admin on a connection of its own. */
export interface SqliteCheckpointing {
  checkpointer: ThreadgateSqliteSaver;
  checkpointAdmin: SqliteCheckpointAdmin;
  close(): Promise<void>;
}

/**
 * Opens a second connection to a database that `openSqliteStores` has already opened and migrated
 * (no migrations here), for the LangGraph checkpointer of a thread that runs graphs.
 */
export async function openSqliteCheckpointing(
  path: string,
  beforeCheckpointWrite?: (config: RunnableConfig) => Promise<void> | undefined,
): Promise<SqliteCheckpointing> {
  const db = openConnection(path);
  try {
    const checkpointer = new ThreadgateSqliteSaver(db, beforeCheckpointWrite);
    checkpointer.setup();
    return {
      checkpointer,
      checkpointAdmin: new SqliteCheckpointAdmin(db),
      async close() {
        if (db.open) db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}
