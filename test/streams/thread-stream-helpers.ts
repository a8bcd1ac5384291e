/**
 * What thread-stream.test.ts reads with: a thread's stream over raw HTTP (to know when its headers
 * are in, and to see comments), a run's own stored log as the thread stream should carry it, and the
 * lifecycle and state_update frames the stream documents.
 */
import { createParser } from "eventsource-parser";

export interface Frame {
  id: string;
  event: string;
  /** As sent: one line of JSON. */
  data: string;
}

/** A frame with its data parsed, for comparing frames built here with those received. */
export type Parsed = { id: string; event: string; data: unknown };

export const parsed = (frames: readonly Frame[]): Parsed[] =>
  frames.map((f) => ({ id: f.id, event: f.event, data: JSON.parse(f.data) as unknown }));

/** A thread stream held open: its frames and comments as they arrive, until close(). */
export class OpenStream {
  readonly frames: Frame[] = [];
  readonly comments: string[] = [];
  private waiters = new Set<() => void>();
  private ended: Error | null = null;

  private constructor(
    readonly response: Response,
    private readonly abort: AbortController,
  ) {}

  /** Resolves once the response's headers are in (the server has pinned where the stream starts). */
  static async open(
    base: string,
    threadId: string,
    opts: { lastEventId?: string; query?: string; headers?: Record<string, string> } = {},
  ): Promise<OpenStream> {
    const abort = new AbortController();
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.lastEventId !== undefined) headers["Last-Event-ID"] = opts.lastEventId;
    const res = await fetch(`${base}/threads/${threadId}/stream${opts.query ? `?${opts.query}` : ""}`, {
      headers,
      signal: abort.signal,
    });
    const stream = new OpenStream(res, abort);
    if (res.ok) void stream.pump();
    return stream;
  }

  private async pump(): Promise<void> {
    const parser = createParser({
      onEvent: (e) => this.frames.push({ id: e.id ?? "", event: e.event ?? "message", data: e.data }),
      onComment: (c) => this.comments.push(c.trim()),
    });
    const reader = this.response.body!.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
        this.notify();
      }
      this.ended = new Error("the stream ended");
    } catch (err) {
      this.ended = err as Error;
    }
    this.notify();
  }

  private notify(): void {
    for (const wake of [...this.waiters]) wake();
  }

  /** The frames once `done` holds for them (it is asked again at every chunk that comes). */
  async until(done: (frames: readonly Frame[]) => boolean, timeoutMs = 15_000): Promise<Frame[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (done(this.frames)) return [...this.frames];
      if (this.ended) throw new Error(`${this.ended.message} with ${JSON.stringify(this.frames.map((f) => f.id))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`condition not met; frames: ${JSON.stringify(this.frames.map((f) => f.id))}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  /** The frames once one has this id. */
  untilId(id: string, timeoutMs?: number): Promise<Frame[]> {
    return this.until((frames) => frames.some((f) => f.id === id), timeoutMs);
  }

  /** The frames once there are `n`. */
  untilCount(n: number, timeoutMs?: number): Promise<Frame[]> {
    return this.until((frames) => frames.length >= n, timeoutMs);
  }

  close(): void {
    this.abort.abort();
  }
}

/** The run's stored events as the thread stream's run_modes carries them (ids `<run_id>:<seq>`). */
export async function runLog(base: string, threadId: string, runId: string): Promise<Frame[]> {
  // A finished run's stream replays its stored log from the first event and closes.
  const res = await fetch(`${base}/threads/${threadId}/runs/${runId}/stream`, { headers: { "Last-Event-ID": "-1" } });
  const frames: Frame[] = [];
  const parser = createParser({
    onEvent: (e) => frames.push({ id: `${runId}:${e.id}`, event: e.event ?? "message", data: e.data }),
  });
  parser.feed(await res.text());
  return frames;
}

export function lifecycleStart(threadId: string, runId: string): Parsed {
  return { id: `${runId}:start`, event: "lifecycle", data: { run_id: runId, thread_id: threadId, status: "running" } };
}

export function lifecycleEnd(threadId: string, runId: string, status: string, error?: string): Parsed {
  const data = { run_id: runId, thread_id: threadId, status, ...(error !== undefined ? { error } : {}) };
  return { id: `${runId}:end`, event: "lifecycle", data };
}

export function stateUpdate(threadId: string, runId: string, values: unknown): Parsed {
  return { id: `${runId}:state`, event: "state_update", data: { run_id: runId, thread_id: threadId, values } };
}
