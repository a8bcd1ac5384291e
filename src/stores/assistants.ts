/**
 * Storage contract for stored assistants and their versions. Every backend implements it and passes
 * test/stores/conformance/assistants.ts. An assistant's row is its latest version; every PATCH adds a
 * version and moves latest to it, and `setLatest` moves it to any version there is.
 *
 * System assistants (one per graph) are not stored: the caller hands them to `search`/`count` as
 * `shared`, to be filtered, sorted and paged together with the stored ones, inside the same query.
 */
import type { AccessScope } from "./access.ts";

/** A JSON object (as stores/types.ts defines it; not imported, which would make a loop). */
type Json = Record<string, unknown>;

/** What one version holds. */
export interface AssistantVersionRecord {
  assistant_id: string;
  version: number;
  graph_id: string;
  name: string;
  description: string | null;
  config: Json;
  context: Json;
  metadata: Json;
  created_at: string;
}

/** An assistant at its latest version. `owner_id` is not on the wire; null = everyone's. */
export interface AssistantRecord extends AssistantVersionRecord {
  updated_at: string;
  owner_id: string | null;
}

export type NewAssistant = Omit<AssistantVersionRecord, "version" | "created_at"> & { owner_id: string | null };

/** What a PATCH changes: given fields replace the latest version's, but `metadata`, which is merged into it. */
export type AssistantPatch = Partial<
  Pick<AssistantVersionRecord, "graph_id" | "name" | "description" | "config" | "context" | "metadata">
>;

export const ASSISTANT_SORT_COLUMNS = ["assistant_id", "graph_id", "name", "created_at", "updated_at"] as const;
export type AssistantSortColumn = (typeof ASSISTANT_SORT_COLUMNS)[number];

export interface AssistantFilter {
  graph_id?: string;
  /** Case-insensitive substring of the name. */
  name?: string;
  /** Every key present with a JSON-equal value. */
  metadata?: Json;
  /** The caller's scope: stored assistants by `owner_id` and filters; shared ones by filters only. */
  scope?: AccessScope;
}

export interface AssistantSearch extends AssistantFilter {
  limit: number;
  offset: number;
  /** Default `created_at`; ties broken by name (ascending), then assistant_id. */
  sort_by?: AssistantSortColumn;
  /** Default `desc`. */
  sort_order?: "asc" | "desc";
}

export interface AssistantVersionQuery {
  metadata?: Json;
  limit: number;
  offset: number;
}

export interface AssistantStore {
  /** Null when an assistant with that id exists (whoever owns it). Its first version is 1. */
  create(assistant: NewAssistant): Promise<AssistantRecord | null>;
  /** Null when it does not exist or lies outside `scope` (the two are indistinguishable to callers). */
  get(assistantId: string, scope?: AccessScope): Promise<AssistantRecord | null>;
  /** Writes version max+1 from the latest one and the patch, and makes it latest; null as `get`. */
  patch(assistantId: string, patch: AssistantPatch, scope?: AccessScope): Promise<AssistantRecord | null>;
  /** Deletes the assistant with every version; false as `get` would be null. */
  delete(assistantId: string, scope?: AccessScope): Promise<boolean>;
  /** Newest version first; null when the assistant is not there (within `scope`). */
  listVersions(
    assistantId: string,
    query: AssistantVersionQuery,
    scope?: AccessScope,
  ): Promise<AssistantVersionRecord[] | null>;
  /**
   * Makes `version` the latest: the assistant as it is then, "no-version" when it has no such version,
   * null when the assistant is not there (within `scope`).
   */
  setLatest(assistantId: string, version: number, scope?: AccessScope): Promise<AssistantRecord | null | "no-version">;
  /** Stored assistants within the scope and `shared` ones, filtered, sorted and paged together; `total` counts all. */
  search(
    query: AssistantSearch,
    shared: readonly AssistantRecord[],
  ): Promise<{ items: AssistantRecord[]; total: number }>;
  count(filter: AssistantFilter, shared: readonly AssistantRecord[]): Promise<number>;
}
