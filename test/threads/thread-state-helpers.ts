/** What the thread-state test files share: fixtures, and small helpers over the test file's server. */
import type { TestServer } from "../helpers/server.ts";

export type Value = { value: string[] };
/**
 * What updateState answers on the wire (and on LangGraph Platform): `{checkpoint}`. The SDK declares
 * `Pick<Config, "configurable">`, which no server sends.
 */
export type UpdateResult = { checkpoint: { thread_id: string; checkpoint_ns: string; checkpoint_id: string } };

export const MISSING = "00000000-0000-4000-8000-000000000000";
export const MISSING_CHECKPOINT = "1f000000-0000-6000-8000-000000000000";
export const locs = (res: { json: any }) =>
  (res.json.detail as { loc: (string | number)[] }[]).map((d) => d.loc.join("."));

/** `update`, `ranTwoNode`, `historyIds` and `ranSubgraph` against the test file's server. */
export function threadStateHelpers(server: () => TestServer) {
  const update = async (threadId: string, options: Parameters<TestServer["client"]["threads"]["updateState"]>[1]) =>
    (await server().client.threads.updateState(threadId, options)) as unknown as UpdateResult;

  /** A thread that ran two_node once: value = [first, second]. */
  async function ranTwoNode(): Promise<string> {
    const t = server();
    const thread = await t.client.threads.create();
    await t.client.runs.wait(thread.thread_id, "two_node", { input: { value: [] } });
    return thread.thread_id;
  }

  async function historyIds(threadId: string): Promise<string[]> {
    const t = server();
    return (await t.client.threads.getHistory(threadId, { limit: 100 })).map((s) => s.checkpoint.checkpoint_id!);
  }

  /** A thread that ran `subgraph` once, and the namespace of its `child` task. */
  async function ranSubgraph(): Promise<{ threadId: string; ns: string; beforeChild: string }> {
    const t = server();
    const thread = await t.client.threads.create();
    await t.client.runs.wait(thread.thread_id, "subgraph", { input: { value: ["x"] } });
    const history = await t.client.threads.getHistory(thread.thread_id);
    const beforeChild = history.find((s) => (s.next as string[]).includes("child"))!;
    return {
      threadId: thread.thread_id,
      ns: beforeChild.tasks[0].checkpoint!.checkpoint_ns,
      beforeChild: beforeChild.checkpoint.checkpoint_id!,
    };
  }

  return { update, ranTwoNode, historyIds, ranSubgraph };
}

/**
 * A `keep_latest` TTL for the SDK's threads.create/update, which send any strategy but type only `delete`.
 */
export function keepLatest(minutes: number): { ttl: number; strategy?: "delete" } {
  return { ttl: minutes, strategy: "keep_latest" } as unknown as { ttl: number; strategy?: "delete" };
}
