/**
 * Assistants: each registered graph's system assistant, whose id is UUIDv5(graph_id) in the namespace
 * LangGraph Platform uses (so ids match across servers) and whose config and context come from
 * `LANGGRAPH_CONFIG`, and the stored assistants users create, each their owner's. Anywhere an assistant
 * id is accepted, the graph name works too (for the system assistant). Reads take the caller's scope:
 * stored assistants outside it do not exist; system assistants are everyone's, but for a custom auth
 * handler's filters.
 */
import { v5 as uuidv5 } from "uuid";
import type { GraphRegistry } from "../graphs/registry.ts";
import { metadataMatches } from "../shared/metadata-filter.ts";
import type { Schema } from "../../contract.ts";
import { matchesAuthFilters, type AccessScope } from "../../stores/access.ts";
import type {
  AssistantFilter,
  AssistantRecord,
  AssistantSearch,
  AssistantStore,
  AssistantVersionQuery,
  AssistantVersionRecord,
} from "../../stores/assistants.ts";
import type { ServerConfig } from "../../config.ts";
import type { Json } from "../../stores/types.ts";

const SYSTEM_ASSISTANT_NAMESPACE = "6ba7b821-9dad-11d1-80b4-00c04fd430c8";

/** An assistant as the API shows it: the spec's Assistant. */
export type Assistant = Schema<"Assistant">;

export function systemAssistantId(graphId: string): string {
  return uuidv5(graphId, SYSTEM_ASSISTANT_NAMESPACE);
}

/** The record without what the wire does not show (`owner_id`). */
export function assistantWire(record: AssistantRecord): Assistant {
  const { owner_id: _owner, ...wire } = record;
  return wire;
}

export class AssistantDirectory {
  private readonly byId = new Map<string, AssistantRecord>();
  /** Graph name -> its system assistant: resolving a graph name needs no UUIDv5 (a SHA-1) per request. */
  private readonly byGraph = new Map<string, AssistantRecord>();
  private readonly system: readonly AssistantRecord[];

  constructor(
    private readonly registry: GraphRegistry,
    readonly store: AssistantStore,
    defaults: ServerConfig["systemAssistantDefaults"] = {},
    bootedAt = new Date().toISOString(),
  ) {
    for (const def of registry.definitions) {
      const assistant: AssistantRecord = {
        assistant_id: systemAssistantId(def.graphId),
        graph_id: def.graphId,
        config: defaults[def.graphId]?.config ?? {},
        context: defaults[def.graphId]?.context ?? {},
        metadata: { created_by: "system" },
        name: def.graphId,
        description: def.description ?? null,
        version: 1,
        created_at: bootedAt,
        updated_at: bootedAt,
        owner_id: null,
      };
      this.byId.set(assistant.assistant_id, assistant);
      this.byGraph.set(assistant.graph_id, assistant);
    }
    this.system = [...this.byId.values()];
  }

  /** Whether a graph of that id is registered (loaded or not). */
  hasGraph(graphId: string): boolean {
    return this.byGraph.has(graphId);
  }

  /** The system assistant an id or graph name stands for, whoever asks; null for any other id. */
  systemAssistant(idOrGraph: string): AssistantRecord | null {
    return this.byId.get(idOrGraph) ?? this.byGraph.get(idOrGraph) ?? null;
  }

  /** Whether a caller of that scope sees a system assistant: everyone does, but for a custom handler's filters. */
  isVisible(system: AssistantRecord, scope?: AccessScope): boolean {
    return matchesAuthFilters(system.metadata, scope?.filters);
  }

  /** Resolves an assistant id or a graph name, at its latest version, within the caller's scope. */
  async resolveRecord(idOrGraph: string, scope?: AccessScope): Promise<AssistantRecord | null> {
    const system = this.systemAssistant(idOrGraph);
    if (system) return this.isVisible(system, scope) ? system : null;
    return this.store.get(idOrGraph, scope);
  }

  /**
   * The graph and config of the assistant a thread's runs used, for building the thread's graph: a system
   * assistant, or a stored one that is shared or the thread owner's (null otherwise, or when it is gone).
   */
  async configForThread(
    assistantId: string,
    threadOwner: string | null,
  ): Promise<{ graph_id: string; config: Json } | null> {
    const found = await this.resolveRecord(assistantId);
    if (!found || (found.owner_id !== null && found.owner_id !== threadOwner)) return null;
    return { graph_id: found.graph_id, config: found.config };
  }

  /** As `resolveRecord`, as the API shows it. */
  async resolve(idOrGraph: string, scope?: AccessScope): Promise<Assistant | null> {
    const found = await this.resolveRecord(idOrGraph, scope);
    return found ? assistantWire(found) : null;
  }

  /** System and stored assistants within the scope, filtered, sorted and paged together (in SQL). */
  async search(query: AssistantSearch): Promise<{ items: Assistant[]; total: number }> {
    const { items, total } = await this.store.search(query, this.system);
    return { items: items.map(assistantWire), total };
  }

  async count(filter: AssistantFilter): Promise<number> {
    return this.store.count(filter, this.system);
  }

  /** Newest first; a system assistant has its one version. Null when the assistant is not there for the caller. */
  async versions(
    idOrGraph: string,
    query: AssistantVersionQuery,
    scope?: AccessScope,
  ): Promise<AssistantVersionRecord[] | null> {
    const system = this.systemAssistant(idOrGraph);
    if (!system) return this.store.listVersions(idOrGraph, query, scope);
    if (!this.isVisible(system, scope)) return null;
    const { updated_at: _u, owner_id: _o, ...version } = system;
    const kept = query.metadata === undefined || metadataMatches(version.metadata, query.metadata);
    return kept ? [version].slice(query.offset, query.offset + query.limit) : [];
  }

  /** The graphs registered, for messages. */
  get graphIds(): string[] {
    return this.registry.definitions.map((d) => d.graphId);
  }
}
