/**
 * The graph worker's side of the event flow to the server thread. Events of
 * every run on the worker go out in slices (one message per ~64 KB, or per turn
 * of the event loop, whichever comes first). The server thread hands back the
 * bytes of each slice as credit once it has taken them (and its store keeps up),
 * and no more than `windowBytes` may be on their way at once: a run that would
 * pass the window waits before it takes its next event from the graph. So a
 * graph that floods its stream is held back where it emits, instead of its
 * events piling up in the message queue between the threads, off the heap.
 */

/** What one event costs besides its JSON: its run id, its name and the array slots. */
const EVENT_OVERHEAD = 64;
const SLICE_BYTES = 64 * 1024;

export class WorkerOutbox {
  private events: string[] = [];
  private bytes = 0;
  private inFlight = 0;
  private flushQueued = false;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly windowBytes: number,
    private readonly send: (events: string[], bytes: number) => void,
  ) {}

  /** Takes one event; a promise when the run should wait for room before it takes the next. */
  publish(runId: string, event: string, json: string, signal: AbortSignal): Promise<void> | undefined {
    this.events.push(runId, event, json);
    this.bytes += json.length + EVENT_OVERHEAD;
    if (this.bytes >= Math.min(SLICE_BYTES, this.windowBytes)) this.flush();
    else if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(() => this.flush());
    }
    if (this.hasRoom()) return undefined;
    return new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const wake = () => {
        signal.removeEventListener("abort", wake);
        resolve();
      };
      signal.addEventListener("abort", wake, { once: true });
      this.waiters.push(wake);
    });
  }

  /** Sends what is waiting now (before a run's end, which must come after its events). */
  flush(): void {
    this.flushQueued = false;
    if (this.events.length === 0) return;
    const events = this.events;
    const bytes = this.bytes;
    this.events = [];
    this.bytes = 0;
    this.inFlight += bytes;
    this.send(events, bytes);
  }

  /** The server thread has taken `bytes` of what was sent. */
  credit(bytes: number): void {
    this.inFlight = Math.max(0, this.inFlight - bytes);
    if (!this.hasRoom()) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private hasRoom(): boolean {
    // An event larger than the window is sent at once (the outbox flushes at the window), then waits alone.
    return this.inFlight + this.bytes <= this.windowBytes;
  }
}
