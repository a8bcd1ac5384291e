/**
 * What a state request names must exist in the thread's graph: a subgraph
 * namespace, an `as_node`. Checked before LangGraph is asked, so a bad request
 * is a 422 naming its field and writes nothing; what LangGraph itself refuses
 * while applying an update (values its state schema or reducers reject) is a
 * 422 on the values, never a 500.
 */
import { InvalidUpdateError } from "@langchain/langgraph";
import { UnprocessableError } from "../../http/errors.ts";
import type { RunnableGraph } from "../graphs/registry.ts";

export type Loc = (string | number)[];

/** `as_node` values LangGraph's `updateState` understands besides the graph's own nodes. */
const SPECIAL_AS_NODES = new Set(["__input__", "__copy__", "__end__"]);

type WithSubgraphs = { getSubgraphsAsync(namespace?: string, recurse?: boolean): AsyncIterable<unknown> };

export function refuse(loc: Loc, msg: string): UnprocessableError {
  return new UnprocessableError([{ loc, msg, type: "value_error" }]);
}

function nodeNames(graph: RunnableGraph): string[] {
  return Object.keys((graph as unknown as { nodes?: Record<string, unknown> }).nodes ?? {});
}

/** `as_node` must be a node of the graph (or one of LangGraph's special writers). */
export function requireNode(graph: RunnableGraph, asNode: string, loc: Loc): void {
  const nodes = nodeNames(graph);
  if (!nodes.includes(asNode) && !SPECIAL_AS_NODES.has(asNode)) {
    throw refuse(loc, `"${asNode}" is not a node of this graph (nodes: ${nodes.join(", ")})`);
  }
}

/**
 * A non-root namespace (`child:<task id>|inner:<task id>`) must name a subgraph of the graph, found as
 * LangGraph finds it: task ids and numeric parts dropped, then the node names looked up level by level.
 * LangGraph would otherwise throw "Subgraph not found" (a 500) on update, or read an empty state.
 */
export async function requireNamespace(graph: RunnableGraph, ns: string | null | undefined, loc: Loc): Promise<void> {
  if (!ns) return;
  const path = ns
    .split("|")
    .filter((part) => !/^\d+$/.test(part))
    .map((part) => part.split(":")[0])
    .join("|");
  if (path) {
    for await (const _found of (graph as unknown as WithSubgraphs).getSubgraphsAsync(path, true)) return;
  }
  throw refuse(loc, `namespace "${ns}" names no subgraph of this graph`);
}

/** A failure of the checkpoint store (the server's fault), as opposed to one LangGraph raised over the update. */
function isStorageError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === "string" && code.startsWith("SQLITE_");
}

/**
 * The 422 for an error LangGraph raised while applying an update: an `as_node` it cannot attribute
 * the update to names `asNode`; anything else it raised over the update (its state schema or a
 * reducer refusing the values) names `values`. Storage failures stay 500s.
 */
export function updateRefused(err: unknown, fields: { asNode: Loc; values: Loc }): unknown {
  if (isStorageError(err) || !(err instanceof Error)) return err;
  const msg = err.message;
  const aboutNode =
    (err instanceof InvalidUpdateError || err.name === "InvalidUpdateError") && /asNode|Node "/.test(msg);
  return refuse(aboutNode ? fields.asNode : fields.values, msg);
}
