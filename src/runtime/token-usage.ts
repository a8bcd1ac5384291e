/**
 * Thread token usage: the sum over a thread's finished runs (success or error;
 * `include_active` adds running ones), by model and by caller. Interrupted
 * runs are left out, as the seed gateway does.
 */
import type { RunRecord, RunStatus, Stores } from "../stores/types.ts";

export interface ThreadTokenUsage {
  thread_id: string;
  total_tokens: number;
  total_input_tokens: number;
  total_output_tokens: number;
  total_runs: number;
  by_model: Record<string, { tokens: number; runs: number }>;
  by_caller: { lead_agent: number; subagent: number; middleware: number };
}

export async function threadTokenUsage(
  stores: Stores,
  threadId: string,
  includeActive: boolean,
): Promise<ThreadTokenUsage> {
  const counted: RunStatus[] = includeActive ? ["success", "error", "running"] : ["success", "error"];
  const runs: RunRecord[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await stores.runs.listByThread(threadId, { limit: 500, offset });
    runs.push(...page);
    if (page.length < 500) break;
  }
  const usage: ThreadTokenUsage = {
    thread_id: threadId,
    total_tokens: 0,
    total_input_tokens: 0,
    total_output_tokens: 0,
    total_runs: 0,
    by_model: {},
    by_caller: { lead_agent: 0, subagent: 0, middleware: 0 },
  };
  for (const run of runs) {
    if (!counted.includes(run.status)) continue;
    usage.total_runs += 1;
    usage.total_tokens += run.total_tokens;
    usage.total_input_tokens += run.total_input_tokens;
    usage.total_output_tokens += run.total_output_tokens;
    usage.by_caller.lead_agent += run.lead_agent_tokens;
    usage.by_caller.subagent += run.subagent_tokens;
    usage.by_caller.middleware += run.middleware_tokens;
    for (const [model, m] of Object.entries(run.token_usage_by_model)) {
      const bucket = (usage.by_model[model] ??= { tokens: 0, runs: 0 });
      bucket.tokens += m.total_tokens;
      bucket.runs += 1;
    }
  }
  return usage;
}
