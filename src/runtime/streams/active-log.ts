/**
 * One active run's log in memory: its recent events (older stored ones leave within the budget), how
 * far it is stored, and the readers waiting for more.
 */
import type { StreamEventRecord } from "../../stores/types.ts";

export type StreamEvent = Pick<StreamEventRecord, "seq" | "event" | "data">;

export class ActiveLog {
  /** events[i] has seq = base + i. */
  events: StreamEvent[] = [];
  /** Bytes of the events' data in `events`. */
  bytes = 0;
  base = 0;
  /** Highest seq known to be in the store. */
  persisted = -1;
  finished = false;
  /** No longer written here (the run was handed to the queue, or back): readers follow it elsewhere. */
  detached = false;
  /** The lease epoch its events are stored under (where they are fenced). */
  epoch: number | undefined;
  private waiters: (() => void)[] = [];

  get nextSeq(): number {
    return this.base + this.events.length;
  }

  /** Finished, and every event is in the store: the log can leave memory. */
  get done(): boolean {
    return (this.finished || this.detached) && this.persisted >= this.nextSeq - 1;
  }

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

  push(entry: StreamEvent): void {
    this.events.push(entry);
    this.bytes += entry.data.length;
  }

  /** Drops persisted events beyond the memory budget (events and bytes), keeping the newest half. */
  trim(maxEvents: number, maxBytes: number): void {
    if (this.events.length <= maxEvents && this.bytes <= maxBytes) return;
    const persisted = this.persisted + 1 - this.base;
    let drop = 0;
    let bytes = this.bytes;
    while (drop < persisted && (this.events.length - drop > maxEvents / 2 || bytes > maxBytes / 2)) {
      bytes -= this.events[drop].data.length;
      drop += 1;
    }
    if (drop === 0) return;
    this.events = this.events.slice(drop);
    this.base += drop;
    this.bytes = bytes;
  }
}
