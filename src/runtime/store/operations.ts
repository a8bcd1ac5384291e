/**
 * The store's operations as plain data, the way graphs reach the store (graph-store.ts): in the
 * server's thread they go to the StoreService at once; from a graph worker thread they are posted to
 * the server's thread and answered there (structured clone), so every store call, from HTTP or from a
 * graph, goes through one StoreService: its namespace checks, default time to live and embeddings.
 */
import type { StoreItemRecord } from "../../stores/store-items.ts";

type Json = Record<string, unknown>;

export type StoreOp =
  | { op: "get"; namespace: string[]; key: string }
  /** `value` null deletes the item (BaseStore's `delete`). `index`: false for no vectors, or the paths to embed. */
  | { op: "put"; namespace: string[]; key: string; value: Json | null; index?: false | string[] }
  | { op: "search"; namespacePrefix: string[]; filter?: Json; limit?: number; offset?: number; query?: string }
  | { op: "listNamespaces"; prefix: string[]; suffix: string[]; maxDepth?: number; limit: number; offset: number };

export type StoreOpResult = StoreItemRecord | StoreItemRecord[] | string[][] | null | undefined;

/** Carries out a batch of one owner's store operations, in order; the results in the same order. */
export interface StoreGateway {
  batch(owner: string | null, ops: readonly StoreOp[]): Promise<StoreOpResult[]>;
}
