/**
 * Where a graph worker thread finds the checkpoints, as plain data it is started with, and the
 * checkpointer (with its admin) it opens there on a connection of its own: the checkpoints' SQLite
 * file, or the Postgres schema the stores are on (a small pool of its own).
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import type { CheckpointAdmin } from "./types.ts";
import { openSqliteCheckpointing } from "./sqlite/checkpoints/index.ts";
import { openPool } from "./postgres/pool.ts";
import { ThreadgatePostgresSaver } from "./postgres/checkpoints/saver.ts";
import { PgCheckpointAdmin } from "./postgres/checkpoints/admin.ts";

export type CheckpointsLocation = { kind: "sqlite"; path: string } | { kind: "postgres"; url: string; schema: string };

export interface Checkpointing {
  checkpointer: BaseCheckpointSaver;
  checkpointAdmin: CheckpointAdmin;
  close(): Promise<void>;
}

/** Connections of a worker's Postgres pool: its runs' checkpoint writes, a few at a time. */
const WORKER_POOL_SIZE = 4;

/**
 * Opens the checkpointer at `location`. `beforeWrite` is awaited before each write where the store is
 * synchronous (SQLite): where a graph run gives the event loop back.
 */
export async function openCheckpointing(
  location: CheckpointsLocation,
  beforeWrite: (config: RunnableConfig) => Promise<void> | undefined,
): Promise<Checkpointing> {
  if (location.kind === "sqlite") return openSqliteCheckpointing(location.path, beforeWrite);
  // The server made the schema and ran the checkpointer's setup under the migration lock.
  const pool = openPool({ url: location.url, schema: location.schema, max: WORKER_POOL_SIZE });
  const checkpointer = new ThreadgatePostgresSaver(pool, location.schema);
  return {
    checkpointer,
    checkpointAdmin: new PgCheckpointAdmin(pool, checkpointer.runs),
    close: () => pool.end(),
  };
}
