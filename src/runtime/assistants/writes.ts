/**
 * What creating, changing and deleting assistants means. Stored assistants are their creator's (owner
 * and stamp as threads have them); system assistants are the server's: they cannot be changed or
 * deleted (409), and one the caller may not see is a 404 like any missing assistant.
 */
import { randomUUID } from "node:crypto";
import { ConflictError, NotFoundError } from "../../http/errors.ts";
import { clientConfig, clientContext, stampedMetadata, type Access } from "../../auth/access.ts";
import type { Json, Stores } from "../../stores/types.ts";
import type { AssistantPatch } from "../../stores/assistants.ts";
import type { Schema } from "../../contract.ts";
import { assistantWire, type Assistant, type AssistantDirectory } from "./directory.ts";

export interface AssistantWriteDeps {
  assistants: AssistantDirectory;
  stores: Stores;
  /** The run manager's per-thread lock: no run is admitted on a thread while it is held. */
  runs: { exclusive<T>(threadId: string, fn: () => Promise<T>): Promise<T> };
}

export function assistantNotFound(): NotFoundError {
  return new NotFoundError("Assistant not found");
}

function requireGraph(deps: AssistantWriteDeps, graphId: string): void {
  if (!deps.assistants.hasGraph(graphId)) throw new NotFoundError(`Graph "${graphId}" not found`);
}

/** A system assistant the caller may see is a 409 to change; one it may not is a 404. */
function refuseSystem(deps: AssistantWriteDeps, id: string, access: Access, what: string): void {
  const system = deps.assistants.systemAssistant(id);
  if (!system) return;
  if (deps.assistants.isVisible(system, access.scope)) throw new ConflictError(`System assistants cannot be ${what}`);
  throw assistantNotFound();
}

export async function createAssistant(
  deps: AssistantWriteDeps,
  body: Schema<"AssistantCreate">,
  access: Access,
): Promise<Assistant> {
  requireGraph(deps, body.graph_id);
  const id = body.assistant_id ?? randomUUID();
  const existing = async (): Promise<Assistant> => {
    // do_nothing answers the assistant only to who may see it: for anyone else the id is simply taken.
    const found = body.if_exists === "do_nothing" ? await deps.assistants.resolve(id, access.scope) : null;
    if (!found) throw new ConflictError("Assistant already exists");
    return found;
  };
  if (deps.assistants.systemAssistant(id)) return existing();
  const created = await deps.stores.assistants.create({
    assistant_id: id,
    graph_id: body.graph_id,
    name: body.name ?? "Untitled",
    description: body.description ?? null,
    config: clientConfig(body.config),
    context: clientContext(body.context ?? {}) as Json,
    metadata: stampedMetadata(access, body.metadata),
    owner_id: access.owner_id,
  });
  return created ? assistantWire(created) : existing();
}

export async function patchAssistant(
  deps: AssistantWriteDeps,
  id: string,
  body: Schema<"AssistantPatch"> | undefined,
  access: Access,
): Promise<Assistant> {
  refuseSystem(deps, id, access, "changed");
  if (body?.graph_id !== undefined) {
    // Whether the assistant is there comes first: a missing one is a 404 whatever graph is named.
    if (!(await deps.stores.assistants.get(id, access.scope))) throw assistantNotFound();
    requireGraph(deps, body.graph_id);
  }
  const patch: AssistantPatch = {
    graph_id: body?.graph_id,
    name: body?.name,
    description: body?.description,
    config: body?.config !== undefined ? clientConfig(body.config) : undefined,
    context: body?.context !== undefined ? (clientContext(body.context) as Json) : undefined,
    // Merged into what is stored, with the caller's stamp kept over the keys it names.
    metadata: body?.metadata !== undefined ? stampedMetadata(access, body.metadata) : undefined,
  };
  const patched = await deps.stores.assistants.patch(id, patch, access.scope);
  if (!patched) throw assistantNotFound();
  return assistantWire(patched);
}

/** Takes the per-thread locks of all the threads, one after the other in id order, then runs `fn`. */
function holdingThreads<T>(deps: AssistantWriteDeps, threadIds: string[], fn: () => Promise<T>): Promise<T> {
  const [first, ...rest] = threadIds;
  if (first === undefined) return fn();
  return deps.runs.exclusive(first, () => holdingThreads(deps, rest, fn));
}

/** The caller's threads made for the assistant (`metadata.assistant_id`), every page. */
async function threadsOf(deps: AssistantWriteDeps, id: string, access: Access): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ;) {
    const { items } = await deps.stores.threads.search({
      metadata: { assistant_id: id },
      limit: 1000,
      offset,
      scope: access.scope,
    });
    ids.push(...items.map((t) => t.thread_id));
    if (items.length < 1000) return [...new Set(ids)].sort();
    offset += items.length;
  }
}

/**
 * Deletes a stored assistant; with `deleteThreads`, the caller's threads of it first, with their runs,
 * events, journal and checkpoints. Every thread is locked against new runs and checked before any is
 * deleted: one with a run pending or running is a 409 and nothing is deleted.
 */
export async function deleteAssistant(
  deps: AssistantWriteDeps,
  id: string,
  deleteThreads: boolean,
  access: Access,
): Promise<string[]> {
  refuseSystem(deps, id, access, "deleted");
  if (!(await deps.stores.assistants.get(id, access.scope))) throw assistantNotFound();
  const threadIds = deleteThreads ? await threadsOf(deps, id, access) : [];
  return holdingThreads(deps, threadIds, async () => {
    for (const threadId of threadIds) {
      if ((await deps.stores.runs.activeForThread(threadId)).length > 0) {
        throw new ConflictError(
          `Thread ${threadId} of the assistant has a run in flight; cancel it or wait for it to finish`,
        );
      }
    }
    for (const threadId of threadIds) await deps.stores.threads.delete(threadId);
    if (!(await deps.stores.assistants.delete(id, access.scope))) throw assistantNotFound();
    return [id];
  });
}

export async function setLatestVersion(
  deps: AssistantWriteDeps,
  id: string,
  version: number,
  access: Access,
): Promise<Assistant> {
  const system = deps.assistants.systemAssistant(id);
  if (system) {
    if (!deps.assistants.isVisible(system, access.scope)) throw assistantNotFound();
    if (version !== system.version) throw new NotFoundError("Assistant version not found");
    return assistantWire(system);
  }
  const result = await deps.stores.assistants.setLatest(id, version, access.scope);
  if (result === null) throw assistantNotFound();
  if (result === "no-version") throw new NotFoundError("Assistant version not found");
  return assistantWire(result);
}
