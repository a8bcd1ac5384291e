/**
 * Which backend the server's stores are on: Postgres when DATABASE_URL names one, SQLite otherwise
 * (the embedded default, no setup). SQLite comes with the lock that keeps a second server off its file,
 * and each says where graph worker threads find the checkpoints (the checkpoints' SQLite file, or the
 * Postgres schema).
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import type { ServerConfig } from "../config.ts";
import type { Stores } from "./types.ts";
import { lockDatabase, type DataLock } from "./sqlite/files/data-lock.ts";
import { openSqliteStores } from "./sqlite/index.ts";
import { openPostgresStores } from "./postgres/index.ts";
import { isSharedPath } from "./sqlite/files/paths.ts";
import type { CheckpointsLocation } from "./checkpointing.ts";

export type Backend = "sqlite" | "postgres";

export interface OpenedStores {
  backend: Backend;
  stores: Stores;
  /** Where graph workers open the checkpoints; null: they cannot (an in-memory database), graphs run here. */
  workerCheckpoints: CheckpointsLocation | null;
}

type BackendConfig = Pick<
  ServerConfig,
  "databaseUrl" | "postgresSchema" | "sqlitePath" | "checkpointsPath" | "runCacheBytes"
>;

export function backendOf(config: Pick<ServerConfig, "databaseUrl">): Backend {
  return config.databaseUrl ? "postgres" : "sqlite";
}

/**
 * Before anything is opened: a second server on the same SQLite file is refused, naming the holder. On
 * Postgres any number of servers share a schema (runs are claimed with leases): nothing to lock.
 */
export async function lockData(config: BackendConfig): Promise<DataLock> {
  if (config.databaseUrl) return { path: null, describe() {}, release() {} };
  return lockDatabase(config.sqlitePath);
}

export async function openStores(
  config: BackendConfig,
  beforeCheckpointWrite: (config: RunnableConfig) => Promise<void> | undefined,
): Promise<OpenedStores> {
  if (config.databaseUrl) {
    const stores = await openPostgresStores({ url: config.databaseUrl, schema: config.postgresSchema });
    const at = { kind: "postgres" as const, url: config.databaseUrl, schema: config.postgresSchema };
    return { backend: "postgres", stores, workerCheckpoints: at };
  }
  const stores = await openSqliteStores({
    path: config.sqlitePath,
    checkpointsPath: config.checkpointsPath,
    beforeCheckpointWrite,
    runCacheBytes: config.runCacheBytes,
  });
  const shared = isSharedPath(config.checkpointsPath);
  return {
    backend: "sqlite",
    stores,
    workerCheckpoints: shared ? { kind: "sqlite", path: config.checkpointsPath } : null,
  };
}
