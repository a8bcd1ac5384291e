/**
 * Chat model factory for the bundled agents.
 *
 * - `OPENAI_API_KEY` set: `ChatOpenAI` against any OpenAI-compatible endpoint
 *   (`OPENAI_BASE_URL`, model from `THREADGATE_MODEL`, default gpt-4o-mini),
 *   with `streamUsage` so token accounting sees usage_metadata when streaming.
 * - otherwise: the deterministic, network-free `OfflineChatModel`, streaming
 *   one word every `THREADGATE_OFFLINE_TOKEN_DELAY_MS` ms (default 20).
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { ChatOpenAI } from "@langchain/openai";
import { OfflineChatModel } from "./offline-chat-model.ts";

export const DEFAULT_OPENAI_MODEL = "gpt-4o-mini";
export const DEFAULT_OFFLINE_TOKEN_DELAY_MS = 20;

function offlineDelayMs(env: NodeJS.ProcessEnv): number {
  const raw = env.THREADGATE_OFFLINE_TOKEN_DELAY_MS;
  if (raw === undefined || raw.trim() === "") return DEFAULT_OFFLINE_TOKEN_DELAY_MS;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : DEFAULT_OFFLINE_TOKEN_DELAY_MS;
}

export function createChatModel(env: NodeJS.ProcessEnv = process.env): BaseChatModel {
  if (env.OPENAI_API_KEY) {
    return new ChatOpenAI({
      apiKey: env.OPENAI_API_KEY,
      model: env.THREADGATE_MODEL || DEFAULT_OPENAI_MODEL,
      configuration: { baseURL: env.OPENAI_BASE_URL || undefined },
      streamUsage: true,
    });
  }
  return new OfflineChatModel({ delayMs: offlineDelayMs(env) });
}
