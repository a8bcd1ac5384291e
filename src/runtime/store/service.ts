/**
 * The store's semantics, for HTTP (handlers/store.ts) and graphs (graph-store.ts) alike: namespaces
 * checked (namespaces.ts), langgraph.json's `store.ttl` applied (the default time to live, refresh on
 * read), items embedded on put and queries on search when `store.index` is set. Each owner has a store
 * of their own (see stores/store-items.ts).
 */
import { getTextAtPath } from "@langchain/langgraph-checkpoint";
import type { Logger } from "../../logger.ts";
import type {
  StoreItemRecord,
  StoreItemStore,
  StoreItemVector,
  StoreNamespaceQuery,
} from "../../stores/store-items.ts";
import { invalid } from "../../http/errors.ts";
import { loadEmbedder, type Embedder } from "./embeddings.ts";
import { checkNamespaces } from "./namespaces.ts";
import type { StoreGateway, StoreOp, StoreOpResult } from "./operations.ts";
import type { StoreSettings } from "./settings.ts";

type Json = Record<string, unknown>;

export interface StorePut {
  namespace: string[];
  key: string;
  value: Json;
  /** false: no vectors; paths: these fields embedded; absent or null: `store.index.fields`. */
  index?: false | string[] | null;
  /** Minutes; absent or null: `store.ttl.default_ttl`. */
  ttl?: number | null;
}

export interface StoreSearch {
  namespace_prefix: string[];
  filter?: Json;
  limit: number;
  offset: number;
  /** Ranks by meaning with `store.index`; without it, ignored (the newest first, as without a query). */
  query?: string | null;
  /** Absent: `store.ttl.refresh_on_read`. */
  refresh_ttl?: boolean | null;
}

export class StoreService implements StoreGateway {
  private constructor(
    private readonly items: StoreItemStore,
    readonly settings: StoreSettings,
    private readonly embedder: Embedder | null,
  ) {}

  /** With `store.index`: its embeddings loaded and vector search enabled, or the start fails saying why. */
  static async open(items: StoreItemStore, settings: StoreSettings, logger: Logger): Promise<StoreService> {
    if (!settings.index) return new StoreService(items, settings, null);
    await items.enableVectorSearch();
    const embedder = await loadEmbedder(settings.index);
    const { embed, dims, fields } = settings.index;
    logger.info(
      { embed: embed.kind === "openai" ? `openai:${embed.model}` : embed.file, dims, fields },
      "store: semantic search",
    );
    return new StoreService(items, settings, embedder);
  }

  /** Whether searches with a `query` rank by similarity. */
  get semantic(): boolean {
    return this.embedder !== null;
  }

  private async vectorsOf(value: Json, index: StorePut["index"]): Promise<StoreItemVector[]> {
    if (!this.embedder || index === false) return [];
    const paths = index ?? this.settings.index!.fields;
    const fields: { field: string; text: string }[] = [];
    for (const path of paths) {
      // `$` is the whole value (LangGraph's syntax, which the exported getTextAtPath does not read as such).
      const texts = (path === "$" ? [JSON.stringify(value)] : getTextAtPath(value, path)).filter(
        (t) => t.trim() !== "",
      );
      texts.forEach((text, i) => fields.push({ field: texts.length > 1 ? `${path}#${i}` : path, text }));
    }
    const embeddings = await this.embedder.embedDocuments(fields.map((f) => f.text));
    return fields.map(({ field }, i) => ({ field, embedding: embeddings[i] }));
  }

  async put(owner: string | null, item: StorePut): Promise<void> {
    checkNamespaces({ namespace: { labels: item.namespace, required: true } });
    // Embedded before anything is written: embeddings that fail leave the item as it was.
    const vectors = await this.vectorsOf(item.value, item.index);
    await this.items.put(owner, {
      namespace: item.namespace,
      key: item.key,
      value: item.value,
      ttl_minutes: item.ttl ?? this.settings.ttl.defaultTtlMinutes,
      vectors,
    });
  }

  async get(
    owner: string | null,
    namespace: string[],
    key: string,
    refreshTtl?: boolean | null,
  ): Promise<StoreItemRecord | null> {
    if (namespace.length === 0) return null; // the root namespace holds no items
    return this.items.get(owner, namespace, key, refreshTtl ?? this.settings.ttl.refreshOnRead);
  }

  async delete(owner: string | null, namespace: string[], key: string): Promise<void> {
    if (namespace.length === 0) return;
    await this.items.delete(owner, namespace, key);
  }

  async search(owner: string | null, search: StoreSearch): Promise<StoreItemRecord[]> {
    checkNamespaces({ namespace_prefix: { labels: search.namespace_prefix } });
    const query = search.query?.trim() ? search.query : undefined;
    return this.items.search(owner, {
      namespace_prefix: search.namespace_prefix,
      filter: search.filter,
      limit: search.limit,
      offset: search.offset,
      refresh_ttl: search.refresh_ttl ?? this.settings.ttl.refreshOnRead,
      vector: query && this.embedder ? await this.embedder.embedQuery(query) : undefined,
    });
  }

  async listNamespaces(owner: string | null, query: StoreNamespaceQuery): Promise<string[][]> {
    checkNamespaces({ prefix: { labels: query.prefix }, suffix: { labels: query.suffix } });
    return this.items.listNamespaces(owner, query);
  }

  /** A graph's batch (operations.ts), one operation after the other. */
  async batch(owner: string | null, ops: readonly StoreOp[]): Promise<StoreOpResult[]> {
    const results: StoreOpResult[] = [];
    for (const op of ops) results.push(await this.one(owner, op));
    return results;
  }

  private async one(owner: string | null, op: StoreOp): Promise<StoreOpResult> {
    switch (op.op) {
      case "get":
        checkNamespaces({ namespace: { labels: op.namespace, required: true } });
        return this.get(owner, op.namespace, op.key);
      case "put":
        if (op.value === null) {
          checkNamespaces({ namespace: { labels: op.namespace, required: true } });
          await this.delete(owner, op.namespace, op.key);
        } else await this.put(owner, { namespace: op.namespace, key: op.key, value: op.value, index: op.index });
        return undefined;
      case "search":
        return this.search(owner, {
          namespace_prefix: op.namespacePrefix,
          filter: op.filter,
          limit: op.limit ?? 10,
          offset: op.offset ?? 0,
          query: op.query,
        });
      case "listNamespaces":
        return this.listNamespaces(owner, {
          prefix: op.prefix,
          suffix: op.suffix,
          max_depth: op.maxDepth,
          limit: op.limit,
          offset: op.offset,
        });
      default:
        throw invalid("body", "op", `unknown store operation ${JSON.stringify((op as { op?: unknown }).op)}`);
    }
  }
}
