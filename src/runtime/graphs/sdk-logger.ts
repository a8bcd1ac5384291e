/**
 * The logger LangGraph servers offer graph code: `getLogger()` of `@langchain/langgraph-sdk/logging`
 * returns `globalThis[Symbol.for("langgraph.api.sdk-logger")]` and throws when no server put one there,
 * so a graph written for LangGraph Platform that takes it at import could not even be loaded.
 *
 * The official LangGraph.js server registers its winston logger there before it imports any graph, and
 * adds the running node's name (`langgraph_node`) to each line. This registers the same kind of object
 * — winston's level methods (error, warn, help, data, info, debug, prompt, http, verbose, input, silly),
 * each taking `(message, ...meta)` or `(infoObject)` and returning the logger — writing to the server's
 * pino logger. It is registered per thread (each graph worker has its own globalThis); a later
 * registration in the same thread (another server started in one process, as tests do) only changes
 * where the lines go, so loggers that graph modules already took keep working.
 */
import { getConfig } from "@langchain/langgraph";
import type { Logger } from "../../logger.ts";

const GLOBAL_LOGGER = Symbol.for("langgraph.api.sdk-logger");

type PinoLevel = "error" | "warn" | "info" | "debug" | "trace";

/** winston's npm and cli levels, and the pino level each one is written at. */
const LEVELS: Record<string, PinoLevel> = {
  error: "error",
  warn: "warn",
  help: "info",
  data: "info",
  info: "info",
  prompt: "info",
  input: "info",
  http: "debug",
  verbose: "debug",
  debug: "debug",
  silly: "trace",
};

type LeveledLogMethod = (message: unknown, ...meta: unknown[]) => SdkLogger;
export type SdkLogger = Record<keyof typeof LEVELS, LeveledLogMethod>;

interface Registered {
  logger: SdkLogger;
  target: Logger;
}

const registered = new WeakMap<SdkLogger, Registered>();

/** The fields and message of a winston-style call. */
function lineOf(message: unknown, meta: unknown[]): { fields: Record<string, unknown>; msg: string | undefined } {
  const fields: Record<string, unknown> = {};
  let msg: string | undefined;
  const take = (value: unknown) => {
    if (value instanceof Error) fields.err = value;
    else if (value && typeof value === "object") Object.assign(fields, value);
    else if (value !== undefined) msg = msg === undefined ? String(value) : `${msg} ${String(value)}`;
  };
  if (typeof message === "string") msg = message;
  else if (message instanceof Error) {
    fields.err = message;
    msg = message.message;
  } else if (message && typeof message === "object") {
    const { message: text, ...rest } = message as Record<string, unknown>;
    Object.assign(fields, rest);
    if (text !== undefined) msg = typeof text === "string" ? text : JSON.stringify(text);
  } else take(message);
  for (const m of meta) take(m);
  // As the official server's runtime formatter: the node whose code is logging.
  let node: unknown;
  try {
    node = getConfig()?.metadata?.langgraph_node;
  } catch {
    node = undefined; // not inside a run
  }
  if (node !== undefined && fields.langgraph_node === undefined) fields.langgraph_node = node;
  return { fields, msg };
}

/** Puts the LangGraph Platform logger on this thread's globalThis, writing to `target`. */
export function registerSdkLogger(target: Logger): SdkLogger {
  const global = globalThis as unknown as Record<symbol, SdkLogger | undefined>;
  const existing = global[GLOBAL_LOGGER];
  const mine = existing ? registered.get(existing) : undefined;
  if (mine) {
    mine.target = target;
    return mine.logger;
  }
  const logger = {} as SdkLogger;
  const entry: Registered = { logger, target };
  for (const [name, level] of Object.entries(LEVELS)) {
    logger[name] = (message: unknown, ...meta: unknown[]) => {
      const { fields, msg } = lineOf(message, meta);
      entry.target[level](fields, msg);
      return logger;
    };
  }
  registered.set(logger, entry);
  global[GLOBAL_LOGGER] = logger;
  return logger;
}
