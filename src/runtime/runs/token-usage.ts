/**
 * Thread token usage: the sum over a thread's finished runs (success or error;
 * `include_active` adds running ones), by model and by caller. Interrupted
 * runs are left out, as the seed gateway does. The store does the summing.
 */
import type { RunStatus, Stores } from "../../stores/types.ts";
import type { Schema } from "../../contract.ts";

/** What `getThreadTokenUsage` answers: the spec's ThreadTokenUsage. */
export type ThreadTokenUsage = Schema<"ThreadTokenUsage">;

export async function threadTokenUsage(
  stores: Stores,
  threadId: string,
  includeActive: boolean,
): Promise<ThreadTokenUsage> {
  const counted: RunStatus[] = includeActive ? ["success", "error", "running"] : ["success", "error"];
  const t = await stores.runs.usageByThread(threadId, counted);
  return {
    thread_id: threadId,
    total_tokens: t.total_tokens,
    total_input_tokens: t.total_input_tokens,
    total_output_tokens: t.total_output_tokens,
    total_runs: t.total_runs,
    by_model: t.by_model,
    by_caller: { lead_agent: t.lead_agent_tokens, subagent: t.subagent_tokens, middleware: t.middleware_tokens },
  };
}
