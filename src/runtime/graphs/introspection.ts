/**
 * What LangGraph Studio reads of a graph without running it: the drawable graph (nodes and edges) and
 * the JSON Schemas of its input, output, state and context, for the graph and each of its subgraphs.
 * Everything comes from `@langchain/langgraph` itself: `getGraphAsync({xray}).toJSON()`,
 * `getSubgraphsAsync(namespace, recurse)` and the schema getters of `@langchain/langgraph/zod/schema`
 * (which read a `StateSchema` and zod states alike). The graph is built in this thread from the
 * registry, a factory with the assistant's config, as the official servers build it.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import {
  getConfigTypeSchema,
  getInputTypeSchema,
  getOutputTypeSchema,
  getStateTypeSchema,
} from "@langchain/langgraph/zod/schema";
import type { Schema } from "../../contract.ts";
import type { Json } from "../../stores/types.ts";
import type { Assistant } from "../assistants/directory.ts";
import type { GraphRegistry } from "./registry.ts";
import { ApiError } from "../../http/errors.ts";

export type DrawableGraph = Schema<"DrawableGraph">;
export type GraphSchemas = Schema<"GraphSchemas">;
export type SubgraphSchemas = Schema<"SubgraphSchemas">;
type JsonSchema = Schema<"JsonSchemaOrNull">;

/** The parts of a compiled LangGraph graph introspection uses (Pregel / CompiledStateGraph). */
interface IntrospectableGraph {
  getGraphAsync(config: RunnableConfig & { xray?: boolean | number }): Promise<{ toJSON(): Record<string, unknown> }>;
  getSubgraphsAsync(namespace?: string, recurse?: boolean): AsyncIterable<[string, unknown]>;
}

function isIntrospectable(graph: unknown): graph is IntrospectableGraph {
  const g = graph as Partial<IntrospectableGraph> | null;
  return typeof g?.getGraphAsync === "function" && typeof g?.getSubgraphsAsync === "function";
}

/** The assistant's config as LangGraph reads it: `recursion_limit` is `recursionLimit`, `configurable` always there. */
function runnableConfigOf(assistant: Assistant): RunnableConfig {
  const { configurable, recursion_limit, ...rest } = (assistant.config ?? {}) as Json;
  return {
    ...rest,
    configurable: { ...((configurable as Json | undefined) ?? {}) },
    ...(typeof recursion_limit === "number" ? { recursionLimit: recursion_limit } : {}),
  };
}

/**
 * The assistant's graph, built with its config: a graph that failed to load throws GraphLoadError (409),
 * a factory refusing the config GraphBuildError (422).
 */
async function graphOf(registry: GraphRegistry, assistant: Assistant): Promise<[IntrospectableGraph, RunnableConfig]> {
  const config = runnableConfigOf(assistant);
  const graph: unknown = await cannotDraw(assistant, () => registry.get(assistant.graph_id, config));
  if (!isIntrospectable(graph))
    throw new ApiError(422, `graph "${assistant.graph_id}" does not support visualization (not a LangGraph graph)`);
  return [graph, config];
}

/**
 * What the graph's own code throws while it is drawn or walked for subgraphs is the graph's answer, not a
 * server fault: 422 naming it, as the official server answers for a graph it cannot draw, and never a 5xx
 * the SDK would retry. Our own errors (GraphLoadError's 409, GraphBuildError's 422) pass as they are.
 */
async function cannotDraw<T>(assistant: Assistant, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(422, `graph "${assistant.graph_id}" does not support visualization: ${(err as Error).message}`);
  }
}

/**
 * The drawable graph. As the official server does, each node's `data.id` (LangChain's class path of
 * the node's runnable, e.g. ["langgraph","RunnableCallable"]) is left out: it names our code, not the graph.
 */
export async function drawGraph(
  registry: GraphRegistry,
  assistant: Assistant,
  xray: boolean | number,
): Promise<DrawableGraph> {
  const [graph, config] = await graphOf(registry, assistant);
  const drawable = (
    await cannotDraw(assistant, () => graph.getGraphAsync({ ...config, xray }))
  ).toJSON() as DrawableGraph;
  // Through JSON once: what the client gets (undefined fields dropped), and a copy whose nodes can be edited.
  const json = JSON.parse(JSON.stringify(drawable)) as DrawableGraph;
  for (const node of json.nodes) {
    if (node.data && typeof node.data === "object" && !Array.isArray(node.data)) delete node.data.id;
  }
  return json;
}

/** One schema getter's answer, or null when it has none or fails: an underivable schema is not a 500. */
function derived(getter: (graph: never) => unknown, graph: unknown): JsonSchema {
  try {
    const schema = getter(graph as never);
    return schema && typeof schema === "object" ? (JSON.parse(JSON.stringify(schema)) as JsonSchema) : null;
  } catch {
    return null;
  }
}

/**
 * A graph's schemas. `state_schema` is the whole state, `input_schema` what a run may send (every key
 * optional, a reducer's input type), `output_schema` what it answers. LangGraph.js has one schema for
 * context and configurable (`context` of the StateGraph), so `context_schema` is `config_schema`, as
 * in LangGraph.js's server.
 */
function schemasOf(graph: unknown): SubgraphSchemas {
  const config = derived(getConfigTypeSchema, graph);
  return {
    input_schema: derived(getInputTypeSchema, graph),
    output_schema: derived(getOutputTypeSchema, graph),
    state_schema: derived(getStateTypeSchema, graph),
    config_schema: config,
    context_schema: config,
  };
}

export async function graphSchemas(registry: GraphRegistry, assistant: Assistant): Promise<GraphSchemas> {
  const [graph] = await graphOf(registry, assistant);
  return { graph_id: assistant.graph_id, ...schemasOf(graph) };
}

/** Namespace (`child`, or `parent|child` with `recurse`) to each subgraph's schemas, in the graph's order. */
export async function subgraphSchemas(
  registry: GraphRegistry,
  assistant: Assistant,
  namespace: string | undefined,
  recurse: boolean,
): Promise<Record<string, SubgraphSchemas>> {
  const [graph] = await graphOf(registry, assistant);
  const found: Record<string, SubgraphSchemas> = {};
  await cannotDraw(assistant, async () => {
    for await (const [ns, subgraph] of graph.getSubgraphsAsync(namespace, recurse)) found[ns] = schemasOf(subgraph);
  });
  return found;
}

/**
 * `?xray` as the official server reads it: a boolean (`true`/`True`, `false`/`False`) or a depth of at
 * least 1. The spec has already refused anything else, 0 and negative depths included.
 */
export function xrayOf(value: unknown): boolean | number {
  if (value === undefined || value === null || value === "") return false;
  if (typeof value === "boolean" || typeof value === "number") return value;
  return value === "True" || value === "true";
}
