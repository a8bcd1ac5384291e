/**
 * A background task run every `intervalMs`, one run at a time (a run that takes longer than the
 * interval delays the next rather than overlapping it), its failures logged, and a stop that waits for
 * the run in progress. The timer does not keep the process alive. The sweepers and the cron scheduler
 * run on one each.
 */
import type { Logger } from "../../logger.ts";

export class PeriodicTask {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly intervalMs: number,
    private readonly task: () => Promise<unknown>,
    private readonly logger: Logger,
    /** For the log: "thread TTL sweep failed", … */
    private readonly failure: string,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.running = this.running.then(() =>
        this.task().catch((err: unknown) => this.logger.error({ err }, this.failure)),
      );
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
