/** Tag `assistants`: the system assistant of each registered graph, and stored assistants with versions. */
import {
  assistantNotFound,
  createAssistant,
  deleteAssistant,
  patchAssistant,
  setLatestVersion,
} from "../runtime/assistants/writes.ts";
import type { TagHandlers } from "./types.ts";
import { flag, selectFields } from "./shared/wire.ts";

export const assistantHandlers: TagHandlers<
  | "createAssistant"
  | "searchAssistants"
  | "countAssistants"
  | "getAssistant"
  | "patchAssistant"
  | "deleteAssistant"
  | "listAssistantVersions"
  | "setLatestAssistantVersion"
> = {
  async createAssistant({ body, access }, services) {
    return { status: 200, body: await createAssistant(services, body, access) };
  },

  async searchAssistants({ body, access }, { assistants }) {
    const limit = body?.limit ?? 10;
    const offset = body?.offset ?? 0;
    const { items, total } = await assistants.search({
      graph_id: body?.graph_id ?? undefined,
      name: body?.name ?? undefined,
      metadata: body?.metadata ?? undefined,
      sort_by: body?.sort_by,
      sort_order: body?.sort_order,
      limit,
      offset,
      scope: access.scope,
    });
    const headers: Record<string, string> = { "X-Pagination-Total": String(total) };
    if (offset + items.length < total) headers["X-Pagination-Next"] = String(offset + items.length);
    return { status: 200, body: items.map((a) => selectFields(a, body?.select)), headers };
  },

  async countAssistants({ body, access }, { assistants }) {
    const n = await assistants.count({
      graph_id: body?.graph_id ?? undefined,
      name: body?.name ?? undefined,
      metadata: body?.metadata ?? undefined,
      scope: access.scope,
    });
    return { status: 200, body: n };
  },

  async getAssistant({ params, access }, { assistants }) {
    const assistant = await assistants.resolve(params.assistant_id, access.scope);
    if (!assistant) throw assistantNotFound();
    return { status: 200, body: assistant };
  },

  async patchAssistant({ params, body, access }, services) {
    return { status: 200, body: await patchAssistant(services, params.assistant_id, body, access) };
  },

  async deleteAssistant({ params, query, access }, services) {
    const deleted = await deleteAssistant(services, params.assistant_id, flag(query.delete_threads), access);
    return { status: 200, body: deleted };
  },

  async listAssistantVersions({ params, body, access }, { assistants }) {
    const versions = await assistants.versions(
      params.assistant_id,
      { metadata: body?.metadata ?? undefined, limit: body?.limit ?? 10, offset: body?.offset ?? 0 },
      access.scope,
    );
    if (!versions) throw assistantNotFound();
    return { status: 200, body: versions };
  },

  async setLatestAssistantVersion({ params, body, access }, services) {
    return { status: 200, body: await setLatestVersion(services, params.assistant_id, body.version, access) };
  },
};
