/** Tag `assistants`: the system assistant of each registered graph. */
import { NotFoundError } from "../http/errors.ts";
import type { TagHandlers } from "./types.ts";

export const assistantHandlers: TagHandlers<"searchAssistants" | "getAssistant"> = {
  async searchAssistants({ body, access }, { assistants }) {
    const found = assistants.search({
      graph_id: body?.graph_id ?? undefined,
      name: body?.name ?? undefined,
      metadata: body?.metadata ?? undefined,
      limit: body?.limit ?? 10,
      offset: body?.offset ?? 0,
      scope: access.scope,
    });
    return { status: 200, body: found };
  },
  async getAssistant({ params, access }, { assistants }) {
    const assistant = assistants.resolve(params.assistant_id, access.scope);
    if (!assistant) throw new NotFoundError("Assistant not found");
    return { status: 200, body: assistant };
  },
};
