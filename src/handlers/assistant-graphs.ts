/** Tag `assistants`, graph introspection for LangGraph Studio: an assistant's drawable graph, schemas and subgraphs. */
import { NotFoundError } from "../http/errors.ts";
import type { AccessScope } from "../stores/access.ts";
import type { Assistant } from "../runtime/assistants/directory.ts";
import { drawGraph, graphSchemas, subgraphSchemas, xrayOf } from "../runtime/graphs/introspection.ts";
import type { Services } from "../services.ts";
import type { TagHandlers } from "./types.ts";
import { flag } from "./shared/wire.ts";

/** The assistant, within the caller's scope; another user's answers as a missing one. */
async function requireAssistant(services: Services, id: string, scope: AccessScope): Promise<Assistant> {
  // `await`: the directory may answer synchronously or (stored assistants) with a promise.
  const assistant = await services.assistants.resolve(id, scope);
  if (!assistant) throw new NotFoundError("Assistant not found");
  return assistant;
}

export const assistantGraphHandlers: TagHandlers<
  "getAssistantGraph" | "getAssistantSchemas" | "getAssistantSubgraphs" | "getAssistantSubgraphsByNamespace"
> = {
  async getAssistantGraph({ params, query, access }, services) {
    const assistant = await requireAssistant(services, params.assistant_id, access.scope);
    return { status: 200, body: await drawGraph(services.registry, assistant, xrayOf(query.xray)) };
  },
  async getAssistantSchemas({ params, access }, services) {
    const assistant = await requireAssistant(services, params.assistant_id, access.scope);
    return { status: 200, body: await graphSchemas(services.registry, assistant) };
  },
  async getAssistantSubgraphs({ params, query, access }, services) {
    const assistant = await requireAssistant(services, params.assistant_id, access.scope);
    return { status: 200, body: await subgraphSchemas(services.registry, assistant, undefined, flag(query.recurse)) };
  },
  async getAssistantSubgraphsByNamespace({ params, query, access }, services) {
    const assistant = await requireAssistant(services, params.assistant_id, access.scope);
    const found = await subgraphSchemas(services.registry, assistant, params.namespace, flag(query.recurse));
    return { status: 200, body: found };
  },
};
