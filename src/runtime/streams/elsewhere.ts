/**
 * Reading the stream of a run that executes in another process (processes sharing Postgres). The
 * durable copy is the database's: every event is read from there, or, when Redis is up, taken from the
 * signal its worker sends once the event is stored (so it is the same event, in the same place, as a
 * later read of the database). A gap in what the signals brought (a message missed, a reconnect) is
 * filled from the database; without signals the database is looked at every poll. It ends when the
 * run has ended and every event of it has been read, or when the run's log opens in this process
 * (the caller then reads it there).
 */
import type { StreamEventStore } from "../../stores/types.ts";
import type { ClusterSignals, SignalEvent } from "../../cluster/signals.ts";

export interface ElsewhereDeps {
  store: StreamEventStore;
  signals: ClusterSignals;
  pollMs: number;
  /** Whether the run is still pending or running (anywhere). */
  runActive(runId: string): Promise<boolean>;
  /** Whether the run's log is open in this process now. */
  openHere(runId: string): boolean;
  /** Resolves when the run's log next opens in this process, or when the signal aborts. */
  opened(runId: string, signal: AbortSignal): Promise<void>;
}

const STORE_PAGE = 1000;

/** With signals up, the database is still looked at now and then: a safety net, not the way events come. */
const LIVE_POLL_FACTOR = 10;

/**
 * Events with seq >= `from` of a run executing elsewhere. Returns the next seq it did not yield and
 * whether the run's log has opened here (the caller goes on from there in the local log).
 */
export async function* followElsewhere(
  deps: ElsewhereDeps,
  runId: string,
  from: number,
  signal?: AbortSignal,
): AsyncGenerator<SignalEvent, { next: number; local: boolean }> {
  let next = from;
  const queue: SignalEvent[] = [];
  let ended = false;
  let wake: (() => void) | null = null;
  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const stop = new AbortController();
  const onAbort = () => {
    stop.abort();
    poke();
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  // Subscribed before the database is read: an event stored meanwhile comes one way or the other.
  const unsubscribe = await deps.signals.followRun(runId, {
    onEvents(events) {
      queue.push(...events);
      poke();
    },
    onEnd() {
      ended = true;
      poke();
    },
  });
  async function* fromStore(): AsyncGenerator<SignalEvent> {
    for (;;) {
      const page = await deps.store.list(runId, next - 1, STORE_PAGE);
      for (const e of page) {
        next = e.seq + 1;
        yield { seq: e.seq, event: e.event, data: e.data };
      }
      if (page.length < STORE_PAGE) return;
    }
  }
  // The run may be claimed by this process while it is followed here: then the local log is read.
  void deps.opened(runId, stop.signal).then(poke);
  try {
    let readStore = true;
    while (!stop.signal.aborted) {
      if (deps.openHere(runId)) return { next, local: true };
      if (readStore) {
        yield* fromStore();
        readStore = false;
      }
      // What the signals brought, in order; a gap means something was missed: the database has it.
      queue.sort((a, b) => a.seq - b.seq);
      while (queue.length > 0 && !readStore) {
        const e = queue[0];
        if (e.seq < next) queue.shift();
        else if (e.seq === next) {
          queue.shift();
          next += 1;
          yield e;
        } else readStore = true;
      }
      if (readStore) continue;
      if (ended || !(await deps.runActive(runId))) {
        // Its worker stores every event before the run's end: one more read has the rest.
        yield* fromStore();
        return { next, local: false };
      }
      const pollMs = deps.signals.live ? deps.pollMs * LIVE_POLL_FACTOR : deps.pollMs;
      const timedOut = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(true), pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve(false);
        };
        if (queue.length > 0 || ended || stop.signal.aborted) poke();
      });
      if (timedOut) readStore = true;
    }
    return { next, local: false };
  } finally {
    signal?.removeEventListener("abort", onAbort);
    stop.abort();
    unsubscribe();
  }
}
