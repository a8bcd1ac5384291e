/**
 * RunJournal: a LangChain callback handler attached to every run. It counts
 * tokens per model and per caller (lead agent / subagent / middleware, from the
 * callback tags) and collects the audit entries of the run — the human input,
 * every AI response with its usage, start and end — for the JournalStore.
 */
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { LLMResult, ChatGeneration } from "@langchain/core/outputs";
import { coerceMessageLikeToMessage, type BaseMessage, type BaseMessageLike } from "@langchain/core/messages";
import type { NewJournalEntry, RunTokenCounters } from "../../stores/types.ts";
import { toPlain } from "../shared/serialize.ts";

type Caller = "lead_agent" | "subagent" | "middleware";

function callerFromTags(tags: string[] | undefined): Caller {
  if (tags?.some((t) => t.startsWith("subagent:"))) return "subagent";
  if (tags?.some((t) => t.startsWith("middleware:"))) return "middleware";
  return "lead_agent";
}

interface UsageMetadata {
  input_tokens?: number;
  output_tokens?: number;
  total_tokens?: number;
}

/** The counters of a run that has used no tokens yet. */
export function emptyCounters(): RunTokenCounters {
  return {
    total_input_tokens: 0,
    total_output_tokens: 0,
    total_tokens: 0,
    llm_call_count: 0,
    lead_agent_tokens: 0,
    subagent_tokens: 0,
    middleware_tokens: 0,
    token_usage_by_model: {},
    message_count: 0,
  };
}

export class RunJournal extends BaseCallbackHandler {
  name = "threadgate_run_journal";
  override awaitHandlers = true;

  readonly counters: RunTokenCounters = emptyCounters();
  private entries: NewJournalEntry[] = [];
  private readonly seenLlmRuns = new Set<string>();

  constructor(
    private readonly threadId: string,
    private readonly runId: string,
  ) {
    super();
  }

  record(
    event_type: string,
    category: NewJournalEntry["category"],
    content: unknown,
    metadata: Record<string, unknown> = {},
  ): void {
    if (category === "message") this.counters.message_count += 1;
    this.entries.push({ thread_id: this.threadId, run_id: this.runId, event_type, category, content, metadata });
  }

  /** Records the human messages of a run's input, normalised to message dicts. */
  recordInput(input: unknown): void {
    const messages = (input as { messages?: unknown } | null)?.messages;
    const list = Array.isArray(messages) ? messages : messages === undefined ? [] : [messages];
    for (const m of list) {
      let message: BaseMessage;
      try {
        message = coerceMessageLikeToMessage(m as BaseMessageLike);
      } catch {
        continue; // not a message; the graph will judge its own input
      }
      if (message.getType() === "human") this.record("llm.human.input", "message", toPlain(message));
    }
  }

  /** Entries collected since the last drain. */
  drain(): NewJournalEntry[] {
    const out = this.entries;
    this.entries = [];
    return out;
  }

  override async handleLLMEnd(output: LLMResult, runId: string, _parent?: string, tags?: string[]): Promise<void> {
    if (this.seenLlmRuns.has(runId)) return;
    this.seenLlmRuns.add(runId);
    const generation = output.generations?.[0]?.[0] as ChatGeneration | undefined;
    const message = generation?.message as (BaseMessage & { usage_metadata?: UsageMetadata }) | undefined;
    const usage: UsageMetadata = message?.usage_metadata ?? (output.llmOutput?.tokenUsage as UsageMetadata) ?? {};
    const input = usage.input_tokens ?? 0;
    const outputTokens = usage.output_tokens ?? 0;
    const total = usage.total_tokens ?? input + outputTokens;
    const meta = (message?.response_metadata ?? {}) as Record<string, unknown>;
    const model = String(meta.model_name ?? meta.model ?? output.llmOutput?.model_name ?? "unknown");
    const caller = callerFromTags(tags);

    const c = this.counters;
    c.llm_call_count += 1;
    c.total_input_tokens += input;
    c.total_output_tokens += outputTokens;
    c.total_tokens += total;
    if (caller === "subagent") c.subagent_tokens += total;
    else if (caller === "middleware") c.middleware_tokens += total;
    else c.lead_agent_tokens += total;
    const bucket = (c.token_usage_by_model[model] ??= { input_tokens: 0, output_tokens: 0, total_tokens: 0, calls: 0 });
    bucket.input_tokens += input;
    bucket.output_tokens += outputTokens;
    bucket.total_tokens += total;
    bucket.calls += 1;

    if (message && caller === "lead_agent") {
      this.record("llm.ai.response", "message", toPlain(message), {
        caller,
        model,
        usage: { input_tokens: input, output_tokens: outputTokens, total_tokens: total },
        llm_call_index: c.llm_call_count,
      });
    }
  }
}
