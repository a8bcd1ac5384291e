/** The handler map: one entry per operationId in the spec, checked by the compiler. */
import type { HandlerMap } from "./types.ts";
import { systemHandlers } from "./system.ts";
import { assistantHandlers } from "./assistants.ts";
import { assistantGraphHandlers } from "./assistant-graphs.ts";
import { threadHandlers } from "./threads.ts";
import { threadLifecycleHandlers } from "./thread-lifecycle.ts";
import { threadStreamHandlers } from "./thread-stream.ts";
import { runHandlers } from "./runs.ts";
import { auditHandlers } from "./audit.ts";
import { statelessRunHandlers } from "./stateless-runs.ts";
import { storeHandlers } from "./store.ts";
import { cronHandlers } from "./crons.ts";
import { protocolHandlers } from "./protocol.ts";

export const handlers: HandlerMap = {
  ...systemHandlers,
  ...assistantHandlers,
  ...assistantGraphHandlers,
  ...threadHandlers,
  ...threadLifecycleHandlers,
  ...threadStreamHandlers,
  ...runHandlers,
  ...statelessRunHandlers,
  ...auditHandlers,
  ...storeHandlers,
  ...cronHandlers,
  ...protocolHandlers,
};
