/**
 * This process as one of the workers on a database, from the config: on Postgres, processes share
 * the schema (runs claimed with leases, streams followed through the database) and, with REDIS_URL,
 * hear each other at once; on SQLite it is the only one (its file is locked), still with leases, so a
 * run it was executing when it died is resumed at its next start.
 */
import type { ServerConfig } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { Backend } from "../stores/open.ts";
import { isActiveRunStatus, type Stores } from "../stores/types.ts";
import { workerSettings, type WorkerSettings } from "../runtime/runs/leases.ts";
import type { StreamHubOptions } from "../runtime/streams/hub.ts";
import { NoSignals, type ClusterSignals } from "./signals.ts";

type WorkerConfig = Pick<
  ServerConfig,
  "databaseUrl" | "postgresSchema" | "redisUrl" | "clusterPollMs" | "runLeaseSeconds" | "runMaxAttempts"
>;

/** Servers on one database and schema hear each other; on another schema (or database), never. */
function namespaceOf(config: WorkerConfig): string {
  const url = new URL(config.databaseUrl!);
  return `${url.host}${url.pathname}:${config.postgresSchema}`;
}

export async function workerFor(
  config: WorkerConfig,
  backend: Backend,
  stores: Stores,
  logger: Logger,
): Promise<{ worker: WorkerSettings; streamsShared: StreamHubOptions["shared"] }> {
  const shared = backend === "postgres";
  let signals: ClusterSignals = new NoSignals();
  if (shared && config.redisUrl) {
    // Loaded only when asked for: a server without Redis does not pay for the client at start.
    const { openRedisSignals } = await import("./redis-signals.ts");
    signals = await openRedisSignals({ url: config.redisUrl, namespace: namespaceOf(config), logger });
  } else if (shared) {
    logger.info("no REDIS_URL: processes on this schema learn of each other's runs by polling the database");
  }
  const worker = workerSettings({
    signals,
    shared,
    leaseMs: config.runLeaseSeconds * 1000,
    maxAttempts: config.runMaxAttempts,
    pollMs: config.clusterPollMs,
  });
  const runActive = async (runId: string) => {
    const run = await stores.runs.get(runId);
    return run !== null && isActiveRunStatus(run.status);
  };
  return { worker, streamsShared: shared ? { signals, pollMs: config.clusterPollMs, runActive } : undefined };
}
