/**
 * A minimal Server-Sent Events client on undici, timing each event's arrival.
 * Used the same way against both servers.
 */
import { performance } from "node:perf_hooks";
import type { Dispatcher } from "undici";

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
  /** performance.now() when the chunk that completed this event arrived. */
  at: number;
}

export interface SseResult {
  status: number;
  events: SseEvent[];
  /** Set when the request failed (network error, abort, non-200). */
  error?: string;
  /** performance.now() when the response body ended. */
  endedAt: number;
  /** The body ended normally (the server closed the stream). */
  complete: boolean;
}

export interface SseRequest {
  origin: string;
  path: string;
  method?: "GET" | "POST";
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Called for every event as it arrives (comments such as `: heartbeat` are skipped). */
  onEvent?: (event: SseEvent) => void;
  /** Keep the events' data in the result (default true). */
  keepData?: boolean;
}

function parseBlock(block: string, at: number): SseEvent | null {
  let event = "message";
  let id: string | undefined;
  const data: string[] = [];
  let fields = 0;
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    fields += 1;
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
    else if (field === "id") id = value;
  }
  if (fields === 0) return null; // a comment-only block (heartbeat)
  return { event, data: data.join("\n"), id, at };
}

export async function sse(dispatcher: Dispatcher, req: SseRequest): Promise<SseResult> {
  const events: SseEvent[] = [];
  const keep = req.keepData !== false;
  let status = 0;
  try {
    const res = await dispatcher.request({
      origin: req.origin,
      path: req.path,
      method: req.method ?? "GET",
      headers: {
        accept: "text/event-stream",
        ...(req.body !== undefined ? { "content-type": "application/json" } : {}),
        ...req.headers,
      },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: req.signal,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    status = res.statusCode;
    if (status !== 200) {
      const text = await res.body.text();
      return {
        status,
        events,
        error: `HTTP ${status}: ${text.slice(0, 200)}`,
        endedAt: performance.now(),
        complete: false,
      };
    }
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of res.body) {
      const at = performance.now();
      buffer += decoder.decode(chunk as Buffer, { stream: true });
      if (buffer.includes("\r")) buffer = buffer.replace(/\r\n?/g, "\n");
      let boundary = buffer.indexOf("\n\n");
      while (boundary !== -1) {
        const parsed = parseBlock(buffer.slice(0, boundary), at);
        buffer = buffer.slice(boundary + 2);
        if (parsed) {
          req.onEvent?.(parsed);
          events.push(keep ? parsed : { event: parsed.event, data: "", id: parsed.id, at });
        }
        boundary = buffer.indexOf("\n\n");
      }
    }
    return { status, events, endedAt: performance.now(), complete: true };
  } catch (err) {
    return {
      status,
      events,
      error: (err as Error).message || String(err),
      endedAt: performance.now(),
      complete: false,
    };
  }
}

/** Events that carry data (not the `end` sentinel Threadgate sends last). */
export function dataEvents(events: SseEvent[]): SseEvent[] {
  return events.filter((e) => e.event !== "end");
}
