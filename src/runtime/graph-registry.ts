/**
 * Loads the graphs a `langgraph.json` declares (LangGraph CLI format):
 *   {"graphs": {"agent": "./path/to/file.ts:graph"}}  or  {"agent": {"path": "...", "description": "..."}}
 * Modules are imported at run time (TypeScript works because the server runs under tsx).
 * An export may be a compiled graph, an uncompiled StateGraph, a promise of either,
 * or a factory `(config) => graph`.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import type { RunnableConfig } from "@langchain/core/runnables";

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

  private constructor(
    readonly definitions: GraphDefinition[],
    private readonly checkpointer: BaseCheckpointSaver,
  ) {}

  static async load(configPath: string, checkpointer: BaseCheckpointSaver): Promise<GraphRegistry> {
    const raw = JSON.parse(await fs.readFile(configPath, "utf8")) as { graphs?: Record<string, unknown> };
    if (!raw.graphs || typeof raw.graphs !== "object") throw new Error(`${configPath}: "graphs" is missing`);
    const baseDir = path.dirname(configPath);
    const definitions: GraphDefinition[] = [];
    for (const [graphId, entry] of Object.entries(raw.graphs)) {
      const spec = typeof entry === "string" ? entry : (entry as { path?: string }).path;
      if (typeof spec !== "string") throw new Error(`${configPath}: graph "${graphId}" needs a "path"`);
      const [file, exportName = "default"] = spec.split(":");
      const description = typeof entry === "object" ? ((entry as { description?: string }).description ?? null) : null;
      definitions.push({ graphId, file: path.resolve(baseDir, file), exportName, description });
    }
    const registry = new GraphRegistry(definitions, checkpointer);
    for (const def of definitions) {
      const mod = (await import(pathToFileURL(def.file).href)) as Record<string, unknown>;
      if (!(def.exportName in mod))
        throw new Error(`${def.file} has no export "${def.exportName}" (graph "${def.graphId}")`);
      registry.exports.set(def.graphId, mod[def.exportName] as GraphExport);
    }
    return registry;
  }

  has(graphId: string): boolean {
    return this.exports.has(graphId);
  }

  /** The graph ready to run, with the server's checkpointer attached. */
  async get(graphId: string, config: RunnableConfig = {}): Promise<RunnableGraph> {
    const exported = this.exports.get(graphId);
    if (exported === undefined) throw new Error(`unknown graph "${graphId}"`);
    const graph = await resolveExport(exported, config);
    // The server owns persistence: a graph's own checkpointer is replaced, as LangGraph Platform does.
    graph.checkpointer = this.checkpointer;
    return graph;
  }
}
