/**
 * The sweeper of store items' time to live (langgraph.json `store.ttl.sweep_interval_minutes`): every
 * interval it removes the items expired by then, `sweep_limit` at a time until none is left. Reads do
 * not wait for it: an expired item is gone for them at once (stores/store-items.ts).
 */
import type { Logger } from "../../logger.ts";
import type { StoreItemStore } from "../../stores/store-items.ts";
import type { StoreTtlSettings } from "./settings.ts";
import { PeriodicTask } from "../shared/periodic.ts";

export class StoreTtlSweeper {
  private readonly periodic: PeriodicTask;

  constructor(
    private readonly items: StoreItemStore,
    private readonly settings: StoreTtlSettings,
    private readonly logger: Logger,
  ) {
    this.periodic = new PeriodicTask(settings.sweepIntervalMs, () => this.sweep(), logger, "store TTL sweep failed");
  }

  start(): void {
    this.periodic.start();
  }

  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** One sweep: every item expired by `now`, in batches of `sweepLimit`; how many were removed. */
  async sweep(now = new Date()): Promise<number> {
    let removed = 0;
    for (;;) {
      const n = await this.items.sweepExpired(now, this.settings.sweepLimit);
      removed += n;
      if (n < this.settings.sweepLimit) break;
      await new Promise((resolve) => setImmediate(resolve)); // requests go between two batches
    }
    if (removed > 0) this.logger.info({ removed }, "store TTL sweep");
    return removed;
  }
}
