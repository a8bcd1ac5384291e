/**
 * Everything a request handler may call, built once at boot: the runtime
 * pieces and the stores behind them.
 */
import type { ServerConfig } from "./config.ts";
import type { Logger } from "./logger.ts";
import type { Stores } from "./stores/types.ts";
import type { GraphRegistry } from "./runtime/graphs/registry.ts";
import type { AssistantDirectory } from "./runtime/assistants/directory.ts";
import type { StreamHub } from "./runtime/streams/hub.ts";
import type { RunManager } from "./runtime/runs/manager.ts";
import type { ThreadStateReader } from "./runtime/threads/state.ts";
import type { ThreadTtlSettings } from "./runtime/threads/ttl-settings.ts";
import type { StoreService } from "./runtime/store/service.ts";
import type { CronService } from "./runtime/crons/crons.ts";
import type { ThreadStreams } from "./runtime/streams/thread-follow.ts";
import type { ProtocolCommands } from "./runtime/protocol/commands.ts";

export interface Services {
  config: ServerConfig;
  logger: Logger;
  stores: Stores;
  registry: GraphRegistry;
  assistants: AssistantDirectory;
  streams: StreamHub;
  runs: RunManager;
  state: ThreadStateReader;
  /** Thread TTL from langgraph.json: the default for new threads, and how they are swept. */
  threadTtl: ThreadTtlSettings;
  /** The Store API and the graphs' store: langgraph.json's `store` applied. */
  store: StoreService;
  /** Crons: their API semantics (the scheduler that fires them is started beside it). */
  crons: CronService;
  /** Each thread's stream across its runs, read from the runs' own logs. */
  threadStreams: ThreadStreams;
  /** Protocol v2's commands, carried out by the same runs and state as the classic API. */
  protocol: ProtocolCommands;
}
