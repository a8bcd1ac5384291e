/**
 * The sweeper of store items' time to live (langgraph.json `store.ttl.sweep_interval_minutes`): every
 * interval it removes the items expired by then, `sweep_limit` at a time until none is left. Reads do
 * not wait for it: an expired item is gone for them at once (stores/store-items.ts).
 */
import type { Logger } from "../../logger.ts";
import type { StoreItemStore } from "../../stores/store-items.ts";
import type { StoreTtlSettings } from "./settings.ts";

export class StoreTtlSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly items: StoreItemStore,
    private readonly settings: StoreTtlSettings,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.running = this.running.then(() =>
        this.sweep().catch((err: unknown) => this.logger.error({ err }, "store TTL sweep failed")),
      );
    }, this.settings.sweepIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
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
