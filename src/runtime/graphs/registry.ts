/**
 * Loads the graphs a `langgraph.json` declares (LangGraph CLI format, read by src/project/langgraph-json.ts):
 *   {"graphs": {"agent": "./path/to/file.ts:graph"}}  or  {"agent": {"path": "...", "description": "..."}}
 * Modules are imported at run time (TypeScript works because the server runs under tsx).
 * An export may be a compiled graph, an uncompiled StateGraph, a promise of either,
 * or a factory `(config) => graph`.
 *
 * A graph that cannot be loaded (its module throws at import, the file or the export is missing)
 * does not stop the others: it is kept as a failure, `has()` still knows it (its assistant exists),
 * and `get()` throws a GraphLoadError (409, naming the graph and the error) for every run and state
 * call that needs it. A factory that throws while it is built with a config is a GraphBuildError (422).
 * LangGraph Platform's logger (`getLogger()` of `@langchain/langgraph-sdk/logging`)
 * is registered before any graph module is imported, as the official servers do.
 */
import { pathToFileURL } from "node:url";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { Logger } from "../../logger.ts";
import { ConflictError, UnprocessableError } from "../../http/errors.ts";
import { registerSdkLogger } from "./sdk-logger.ts";
import type { ProjectGraph } from "../../project/langgraph-json.ts";

/** The part of a compiled LangGraph graph the runtime uses. */
export interface RunnableGraph {
  checkpointer?: BaseCheckpointSaver | boolean;
  stream(input: unknown, options?: Record<string, unknown>): Promise<AsyncIterable<unknown>>;
  invoke(input: unknown, options?: Record<string, unknown>): Promise<unknown>;
  getState(
    config: RunnableConfig,
    options?: { subgraphs?: boolean },
  ): Promise<import("@langchain/langgraph").StateSnapshot>;
  getStateHistory(
    config: RunnableConfig,
    options?: { limit?: number; before?: RunnableConfig; filter?: Record<string, unknown> },
  ): AsyncIterableIterator<import("@langchain/langgraph").StateSnapshot>;
  updateState(config: RunnableConfig, values: unknown, asNode?: string): Promise<RunnableConfig>;
}

export interface GraphDefinition {
  graphId: string;
  file: string;
  exportName: string;
  description: string | null;
}

/** A graph of langgraph.json that could not be loaded, and why. */
export interface GraphLoadFailure {
  graphId: string;
  file: string;
  error: Error;
}

/**
 * A run or state call on a graph that failed to load. 409, not 5xx: the SDK retries 5xx answers (and the
 * same request can only fail the same way until the module is fixed and the server restarted), and it
 * does not retry 409; the detail says which graph and why.
 */
export class GraphLoadError extends ConflictError {
  constructor(readonly failure: GraphLoadFailure) {
    super(
      `graph "${failure.graphId}" failed to load when the server started, so it cannot run or read state: ` +
        `${failure.error.name}: ${failure.error.message} (${failure.file}). Fix the module and restart the server.`,
    );
    this.name = "GraphLoadError";
  }
}

/**
 * A graph that could not be built with the config it was given: a factory refusing the assistant's, the
 * thread's or the run's config (or returning no graph for it). That is the graph's answer to the config,
 * not a server fault: 422 naming the graph and what it threw, never a 5xx the SDK would retry.
 */
export class GraphBuildError extends UnprocessableError {
  constructor(
    readonly graphId: string,
    readonly error: Error,
  ) {
    super(`graph "${graphId}" could not be built with the config it was given: ${error.name}: ${error.message}`);
    this.name = "GraphBuildError";
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

export interface GraphRegistryOptions {
  /** Where LangGraph Platform's logger (getLogger()) writes in this thread. */
  logger?: Logger;
}

type GraphExport = RunnableGraph | { compile(): RunnableGraph } | ((config: RunnableConfig) => unknown);

function isCompiled(value: unknown): value is RunnableGraph {
  return typeof value === "object" && value !== null && "stream" in value && "getState" in value;
}

async function resolveExport(value: unknown, config: RunnableConfig): Promise<RunnableGraph> {
  let resolved = await value;
  if (typeof resolved === "function") resolved = await (resolved as (c: RunnableConfig) => unknown)(config);
  if (isCompiled(resolved)) return resolved;
  if (
    resolved &&
    typeof resolved === "object" &&
    "graph" in resolved &&
    isCompiled((resolved as { graph: unknown }).graph)
  ) {
    return (resolved as { graph: RunnableGraph }).graph; // createAgent-style wrappers
  }
  if (resolved && typeof resolved === "object" && "compile" in resolved) {
    return (resolved as { compile(): RunnableGraph }).compile();
  }
  throw new Error("export is not a LangGraph graph (compiled graph, StateGraph, or factory)");
}

export class GraphRegistry {
  private readonly exports = new Map<string, GraphExport>();
  private readonly failed = new Map<string, GraphLoadFailure>();

  private constructor(
    readonly definitions: GraphDefinition[],
    private readonly checkpointer: BaseCheckpointSaver,
  ) {}

  /**
   * Imports each graph's module (langgraph.json's `graphs`, read by src/project/langgraph-json.ts). A graph
   * that fails to load is in `failures`, as is an entry that names no module.
   */
  static async load(
    graphs: readonly ProjectGraph[],
    checkpointer: BaseCheckpointSaver,
    options: GraphRegistryOptions = {},
  ): Promise<GraphRegistry> {
    const definitions: GraphDefinition[] = graphs.map(({ graphId, file, exportName, description }) => ({
      graphId,
      file,
      exportName,
      description,
    }));
    const badEntries: GraphLoadFailure[] = graphs.flatMap((g) =>
      g.problem ? [{ graphId: g.graphId, file: g.file, error: new Error(g.problem) }] : [],
    );
    const registry = new GraphRegistry(definitions, checkpointer);
    for (const failure of badEntries) registry.failed.set(failure.graphId, failure);
    // Before any graph module runs: graphs may take the logger at import.
    if (options.logger) registerSdkLogger(options.logger);
    for (const def of definitions) {
      if (registry.failed.has(def.graphId)) continue;
      try {
        const mod = (await import(pathToFileURL(def.file).href)) as Record<string, unknown>;
        if (!(def.exportName in mod)) throw new Error(`${def.file} has no export "${def.exportName}"`);
        registry.exports.set(def.graphId, mod[def.exportName] as GraphExport);
      } catch (err) {
        registry.failed.set(def.graphId, { graphId: def.graphId, file: def.file, error: asError(err) });
      }
    }
    return registry;
  }

  /** Whether langgraph.json declares the graph (loaded or not: see `loaded`). */
  has(graphId: string): boolean {
    return this.exports.has(graphId) || this.failed.has(graphId);
  }

  /** Whether the graph was loaded and can be run. */
  loaded(graphId: string): boolean {
    return this.exports.has(graphId);
  }

  /** The graphs that could not be loaded, in langgraph.json's order. */
  get failures(): GraphLoadFailure[] {
    return this.definitions.flatMap((d) => this.failed.get(d.graphId) ?? []);
  }

  /**
   * The graph ready to run, built with `config` (a factory's argument), with the server's checkpointer
   * attached. Throws GraphLoadError for a graph that failed to load, GraphBuildError for one that cannot
   * be built with this config.
   */
  async get(graphId: string, config: RunnableConfig = {}): Promise<RunnableGraph> {
    const failure = this.failed.get(graphId);
    if (failure) throw new GraphLoadError(failure);
    const exported = this.exports.get(graphId);
    if (exported === undefined) throw new Error(`unknown graph "${graphId}"`);
    const graph = await resolveExport(exported, config).catch((err: unknown) => {
      throw new GraphBuildError(graphId, asError(err));
    });
    // The server owns persistence: a graph's own checkpointer is replaced, as LangGraph Platform does.
    graph.checkpointer = this.checkpointer;
    return graph;
  }
}
