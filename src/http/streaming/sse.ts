/**
 * The one escape hatch from Koa's response handling: Server-Sent Events.
 * Owns framing (`event:`/`data:`/`id:`), heartbeats, backpressure, client
 * disconnects and the end of the response: with no `end` event by default, as
 * the official LangGraph servers (SDK 1.15 hands `end` to its callers as a
 * chunk), or with one when configured (THREADGATE_STREAM_END_EVENT).
 */
import type { Context } from "koa";
import type { StreamEvent } from "../../runtime/streams/hub.ts";

export interface SseOptions {
  heartbeatMs: number;
  /** Extra response headers (Content-Location, Location). */
  headers?: Record<string, string>;
  /** Thread-scoped streams carry `id:` lines; stateless ones do not. */
  withIds?: boolean;
  /** Write `event: end` before finishing the response. */
  endEvent?: boolean;
}

export class SseWriter {
  private readonly abort = new AbortController();
  private lastWrite = Date.now();
  private readonly heartbeat: NodeJS.Timeout;
  private ended = false;

  constructor(
    private readonly ctx: Context,
    private readonly options: SseOptions,
  ) {
    ctx.respond = false; // we own the socket from here
    const res = ctx.res;
    res.on("close", () => {
      if (!res.writableFinished) this.abort.abort(new Error("client disconnected"));
      clearInterval(this.heartbeat);
    });
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
      ...options.headers,
    });
    res.flushHeaders();
    this.heartbeat = setInterval(
      () => {
        if (Date.now() - this.lastWrite >= options.heartbeatMs) void this.write(": heartbeat\n\n");
      },
      Math.max(50, Math.floor(options.heartbeatMs / 2)),
    );
    this.heartbeat.unref();
  }

  /** Aborts when the client goes away. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get disconnected(): boolean {
    return this.abort.signal.aborted;
  }

  /** One frame; `seq` is its `id:` (a run's event number, or a thread stream's event id). */
  send(event: Omit<StreamEvent, "seq"> & { seq: number | string }): Promise<void> {
    const id = this.options.withIds === false ? "" : `id: ${event.seq}\n`;
    return this.write(`event: ${event.event}\ndata: ${event.data}\n${id}\n`);
  }

  /** Finishes the response (after an `end` event if the options ask for one). */
  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.heartbeat);
    if (!this.disconnected) {
      if (this.options.endEvent) await this.write("event: end\ndata: null\n\n");
      this.ctx.res.end();
    }
  }

  private write(chunk: string): Promise<void> {
    const res = this.ctx.res;
    if (this.disconnected || res.writableEnded) return Promise.resolve();
    this.lastWrite = Date.now();
    if (res.write(chunk)) return Promise.resolve();
    // Backpressure: wait for drain, but never for a client that is gone.
    return new Promise((resolve) => {
      const done = () => {
        res.off("drain", done);
        res.off("close", done);
        resolve();
      };
      res.once("drain", done);
      res.once("close", done);
    });
  }
}

/** Streams events to the client until they run out or the client leaves, then finishes the response. */
export async function pipeEvents(writer: SseWriter, events: AsyncIterable<StreamEvent>): Promise<void> {
  try {
    for await (const event of events) {
      if (writer.disconnected) break;
      await writer.send(event);
    }
  } finally {
    await writer.end();
  }
}
