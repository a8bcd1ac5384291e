/**
 * Thread time to live, as LangGraph servers read it from langgraph.json's `checkpointer.ttl`
 * (`strategy`, `default_ttl` and `sweep_interval_minutes`, `sweep_limit`), and the sweeper that
 * applies it: a thread with a TTL expires that many minutes after its last update, and is then
 * deleted (`delete`) or cut down to its latest checkpoint (`keep_latest`). A thread a run is pending
 * or running on is never swept; it expires again after the run's last update.
 */
import fs from "node:fs/promises";
import type { Logger } from "../../logger.ts";
import type { Stores, ThreadTtl, ThreadTtlStrategy } from "../../stores/types.ts";
import type { RunManager } from "../runs/manager.ts";

export type TtlSpec = Pick<ThreadTtl, "strategy" | "minutes">;

export interface ThreadTtlSettings {
  /** Given to threads created without a `ttl` of their own (null: such threads live forever). */
  defaultTtl: TtlSpec | null;
  /** Between two sweeps. */
  sweepIntervalMs: number;
  /** Threads swept at most per sweep (the rest wait for the next). */
  sweepLimit: number;
}

/** LangGraph's defaults: a sweep every 5 minutes, no default TTL. */
export const DEFAULT_TTL_SETTINGS: ThreadTtlSettings = {
  defaultTtl: null,
  sweepIntervalMs: 5 * 60_000,
  sweepLimit: 1000,
};

const STRATEGIES: readonly ThreadTtlStrategy[] = ["delete", "keep_latest"];

function positive(value: unknown, where: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0)
    throw new Error(`${where} must be a positive number of minutes, got ${JSON.stringify(value)}`);
  return value;
}

/** `checkpointer.ttl` of a parsed langgraph.json, checked (an error names the key at fault). */
export function ttlSettingsFrom(checkpointer: unknown, file: string): ThreadTtlSettings {
  const ttl = (checkpointer as { ttl?: unknown } | null | undefined)?.ttl;
  if (ttl === undefined || ttl === null) return DEFAULT_TTL_SETTINGS;
  if (typeof ttl !== "object") throw new Error(`${file}: "checkpointer.ttl" must be an object`);
  const { strategy = "delete", default_ttl, sweep_interval_minutes, sweep_limit } = ttl as Record<string, unknown>;
  if (!STRATEGIES.includes(strategy as ThreadTtlStrategy))
    throw new Error(`${file}: "checkpointer.ttl.strategy" must be one of ${STRATEGIES.join(", ")}`);
  const settings = { ...DEFAULT_TTL_SETTINGS };
  if (default_ttl !== undefined && default_ttl !== null) {
    const minutes = positive(default_ttl, `${file}: "checkpointer.ttl.default_ttl"`);
    settings.defaultTtl = { strategy: strategy as ThreadTtlStrategy, minutes };
  }
  if (sweep_interval_minutes !== undefined && sweep_interval_minutes !== null) {
    settings.sweepIntervalMs =
      positive(sweep_interval_minutes, `${file}: "checkpointer.ttl.sweep_interval_minutes"`) * 60_000;
  }
  if (sweep_limit !== undefined && sweep_limit !== null) {
    if (!Number.isInteger(sweep_limit) || (sweep_limit as number) < 1)
      throw new Error(`${file}: "checkpointer.ttl.sweep_limit" must be a positive integer`);
    settings.sweepLimit = sweep_limit as number;
  }
  return settings;
}

/** The TTL settings of the langgraph.json at `file`. */
export async function readTtlSettings(file: string): Promise<ThreadTtlSettings> {
  const raw = JSON.parse(await fs.readFile(file, "utf8")) as { checkpointer?: unknown };
  return ttlSettingsFrom(raw.checkpointer, file);
}

/** A request's `ttl` (`{ttl: minutes, strategy?}`) as stored; `strategy` defaults to `delete`, as LangGraph's does. */
export function ttlOfRequest(ttl: { ttl: number; strategy?: ThreadTtlStrategy } | null): TtlSpec | null {
  return ttl === null ? null : { strategy: ttl.strategy ?? "delete", minutes: ttl.ttl };
}

export interface SweepResult {
  deleted: number;
  pruned: number;
}

/**
 * Sweeps expired threads every `sweepIntervalMs`, each under its thread's admission lock (no run starts
 * on a thread while it is swept) and only if it is still expired and idle then.
 */
export class ThreadTtlSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly stores: Stores,
    private readonly lock: Pick<RunManager, "exclusive">,
    private readonly settings: ThreadTtlSettings,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.running = this.running.then(() =>
        this.sweep().catch((err: unknown) => this.logger.error({ err }, "thread TTL sweep failed")),
      );
    }, this.settings.sweepIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a sweep in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One sweep: the threads expired by now, up to the limit. */
  async sweep(now = new Date()): Promise<SweepResult> {
    const result: SweepResult = { deleted: 0, pruned: 0 };
    const expired = await this.stores.threads.expired(now.toISOString(), this.settings.sweepLimit);
    for (const candidate of expired) {
      await this.lock.exclusive(candidate.thread_id, async () => {
        // Read again under the lock: a run or an update meanwhile moved the expiry, or the thread went.
        const thread = await this.stores.threads.get(candidate.thread_id);
        const expiresAt = thread?.ttl?.expires_at;
        if (!thread?.ttl || !expiresAt || Date.parse(expiresAt) > now.getTime()) return;
        if ((await this.stores.runs.activeForThread(thread.thread_id)).length > 0) return;
        if (thread.ttl.strategy === "delete") {
          if (await this.stores.threads.delete(thread.thread_id)) result.deleted += 1;
          return;
        }
        await this.stores.checkpointAdmin.keepLatestCheckpoints(thread.thread_id);
        await this.stores.threads.clearExpiry(thread.thread_id, expiresAt);
        result.pruned += 1;
      });
    }
    if (result.deleted || result.pruned) this.logger.info(result, "thread TTL sweep");
    return result;
  }
}
