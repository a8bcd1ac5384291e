/**
 * The store as graphs see it: a LangGraph `BaseStore` (`config.store`, `getStore()`, `runtime.store`)
 * whose items are the Store API's, those of the run's owner: what a node puts, the run's user reads
 * back over HTTP, and the reverse. It turns LangGraph's operations into plain ones (operations.ts) for
 * a StoreGateway: the StoreService itself in the server's thread, a proxy to it in a graph worker.
 */
import {
  BaseStore,
  type ListNamespacesOperation,
  type Operation,
  type OperationResults,
  type PutOperation,
  type SearchItem,
  type SearchOperation,
} from "@langchain/langgraph-checkpoint";
import type { StoreItemRecord } from "../../stores/store-items.ts";
import type { StoreGateway, StoreOp, StoreOpResult } from "./operations.ts";

function toOp(op: Operation): StoreOp {
  if ("namespacePrefix" in op) {
    const { namespacePrefix, filter, limit, offset, query } = op as SearchOperation;
    return { op: "search", namespacePrefix, filter, limit, offset, query };
  }
  if ("value" in op) {
    const { namespace, key, value, index } = op as PutOperation;
    return { op: "put", namespace, key, value, index };
  }
  if ("key" in op) return { op: "get", namespace: op.namespace, key: op.key };
  const { matchConditions = [], maxDepth, limit, offset } = op as ListNamespacesOperation;
  const paths = { prefix: [] as string[], suffix: [] as string[] };
  for (const { matchType, path } of matchConditions) {
    // A `*` label matches any label in LangGraph's in-memory store; namespaces here match whole labels.
    if (path.includes("*")) throw new Error('listNamespaces: a "*" label in a prefix or suffix is not supported');
    if (paths[matchType].length > 0) throw new Error(`listNamespaces: one ${matchType} condition at most`);
    paths[matchType] = path;
  }
  return { op: "listNamespaces", ...paths, maxDepth, limit, offset };
}

function toItem(record: StoreItemRecord): SearchItem {
  const item: SearchItem = {
    namespace: record.namespace,
    key: record.key,
    value: record.value,
    createdAt: new Date(record.created_at),
    updatedAt: new Date(record.updated_at),
  };
  if (record.score !== undefined) item.score = record.score;
  return item;
}

function toResult(op: StoreOp, result: StoreOpResult): unknown {
  switch (op.op) {
    case "get":
      return result ? toItem(result as StoreItemRecord) : null;
    case "search":
      return (result as StoreItemRecord[]).map(toItem);
    case "listNamespaces":
      return result;
    case "put":
      return undefined;
  }
}

export class ThreadgateStore extends BaseStore {
  constructor(
    private readonly gateway: StoreGateway,
    /** Whose items these are: the run's owner (null: the items made without authentication). */
    private readonly owner: string | null,
  ) {
    super();
  }

  async batch<Op extends Operation[]>(operations: Op): Promise<OperationResults<Op>> {
    const ops = operations.map(toOp);
    const results = await this.gateway.batch(this.owner, ops);
    return ops.map((op, i) => toResult(op, results[i])) as OperationResults<Op>;
  }
}
