/**
 * Everything a request handler may call, built once at boot: the runtime
 * pieces and the stores behind them.
 */
import type { ServerConfig } from "./config.ts";
import type { Logger } from "./logger.ts";
import type { Stores } from "./stores/types.ts";
import type { GraphRegistry } from "./runtime/graph-registry.ts";
import type { AssistantDirectory } from "./runtime/assistants.ts";
import type { StreamHub } from "./runtime/stream-hub.ts";
import type { RunManager } from "./runtime/run-manager.ts";
import type { ThreadStateReader } from "./runtime/thread-state.ts";

export interface Services {
  config: ServerConfig;
  logger: Logger;
  stores: Stores;
  registry: GraphRegistry;
  assistants: AssistantDirectory;
  streams: StreamHub;
  runs: RunManager;
  state: ThreadStateReader;
}
