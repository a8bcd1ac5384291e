/**
 * The durable, replayable event log of every run's stream.
 *
 * A run publishes events here regardless of who listens. Each event gets a
 * per-run sequence number (the SSE `id:`, from 0) and is written to the
 * StreamEventStore in small batches, so any number of readers can join at any
 * time — also after a restart — and get exactly the events after the id they
 * last saw. While a run is active its recent events are also kept in memory
 * (bounded: older ones are read back from the store), so live readers rarely
 * touch the database. Logs of runs that ended longer ago than the retention
 * period are purged.
 */
import type { StreamEventRecord, StreamEventStore } from "../../stores/types.ts";
import type { Logger } from "../../logger.ts";
import { toJson } from "../shared/serialize.ts";
import type { ClusterSignals } from "../../cluster/signals.ts";
import { followElsewhere } from "./elsewhere.ts";
import { ActiveLog, type StreamEvent } from "./active-log.ts";
import { Wakeups } from "../shared/wakeups.ts";

export type { StreamEvent } from "./active-log.ts";

export interface StreamHubOptions {
  /** Events of one active run kept in memory; older (persisted) ones are dropped from memory. */
  maxInMemory: number;
  /**
   * Bytes of one active run's events kept in memory (older persisted ones are dropped), and bytes of
   * events published and not yet stored past which publishers are asked to wait (`room`).
   */
  bufferBytes: number;
  /** Logs of runs that ended longer ago than this are deleted; 0 keeps them forever. */
  retentionSeconds: number;
  /**
   * Processes share the database (Postgres): a run may execute in another, and its stream is followed
   * through the database and the signals (elsewhere.ts). Readers here get an event once it is stored, so
   * whatever a reader saw survives this process, and the worker that resumes a run numbers on from it.
   */
  shared?: { signals: ClusterSignals; pollMs: number; runActive(runId: string): Promise<boolean> };
}

const DEFAULT_OPTIONS: StreamHubOptions = {
  maxInMemory: 10_000,
  bufferBytes: 1024 * 1024,
  retentionSeconds: 7 * 24 * 3600,
};
const STORE_PAGE = 1000;
/**
 * Published events reach the store in one transaction per this many ms (or per
 * FLUSH_EVENTS events, or a quarter of the buffer's bytes), across all runs: live readers are served from memory,
 * and a commit per event cost more than the rest of publishing together.
 * A run's log is flushed completely before its stream is marked finished.
 */
const FLUSH_DELAY_MS = 5;
const FLUSH_EVENTS = 500;

export class StreamHub {
  private readonly active = new Map<string, ActiveLog>();
  /** Followers of threads' streams, waiting for the thread's next run. */
  private readonly threadWaiters = new Wakeups();
  /** Readers following a run elsewhere, woken when its log opens here. */
  private readonly openWaiters = new Wakeups();
  private pending: StreamEventRecord[] = [];
  private pendingBytes = 0;
  /** Bytes published and not yet in the store (pending, or in the batch being written). */
  private unstoredBytes = 0;
  private roomWaiters: (() => void)[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly options: StreamHubOptions;
  private purgeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: StreamEventStore,
    private readonly logger: Logger,
    options: Partial<StreamHubOptions> = {},
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
  }

  /**
   * Starts a run's log. Publishing to a run that was not opened is a programming error. Runs open it
   * before they are stored, so a reader that finds a stored run always finds its log here (or, once it
   * ended, complete in the store).
   */
  open(runId: string): void {
    if (this.active.get(runId)?.detached === false) return;
    this.active.set(runId, new ActiveLog());
    this.openWaiters.wake(runId);
  }

  /** Whether the run's log is open for writing here. */
  isOpen(runId: string): boolean {
    const log = this.active.get(runId);
    return log !== undefined && !log.detached && !log.finished;
  }

  /** From now on the run's events are stored under this lease epoch (fenced where processes share the database). */
  setEpoch(runId: string, epoch: number): void {
    const log = this.active.get(runId);
    if (log) log.epoch = epoch;
  }

  /**
   * The run is no longer written here (a pending run the queue may start anywhere; a run handed back):
   * its events so far are stored, then the log leaves memory; readers here follow it wherever it goes.
   */
  async detach(runId: string): Promise<void> {
    const log = this.active.get(runId);
    if (!log || log.finished) return;
    log.detached = true;
    await this.flush();
    log.notify();
    if (this.active.get(runId) === log && log.done) this.active.delete(runId);
  }

  /**
   * Runs an admission with its runs' logs open before they are stored, so a reader that finds a
   * stored run finds its log; the logs of runs it did not store (refused, or failed) are dropped.
   */
  async openWhile<T extends { run?: unknown; runs?: unknown }>(runIds: string[], admit: () => Promise<T>): Promise<T> {
    for (const id of runIds) this.open(id);
    const drop = () => {
      for (const id of runIds) if (this.active.get(id)?.nextSeq === 0) this.active.delete(id);
    };
    const admitted = await admit().catch((err: unknown) => {
      drop();
      throw err;
    });
    if (!admitted.run && !admitted.runs) drop();
    return admitted;
  }

  /** Tells those following the thread's stream (`runAdded`) that a run of it was stored. */
  announce(threadId: string): void {
    this.threadWaiters.wake(threadId);
  }

  /**
   * Resolves when a run's log is next opened on the thread, or when the signal aborts. Register
   * before looking at the thread's runs, so a run opened in between is not missed.
   */
  runAdded(threadId: string, signal?: AbortSignal): Promise<void> {
    // A run stored by another process is announced by its signal, or found at the next look.
    const shared = this.options.shared;
    const timeoutMs = shared && (shared.signals.live ? shared.pollMs * 10 : shared.pollMs);
    return this.threadWaiters.wait(threadId, { signal, timeoutMs: timeoutMs || undefined });
  }

  /** Opens the log of a run that already has stored events (after a restart): numbering goes on from them. */
  async reopen(runId: string): Promise<void> {
    if (this.isOpen(runId)) return;
    // Two reopens at once (recovery and the queue's start) open one log, not one each.
    let reopening = this.reopening.get(runId);
    if (!reopening) {
      reopening = this.reopenNow(runId).finally(() => this.reopening.delete(runId));
      this.reopening.set(runId, reopening);
    }
    return reopening;
  }

  private readonly reopening = new Map<string, Promise<void>>();

  private async reopenNow(runId: string): Promise<void> {
    // A log detached here is stored first: numbering goes on from all of it.
    if (this.active.has(runId)) await this.flush();
    let count = 0;
    for await (const e of this.fromStore(runId, 0, Infinity)) count = e.seq + 1;
    const log = new ActiveLog();
    log.base = count;
    log.persisted = count - 1;
    this.active.set(runId, log);
    this.openWaiters.wake(runId);
  }

  /** The seq of the last event published so far while the run's log is open here; null when it is not. */
  lastSeq(runId: string): number | null {
    const log = this.active.get(runId);
    return log === undefined || log.finished ? null : log.nextSeq - 1;
  }

  publish(runId: string, event: string, payload: unknown): StreamEvent {
    return this.publishJson(runId, event, toJson(payload));
  }

  /** `publish` with the payload already serialised to wire JSON (by the graph side of the run). */
  publishJson(runId: string, event: string, data: string): StreamEvent {
    const log = this.active.get(runId);
    if (!log) throw new Error(`stream of run ${runId} is not open`);
    const entry: StreamEvent = { seq: log.nextSeq, event, data };
    log.push(entry);
    this.pending.push({ run_id: runId, ...entry, ...(log.epoch !== undefined ? { epoch: log.epoch } : {}) });
    this.pendingBytes += data.length;
    this.unstoredBytes += data.length;
    this.scheduleFlush();
    log.notify();
    return entry;
  }

  /**
   * Marks the run's stream complete; readers drain what is left and stop. Its last events reach the
   * store with the next batch, like every other event (a flush per run end cost a commit per run);
   * until then the log stays in memory, so a reader that comes meanwhile still gets all of it.
   */
  async finish(runId: string): Promise<void> {
    const log = this.active.get(runId);
    if (!log) return;
    log.finished = true;
    log.notify();
    if (log.done) {
      this.active.delete(runId);
      this.options.shared?.signals.publishEnd(runId);
    }
  }

  /**
   * Events with seq > afterSeq, then live ones until the run's stream finishes
   * or the signal aborts. A finished run is replayed from the store and ends.
   */
  async *read(runId: string, afterSeq: number, signal?: AbortSignal): AsyncGenerator<StreamEvent> {
    let next = Math.max(0, afterSeq + 1);
    while (!signal?.aborted) {
      const log = this.active.get(runId);
      if (log) {
        next = yield* this.readLog(log, runId, next, signal);
        if (!log.detached) return;
      } else if (!this.options.shared) {
        // Finished (or never started here): the durable log is complete.
        yield* this.fromStore(runId, next, Infinity);
        return;
      } else {
        const { signals, pollMs, runActive } = this.options.shared;
        const deps = {
          store: this.store,
          signals,
          pollMs,
          runActive,
          openHere: (id: string) => this.active.has(id),
          opened: (id: string, s: AbortSignal) => this.openWaiters.wait(id, { signal: s }),
        };
        const followed = yield* followElsewhere(deps, runId, next, signal);
        next = followed.next;
        if (!followed.local) return;
      }
    }
  }

  /**
   * Events of a log open here from `next`, until it finishes, is detached or the signal aborts; returns
   * the next seq not yielded. Where processes share the database, only events already stored.
   */
  private async *readLog(log: ActiveLog, runId: string, from: number, signal?: AbortSignal) {
    let next = from;
    while (!signal?.aborted) {
      const visible = this.options.shared ? log.persisted + 1 : log.nextSeq;
      if (next < log.base) {
        // Fell behind the in-memory window: catch up from the store, up to where the window began when
        // we looked. The window may move on while the store is read (it does on a slower store): what
        // left it meanwhile is read from the store on the next turn, not skipped.
        const until = log.base;
        for await (const e of this.fromStore(runId, next, until)) {
          yield e;
          next = e.seq + 1;
        }
        next = Math.max(next, until);
      } else if (next < visible) {
        const event = log.events[next - log.base];
        next += 1;
        yield event;
      } else if ((log.finished || log.detached) && log.done) {
        return next;
      } else if (log.finished && !this.options.shared) {
        return next;
      } else {
        await log.changed(signal);
      }
    }
    return next;
  }

  private async *fromStore(runId: string, from: number, until: number): AsyncGenerator<StreamEvent> {
    let after = from - 1;
    for (;;) {
      const page = await this.store.list(runId, after, STORE_PAGE);
      for (const e of page) {
        if (e.seq >= until) return;
        yield e;
      }
      if (page.length < STORE_PAGE) return;
      after = page[page.length - 1].seq;
    }
  }

  /** Writes everything published so far to the store. */
  flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.flushing = this.flushing.then(async () => {
      const batch = this.pending;
      if (batch.length === 0) return;
      const bytes = this.pendingBytes;
      this.pending = [];
      this.pendingBytes = 0;
      try {
        await this.store.append(batch);
        // Batches are in publish order, so each run's highest seq is its last in the batch.
        const highest = new Map<string, number>();
        for (const e of batch) highest.set(e.run_id, e.seq);
        for (const [runId, seq] of highest) {
          const log = this.active.get(runId);
          if (!log) continue;
          log.persisted = seq;
          if (this.options.shared) {
            // Readers here wait for events to be stored; readers elsewhere are told once they are.
            log.notify();
            this.options.shared.signals.publishEvents(runId, eventsOf(batch, runId));
            if (log.finished && log.done) this.options.shared.signals.publishEnd(runId);
          }
          if (log.done) this.active.delete(runId);
          else log.trim(this.options.maxInMemory, this.options.bufferBytes);
        }
      } catch (err) {
        this.logger.error({ err, events: batch.length }, "failed to persist stream events");
        // Finished logs would wait for these forever: let them go (their readers got the events from memory).
        for (const e of batch) if (this.active.get(e.run_id)?.finished) this.active.delete(e.run_id);
      } finally {
        this.unstoredBytes -= bytes;
        if (this.unstoredBytes <= this.options.bufferBytes) this.wakeRoomWaiters();
      }
    });
    return this.flushing;
  }

  /** Purges expired logs now and then every hour. */
  startRetention(): void {
    if (this.options.retentionSeconds <= 0) return;
    const purge = async () => {
      const cutoff = new Date(Date.now() - this.options.retentionSeconds * 1000).toISOString();
      const removed = await this.store.purgeEndedBefore(cutoff).catch((err) => {
        this.logger.error({ err }, "stream log purge failed");
        return 0;
      });
      if (removed > 0) this.logger.info({ removed }, "purged expired stream events");
    };
    void purge();
    this.purgeTimer = setInterval(() => void purge(), Math.min(3600, this.options.retentionSeconds) * 1000);
    this.purgeTimer.unref();
  }

  stop(): void {
    clearInterval(this.purgeTimer);
  }

  /**
   * Undefined while the events published and not yet stored fit in the buffer; else a promise that
   * settles once they do again. Publishers of floods (graph runs) wait for it.
   */
  room(): Promise<void> | undefined {
    if (this.unstoredBytes <= this.options.bufferBytes) return undefined;
    return new Promise<void>((resolve) => this.roomWaiters.push(resolve));
  }

  private wakeRoomWaiters(): void {
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }

  private scheduleFlush(): void {
    if (this.pending.length >= FLUSH_EVENTS || this.pendingBytes >= this.options.bufferBytes / 4) {
      void this.flush();
      return;
    }
    this.flushTimer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
  }
}

/** The batch's events of one run, in order, as signals carry them. */
function eventsOf(batch: StreamEventRecord[], runId: string): StreamEvent[] {
  const events: StreamEvent[] = [];
  for (const e of batch) if (e.run_id === runId) events.push({ seq: e.seq, event: e.event, data: e.data });
  return events;
}
