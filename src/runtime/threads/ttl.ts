/**
 * The sweeper of thread time to live (its settings: ttl-settings.ts): a thread with a TTL expires that many minutes after its last update, and is then
 * deleted (`delete`) or cut down to its latest checkpoint (`keep_latest`). A thread a run is pending
 * or running on is never swept; it expires again after the run's last update.
 */
import type { Logger } from "../../logger.ts";
import type { Stores } from "../../stores/types.ts";
import type { ThreadTtlSettings } from "./ttl-settings.ts";
import { PeriodicTask } from "../shared/periodic.ts";

/** The thread's admission lock (the run manager's): no run starts on a thread while `fn` runs. */
interface ThreadLock {
  exclusive<T>(threadId: string, fn: () => Promise<T>): Promise<T>;
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
  private readonly periodic: PeriodicTask;

  constructor(
    private readonly stores: Stores,
    private readonly lock: ThreadLock,
    private readonly settings: ThreadTtlSettings,
    private readonly logger: Logger,
  ) {
    this.periodic = new PeriodicTask(settings.sweepIntervalMs, () => this.sweep(), logger, "thread TTL sweep failed");
  }

  start(): void {
    this.periodic.start();
  }

  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void> {
    return this.periodic.stop();
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
