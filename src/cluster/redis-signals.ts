/**
 * ClusterSignals over Redis pub/sub. Two connections, because a connection in subscriber mode can
 * send nothing but (un)subscribe commands: one PUBLISHes, one SUBSCRIBEs. Channels are
 * `tg:<namespace>:…`, so servers on different Postgres schemas sharing one Redis never hear each other.
 *
 * Redis is an accelerator, never a dependency: opening never throws or waits long, publishes while
 * down are dropped (callers see `live` false and poll the database), and ioredis keeps reconnecting.
 *
 * Self-delivery: this process's own cancel / wake / ended messages come back to its own handlers
 * (Redis sends to every subscriber, and filtering would need a sender id in every message). That is
 * harmless by contract: a cancel of a run already cancelled, a wake of an idle queue, or an "ended" for
 * a run whose waiters already returned are all no-ops for the callers.
 */
import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "../logger.ts";
import type { CancelSignal, ClusterSignals, SignalEvent } from "./signals.ts";

type RunHandlers = { onEvents(events: SignalEvent[]): void; onEnd(): void };
type RunMessage = { events?: SignalEvent[]; end?: boolean };

/** How long openRedisSignals waits for a first connection before resolving with `live` false. */
const OPEN_WAIT_MS = 2000;
/** A drop without an error (server shut down cleanly) waits this long for one, so the warn line can name it. */
const WARN_WAIT_MS = 1000;

/** Capped linear backoff: quick to come back after a blip, and at most one attempt per 2 s while Redis is gone. */
const retryStrategy = (attempt: number): number => Math.min(attempt * 200, 2000);

export async function openRedisSignals(opts: {
  url: string;
  namespace: string;
  logger: Logger;
}): Promise<RedisSignals> {
  const signals = new RedisSignals(opts.url, opts.namespace, opts.logger);
  await signals.opened();
  return signals;
}

export class RedisSignals implements ClusterSignals {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly prefix: string;
  private readonly cancelChannel: string;
  private readonly wakeChannel: string;
  private readonly endedChannel: string;
  private pubReady = false;
  /** The subscriber counts as ready only once every wanted channel is subscribed again (see resubscribe). */
  private subReady = false;
  private closed = false;
  /** What the logs last said, so an outage gives one warn and a recovery one info, whatever ioredis retries. */
  private reported: "unknown" | "up" | "down" = "unknown";
  private lastError: Error | undefined;
  private warnTimer: NodeJS.Timeout | undefined;
  private settleOpen: (() => void) | undefined;
  private readonly runs = new Map<string, { handlers: Set<RunHandlers>; subscribed: Promise<void> }>();
  private readonly cancelHandlers: ((signal: CancelSignal) => void)[] = [];
  private readonly wakeHandlers: ((threadId: string) => void)[] = [];
  private readonly endedHandlers: ((runId: string) => void)[] = [];

  constructor(
    url: string,
    namespace: string,
    private readonly logger: Logger,
  ) {
    this.prefix = `tg:${namespace}:`;
    this.cancelChannel = `${this.prefix}cancel`;
    this.wakeChannel = `${this.prefix}wake`;
    this.endedChannel = `${this.prefix}ended`;
    const common: RedisOptions = {
      retryStrategy,
      connectTimeout: OPEN_WAIT_MS,
      // Fail commands at once while disconnected rather than queueing them for later: a late signal
      // is worse than none, since callers have moved on to polling.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
    };
    this.pub = new Redis(url, { ...common, connectionName: `threadgate:${namespace}:pub` });
    // We restore subscriptions ourselves on 'ready' (resubscribe) rather than with ioredis's
    // autoResubscribe: it sends the SUBSCRIBE without waiting for it before emitting 'ready', and it
    // forgets channels whose SUBSCRIBE failed during the outage; we want `live` to mean "subscribed".
    this.sub = new Redis(url, { ...common, autoResubscribe: false, connectionName: `threadgate:${namespace}:sub` });

    this.watch(this.pub, (ready) => (this.pubReady = ready));
    this.pub.on("ready", () => {
      this.pubReady = true;
      this.update();
    });
    this.watch(this.sub, (ready) => (this.subReady = ready));
    this.sub.on("ready", () => void this.resubscribe());
    this.sub.on("message", (channel: string, message: string) => this.dispatch(channel, message));
  }

  get live(): boolean {
    return this.pubReady && this.subReady && !this.closed;
  }

  /** Resolves when both connections are ready, at the first connection error, or after OPEN_WAIT_MS. */
  opened(): Promise<void> {
    if (this.live || this.lastError) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, OPEN_WAIT_MS);
      timer.unref();
      const self = this;
      function done() {
        clearTimeout(timer);
        self.settleOpen = undefined;
        resolve();
      }
      this.settleOpen = done;
    });
  }

  publishEvents(runId: string, events: SignalEvent[]): void {
    if (events.length > 0) this.publish(this.runChannel(runId), JSON.stringify({ events } satisfies RunMessage));
  }

  publishEnd(runId: string): void {
    this.publish(this.runChannel(runId), JSON.stringify({ end: true } satisfies RunMessage));
  }

  async followRun(runId: string, handlers: RunHandlers): Promise<() => void> {
    let entry = this.runs.get(runId);
    if (!entry) {
      // One SUBSCRIBE per run per process, shared by its readers; the last to leave unsubscribes.
      // While the subscriber is down the SUBSCRIBE fails at once and resubscribe() sends it on 'ready'.
      const subscribed = this.sub.subscribe(this.runChannel(runId)).then(
        () => undefined,
        () => undefined,
      );
      entry = { handlers: new Set(), subscribed };
      this.runs.set(runId, entry);
    }
    entry.handlers.add(handlers);
    await entry.subscribed;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const current = this.runs.get(runId);
      if (!current) return;
      current.handlers.delete(handlers);
      if (current.handlers.size === 0) {
        this.runs.delete(runId);
        this.sub.unsubscribe(this.runChannel(runId)).catch(() => undefined);
      }
    };
  }

  requestCancel(signal: CancelSignal): void {
    this.publish(this.cancelChannel, JSON.stringify(signal));
  }

  onCancel(handler: (signal: CancelSignal) => void): void {
    this.cancelHandlers.push(handler);
  }

  wake(threadId: string): void {
    this.publish(this.wakeChannel, threadId);
  }

  onWake(handler: (threadId: string) => void): void {
    this.wakeHandlers.push(handler);
  }

  runEnded(runId: string): void {
    this.publish(this.endedChannel, runId);
  }

  onRunEnded(handler: (runId: string) => void): void {
    this.endedHandlers.push(handler);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.warnTimer);
    this.settleOpen?.();
    this.runs.clear();
    await Promise.all([shut(this.pub), shut(this.sub)]);
  }

  private runChannel(runId: string): string {
    return `${this.prefix}run:${runId}`;
  }

  private publish(channel: string, message: string): void {
    if (this.closed || this.pub.status !== "ready") return;
    this.pub.publish(channel, message).catch(() => undefined);
  }

  /** Tracks one connection's health; 'ready' is handled by the caller, since the subscriber has more to do. */
  private watch(conn: Redis, setReady: (ready: boolean) => void): void {
    const down = () => {
      setReady(false);
      this.update();
    };
    conn.on("close", down);
    conn.on("end", down);
    // ioredis emits 'error' on every failed reconnect; having a listener is what keeps them from
    // being unhandled, and we log only on the up/down transitions in update().
    conn.on("error", (err: Error) => {
      this.lastError = err;
      if (conn.status !== "ready") setReady(false);
      this.settleOpen?.();
      this.update();
    });
  }

  /** After every (re)connect of the subscriber: the shared channels and every followed run, then `live`. */
  private async resubscribe(): Promise<void> {
    const channels = [this.cancelChannel, this.wakeChannel, this.endedChannel];
    for (const runId of this.runs.keys()) channels.push(this.runChannel(runId));
    try {
      await this.sub.subscribe(...channels);
    } catch {
      return; // dropped again before it was done; the next 'ready' tries again
    }
    if (this.sub.status !== "ready") return;
    this.subReady = true;
    this.update();
  }

  private update(): void {
    if (this.closed) return;
    if (this.live) {
      this.settleOpen?.();
      if (this.warnTimer) this.flushWarn();
      if (this.reported === "down") {
        this.logger.info("redis available again; runs across processes are signalled through it");
      } else if (this.reported === "unknown") {
        this.logger.info({ prefix: this.prefix }, "redis connected for cluster signals");
      }
      this.reported = "up";
      this.lastError = undefined;
      return;
    }
    if (this.reported === "down") return;
    if (this.lastError) {
      this.flushWarn();
    } else if (this.reported === "up" && !this.warnTimer) {
      // Only a drop of a working connection; before the first connect, not being live is just starting up.
      this.warnTimer = setTimeout(() => this.flushWarn(), WARN_WAIT_MS);
      this.warnTimer.unref();
    }
  }

  private flushWarn(): void {
    clearTimeout(this.warnTimer);
    this.warnTimer = undefined;
    if (this.reported === "down" || this.closed) return;
    this.reported = "down";
    const err = this.lastError ?? new Error("connection closed");
    this.logger.warn({ err }, "redis unavailable; runs across processes fall back to polling the database");
  }

  private dispatch(channel: string, message: string): void {
    try {
      if (channel === this.cancelChannel) {
        const signal = JSON.parse(message) as CancelSignal;
        for (const handler of this.cancelHandlers) this.call(() => handler(signal));
      } else if (channel === this.wakeChannel) {
        for (const handler of this.wakeHandlers) this.call(() => handler(message));
      } else if (channel === this.endedChannel) {
        for (const handler of this.endedHandlers) this.call(() => handler(message));
      } else if (channel.startsWith(`${this.prefix}run:`)) {
        const entry = this.runs.get(channel.slice(this.prefix.length + 4));
        if (!entry) return;
        const parsed = JSON.parse(message) as RunMessage;
        // A copy: a handler that unsubscribes (typically from onEnd) must not upset this loop.
        for (const handlers of [...entry.handlers]) {
          if (parsed.events) this.call(() => handlers.onEvents(parsed.events!));
          if (parsed.end) this.call(() => handlers.onEnd());
        }
      }
    } catch (err) {
      this.logger.warn({ err, channel }, "unreadable cluster signal ignored");
    }
  }

  /** One handler's failure must not keep the others (or the subscriber's event loop) from running. */
  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.logger.error({ err }, "cluster signal handler failed");
    }
  }
}

/** QUIT when connected (lets the server drop us cleanly), then disconnect regardless, so retries stop. */
async function shut(conn: Redis): Promise<void> {
  try {
    if (conn.status === "ready") {
      await Promise.race([conn.quit(), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    }
  } catch {
    // quitting is best effort
  }
  conn.disconnect();
}
