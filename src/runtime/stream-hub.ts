/**
 * The durable, replayable event log of every run's stream.
 *
 * A run publishes events here regardless of who listens. Each event gets a
 * per-run sequence number (the SSE `id:`, from 0) and is written to the
 * StreamEventStore in small batches, so any number of readers can join at any
 * time — also after a restart — and get exactly the events after the id they
 * last saw. While a run is active its events are also kept in memory so live
 * readers never touch the database.
 */
import type { StreamEventRecord, StreamEventStore } from "../stores/types.ts";
import type { Logger } from "../logger.ts";
import { toJson } from "./serialize.ts";

export type StreamEvent = Pick<StreamEventRecord, "seq" | "event" | "data">;

class ActiveLog {
  readonly events: StreamEvent[] = [];
  finished = false;
  private waiters: (() => void)[] = [];

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves on the next publish/finish, or when the signal aborts. */
  changed(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const onAbort = () => resolve();
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      });
    });
  }
}

export class StreamHub {
  private readonly active = new Map<string, ActiveLog>();
  private pending: StreamEventRecord[] = [];
  private flushScheduled = false;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: StreamEventStore,
    private readonly logger: Logger,
  ) {}

  /** Starts a run's log. Publishing to a run that was not opened is a programming error. */
  open(runId: string): void {
    if (!this.active.has(runId)) this.active.set(runId, new ActiveLog());
  }

  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  publish(runId: string, event: string, payload: unknown): StreamEvent {
    const log = this.active.get(runId);
    if (!log) throw new Error(`stream of run ${runId} is not open`);
    const entry: StreamEvent = { seq: log.events.length, event, data: toJson(payload) };
    log.events.push(entry);
    this.pending.push({ run_id: runId, ...entry });
    this.scheduleFlush();
    log.notify();
    return entry;
  }

  /** Marks the run's stream complete; readers drain what is left and stop. */
  async finish(runId: string): Promise<void> {
    const log = this.active.get(runId);
    if (!log) return;
    await this.flush();
    log.finished = true;
    log.notify();
    this.active.delete(runId);
  }

  /**
   * Events with seq > afterSeq, then live ones until the run's stream finishes
   * or the signal aborts. A finished run is replayed from the store and ends.
   */
  async *read(runId: string, afterSeq: number, signal?: AbortSignal): AsyncGenerator<StreamEvent> {
    let next = afterSeq + 1;
    const log = this.active.get(runId);
    if (!log) {
      // Finished (or never started here): the durable log is complete.
      for (;;) {
        const page = await this.store.list(runId, next - 1, 1000);
        for (const e of page) yield e;
        if (page.length < 1000) return;
        next = page[page.length - 1].seq + 1;
      }
    }
    while (!signal?.aborted) {
      while (next < log.events.length) {
        yield log.events[next];
        next += 1;
        if (signal?.aborted) return;
      }
      if (log.finished) return;
      await log.changed(signal);
    }
  }

  /** Writes everything published so far to the store. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const batch = this.pending;
      if (batch.length === 0) return;
      this.pending = [];
      try {
        await this.store.append(batch);
      } catch (err) {
        this.logger.error({ err, events: batch.length }, "failed to persist stream events");
      }
    });
    return this.flushing;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }
}
