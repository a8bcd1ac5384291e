/**
 * The legacy `messages` stream mode (`messages/metadata`, `messages/partial`,
 * `messages/complete`), built as LangGraph Platform builds it:
 * - from each `on_chat_model_stream` event (not tagged `nostream`) whose chunk
 *   has an id: `messages/metadata` `{<id>: {metadata}}` the first time the id
 *   is seen, then `messages/partial` `[<the message so far>]` every time;
 * - from the root graph's `values`: `messages/complete` `[<message>, ...]` with
 *   the state's messages whose id was not completed before.
 */
import type { BaseMessageChunk } from "@langchain/core/messages";
import type { PlatformEvent } from "./modes.ts";

type StreamEventLike = { event: string; tags?: string[]; metadata?: unknown; data?: { chunk?: unknown } };

export class LegacyMessages {
  private readonly partial = new Map<string, BaseMessageChunk>();
  private readonly completed = new Set<string>();

  /** Events for one chat model token (`on_chat_model_stream`). */
  onChatModelStream(event: StreamEventLike, out: PlatformEvent[]): void {
    if (event.tags?.includes("nostream")) return;
    const chunk = event.data?.chunk as BaseMessageChunk | undefined;
    const id = chunk?.id;
    if (!chunk || !id) return;
    const previous = this.partial.get(id);
    let message: BaseMessageChunk;
    if (previous === undefined) {
      message = chunk;
      out.push({ event: "messages/metadata", data: { [id]: { metadata: event.metadata } } });
    } else {
      message = previous.concat(chunk);
    }
    this.partial.set(id, message);
    out.push({ event: "messages/partial", data: [message] });
  }

  /** `messages/complete` for a root `values` chunk, if it brings messages not completed yet. */
  onValues(values: unknown): PlatformEvent | null {
    if (typeof values !== "object" || values === null || Array.isArray(values) || !("messages" in values)) return null;
    const raw = (values as { messages: unknown }).messages;
    const list = Array.isArray(raw) ? raw : [raw];
    const fresh: unknown[] = [];
    for (const message of list) {
      const id = (message as { id?: unknown } | null)?.id;
      if (typeof id !== "string" || !id || this.completed.has(id)) continue;
      this.completed.add(id);
      fresh.push(message);
    }
    return fresh.length ? { event: "messages/complete", data: fresh } : null;
  }
}
