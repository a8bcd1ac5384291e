/**
 * Assistants. Each registered graph gets one system assistant whose id is
 * UUIDv5(graph_id) in the namespace LangGraph Platform uses, so ids match
 * across servers. Anywhere an assistant id is accepted, the graph name works too.
 */
import { v5 as uuidv5 } from "uuid";
import type { GraphRegistry } from "../graphs/registry.ts";
import { metadataMatches } from "../shared/metadata-filter.ts";
import type { Json } from "../../stores/types.ts";
import type { Schema } from "../../contract.ts";
import { matchesAuthFilters, type AccessScope } from "../../stores/access.ts";

const SYSTEM_ASSISTANT_NAMESPACE = "6ba7b821-9dad-11d1-80b4-00c04fd430c8";

/** An assistant as the API shows it: the spec's Assistant. */
export type Assistant = Schema<"Assistant">;

export interface AssistantSearch {
  graph_id?: string;
  name?: string;
  metadata?: Json;
  limit: number;
  offset: number;
  /** The caller's scope: a custom auth handler's filters apply; system assistants have no owner, they are everyone's. */
  scope?: AccessScope;
}

export function systemAssistantId(graphId: string): string {
  return uuidv5(graphId, SYSTEM_ASSISTANT_NAMESPACE);
}

export class AssistantDirectory {
  private readonly byId = new Map<string, Assistant>();
  /** Graph name -> its system assistant: resolving a graph name needs no UUIDv5 (a SHA-1) per request. */
  private readonly byGraph = new Map<string, Assistant>();

  constructor(registry: GraphRegistry, bootedAt = new Date().toISOString()) {
    for (const def of registry.definitions) {
      const assistant: Assistant = {
        assistant_id: systemAssistantId(def.graphId),
        graph_id: def.graphId,
        config: {},
        context: {},
        metadata: { created_by: "system" },
        name: def.graphId,
        description: def.description,
        version: 1,
        created_at: bootedAt,
        updated_at: bootedAt,
      };
      this.byId.set(assistant.assistant_id, assistant);
      this.byGraph.set(assistant.graph_id, assistant);
    }
  }

  /** Resolves an assistant id or a graph name, within the caller's scope when given. */
  resolve(idOrGraph: string, scope?: AccessScope): Assistant | null {
    const found = this.byId.get(idOrGraph) ?? this.byGraph.get(idOrGraph) ?? null;
    return found && matchesAuthFilters(found.metadata, scope?.filters) ? found : null;
  }

  search(query: AssistantSearch): Assistant[] {
    const needle = query.name?.toLowerCase();
    return [...this.byId.values()]
      .filter((a) => query.graph_id === undefined || a.graph_id === query.graph_id)
      .filter((a) => needle === undefined || a.name.toLowerCase().includes(needle))
      .filter((a) => query.metadata === undefined || metadataMatches(a.metadata, query.metadata))
      .filter((a) => matchesAuthFilters(a.metadata, query.scope?.filters))
      .sort((a, b) => a.name.localeCompare(b.name))
      .slice(query.offset, query.offset + query.limit);
  }
}
