/**
 * The LangGraph checkpoints' own SQLite file (see `checkpointsPathFor`): LangGraph's SQLite
 * checkpointer and the checkpoint admin on a connection to it. The server thread opens one (thread
 * state, forks, deletes) and so does each graph worker thread (the runs' checkpoint writes). It
 * loads none of the stores or migrations, so a worker starts faster.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import { SqliteCheckpointAdmin, ThreadgateSqliteSaver } from "./admin.ts";
import { openConnection, type SqliteDatabase } from "../connection.ts";

/** The checkpointer and checkpoint admin on a connection of their own. */
export interface SqliteCheckpointing {
  db: SqliteDatabase;
  checkpointer: ThreadgateSqliteSaver;
  checkpointAdmin: SqliteCheckpointAdmin;
  close(): Promise<void>;
}

/** Opens (creating if needed) the checkpoints' file; `setup()` creates the checkpointer's tables if missing. */
export async function openSqliteCheckpointing(
  path: string,
  beforeCheckpointWrite?: (config: RunnableConfig) => Promise<void> | undefined,
): Promise<SqliteCheckpointing> {
  const db = openConnection(path);
  try {
    const checkpointer = new ThreadgateSqliteSaver(db, beforeCheckpointWrite);
    checkpointer.setup();
    return {
      db,
      checkpointer,
      checkpointAdmin: new SqliteCheckpointAdmin(db, checkpointer.runs),
      async close() {
        if (db.open) db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}
