/**
 * OfflineChatModel: a real LangChain chat model that needs no network.
 *
 * It replies deterministically from the last human message and streams the
 * reply word by word, so the whole Threadgate stack (runs, `messages` stream
 * mode, token accounting, cancellation) can be exercised without an API key.
 *
 * Streaming contract (what LangGraph / the React `useStream` hook rely on):
 * - every chunk of one reply carries the SAME non-empty message id;
 * - `runManager.handleLLMNewToken(token, ..., { chunk })` is called per chunk,
 *   which is what LangGraph's `messages` stream mode listens to;
 * - the LAST chunk carries `usage_metadata` and
 *   `response_metadata.model_name` (LangChain concatenates string metadata
 *   while aggregating chunks, so both appear on exactly one chunk).
 */
import { randomUUID } from "node:crypto";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BaseChatModelParams,
} from "@langchain/core/language_models/chat_models";
import { AIMessage, AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { ChatGenerationChunk } from "@langchain/core/outputs";

export const OFFLINE_MODEL_NAME = "threadgate-offline";

export interface OfflineChatModelParams extends BaseChatModelParams {
  /** Delay before each streamed token, in milliseconds. Default 0. */
  delayMs?: number;
  /** Builds the reply from the text of the last human message. */
  reply?: (text: string) => string;
}

export function defaultOfflineReply(text: string): string {
  return `I am Threadgate's offline model. You said: "${text}".`;
}

/** Split on word boundaries, keeping whitespace; the parts join back to `text`. */
export function splitTokens(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** Deterministic "token" count: number of whitespace-separated words. */
export function countWords(text: string): number {
  return text.split(/\s+/).filter((w) => w.length > 0).length;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError(signal));
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export class OfflineChatModel extends BaseChatModel<BaseChatModelCallOptions, AIMessageChunk> {
  static override lc_name(): string {
    return "OfflineChatModel";
  }

  delayMs: number;
  replyFn: (text: string) => string;

  constructor(params: OfflineChatModelParams = {}) {
    const { delayMs, reply, ...rest } = params;
    super(rest);
    this.delayMs = Math.max(0, delayMs ?? 0);
    this.replyFn = reply ?? defaultOfflineReply;
  }

  override _llmType(): string {
    return OFFLINE_MODEL_NAME;
  }

  /** Text of the last human message ("" when there is none). */
  static lastHumanText(messages: BaseMessage[]): string {
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i];
      if (m.type === "human") return m.text;
    }
    return "";
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const reply = this.replyFn(OfflineChatModel.lastHumanText(messages));
    const tokens = splitTokens(reply);
    if (tokens.length === 0) tokens.push("");
    const id = `threadgate-offline-${randomUUID()}`;
    const inputTokens = messages.reduce((n, m) => n + countWords(m.text), 0);
    const outputTokens = countWords(reply);

    for (let i = 0; i < tokens.length; i++) {
      await sleep(this.delayMs, options.signal);
      const text = tokens[i];
      const last = i === tokens.length - 1;
      const message = new AIMessageChunk({
        id,
        content: text,
        ...(last
          ? {
              usage_metadata: {
                input_tokens: inputTokens,
                output_tokens: outputTokens,
                total_tokens: inputTokens + outputTokens,
              },
              response_metadata: { model_name: OFFLINE_MODEL_NAME, finish_reason: "stop" },
            }
          : {}),
      });
      const chunk = new ChatGenerationChunk({ message, text });
      yield chunk;
      await runManager?.handleLLMNewToken(text, undefined, undefined, undefined, undefined, { chunk });
    }
  }

  override async _generate(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    let aggregated: ChatGenerationChunk | undefined;
    for await (const chunk of this._streamResponseChunks(messages, options, runManager)) {
      aggregated = aggregated === undefined ? chunk : aggregated.concat(chunk);
    }
    const merged = aggregated!.message as AIMessageChunk;
    const message = new AIMessage({
      id: merged.id,
      content: merged.content,
      usage_metadata: merged.usage_metadata,
      response_metadata: merged.response_metadata,
    });
    // No llmOutput: core would spread it into response_metadata, which should
    // look the same whether the model was streamed or invoked.
    return { generations: [{ text: aggregated!.text, message }] };
  }
}
