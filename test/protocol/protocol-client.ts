/**
 * A raw protocol v2 client for tests that look at the wire itself (event ids, seq, what a reconnect
 * replays): commands over HTTP, and a thread's event stream read with a real SSE parser while it stays
 * open. Tests of what a user sees go through the SDK's own client (`client.threads.stream`).
 */
import { createParser } from "eventsource-parser";
import { waitFor } from "../helpers/server.ts";

export interface WireEvent {
  type: "event";
  event_id: string;
  seq: number;
  method: string;
  params: { namespace: string[]; timestamp: number; node?: string; data: Record<string, unknown> };
}

export interface Command {
  id: number;
  method: string;
  params?: Record<string, unknown>;
}

/** POSTs a command; the status and the parsed answer. */
export async function command(
  url: string,
  threadId: string,
  body: Command | Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/threads/${threadId}/commands`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export interface OpenStream {
  status: number;
  /** Every event so far, in arrival order; SSE `id:` and `event:` lines beside each. */
  events: WireEvent[];
  frames: { id: string | undefined; event: string | undefined }[];
  /** Resolves once an event satisfies `pred` (fails after the timeout). */
  until(pred: (e: WireEvent) => boolean, timeoutMs?: number): Promise<WireEvent>;
  close(): Promise<void>;
}

/** Opens `POST /threads/{id}/stream/events` with this body and reads it in the background. */
export async function openEvents(
  url: string,
  threadId: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<OpenStream> {
  const abort = new AbortController();
  const res = await fetch(`${url}/threads/${threadId}/stream/events`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream", ...headers },
    body: JSON.stringify(body),
    signal: abort.signal,
  });
  const events: WireEvent[] = [];
  const frames: OpenStream["frames"] = [];
  const parser = createParser({
    onEvent: (e) => {
      frames.push({ id: e.id, event: e.event });
      events.push(JSON.parse(e.data) as WireEvent);
    },
  });
  const reading =
    res.status === 200 && res.body
      ? (async () => {
          const decoder = new TextDecoder();
          try {
            for await (const chunk of res.body as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk));
          } catch {
            // aborted by close()
          }
        })()
      : res.text().then(() => undefined);
  return {
    status: res.status,
    events,
    frames,
    until: (pred, timeoutMs = 10_000) => waitFor(async () => events.find(pred), timeoutMs),
    async close() {
      abort.abort();
      await reading;
    },
  };
}

/** A root lifecycle event: `running`, `completed`, `interrupted` or `failed`. */
export const lifecycle = (name: string) => (e: WireEvent) =>
  e.method === "lifecycle" && e.params.namespace.length === 0 && e.params.data.event === name;

/** The text deltas of each message the SDK's protocol client streams, as they come (read in the background). */
export function textDeltas(thread: { messages: AsyncIterable<{ text: AsyncIterable<string> }> }): string[][] {
  const answers: string[][] = [];
  void (async () => {
    for await (const message of thread.messages) {
      const parts: string[] = [];
      answers.push(parts);
      for await (const delta of message.text) parts.push(delta);
    }
  })();
  return answers;
}
