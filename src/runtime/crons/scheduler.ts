/**
 * The cron scheduler: every tick, each enabled cron whose `next_run_date` has come starts one ordinary
 * run through the run manager's admission (listed, streamable, cancellable, its multitask strategy
 * applied, webhooks as usual). The slot is claimed in the admission's own transaction, by
 * compare-and-set on `next_run_date` (AdmitOptions.cronSlot), so ticks that race each other, or a
 * restart in between, never start one slot twice. The next slot is the first after now, so slots
 * missed while the server was down fire once, on the first tick after boot. A slot whose run is
 * refused (its thread busy under `reject`, the assistant or thread gone) is skipped, not retried.
 */
import type { Logger } from "../../logger.ts";
import { ApiError } from "../../http/errors.ts";
import type { Access } from "../../auth/access.ts";
import type { CronRecord, CronSlot } from "../../stores/crons.ts";
import type { RunRecord, Stores } from "../../stores/types.ts";
import { SlotTaken, type RunRequest } from "../runs/admission.ts";
import { nextSlot } from "./schedule.ts";
import { PeriodicTask } from "../shared/periodic.ts";

/** How a cron's run is admitted: the run manager's creates, with the slot to claim. */
export interface CronRunStarter {
  create(threadId: string, body: RunRequest, access: Access, opts: { slot: CronSlot }): Promise<RunRecord>;
  createStateless(body: RunRequest, access: Access, opts: { slot: CronSlot }): Promise<RunRecord>;
}

export interface CronSchedulerOptions {
  /** Milliseconds between ticks (THREADGATE_CRON_TICK_MS). */
  tickMs: number;
  /** Crons fired per tick at most (the rest on the next). */
  batch?: number;
  /** What time it is (tests pass a clock of their own). */
  clock?: () => Date;
}

export class CronScheduler {
  private readonly periodic: PeriodicTask;
  private readonly clock: () => Date;

  constructor(
    private readonly stores: Stores,
    private readonly runs: CronRunStarter,
    private readonly logger: Logger,
    private readonly opts: CronSchedulerOptions,
  ) {
    this.clock = opts.clock ?? (() => new Date());
    this.periodic = new PeriodicTask(opts.tickMs, () => this.tick(), logger, "cron tick failed");
  }

  /** Ticks every `tickMs`, one tick at a time. */
  start(): void {
    this.periodic.start();
  }

  /** Stops the timer and waits for a tick in progress. */
  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** One tick: fires every cron due by now (up to the batch); the runs it started. */
  async tick(): Promise<RunRecord[]> {
    const now = this.clock();
    const due = await this.stores.crons.due(now.toISOString(), this.opts.batch ?? 100);
    const started: RunRecord[] = [];
    for (const cron of due) {
      const run = await this.fire(cron, now);
      if (run) started.push(run);
    }
    return started;
  }

  /** Starts the run of the cron's due slot, claiming it; null when no run was started. */
  private async fire(cron: CronRecord, now: Date): Promise<RunRecord | null> {
    const slot: CronSlot = { cron_id: cron.cron_id, due: cron.next_run_date!, next: this.following(cron, now) };
    if (cron.end_time !== null && Date.parse(slot.due) > Date.parse(cron.end_time)) {
      await this.stores.crons.claim({ ...slot, next: null }); // over: end_time was moved before this slot
      return null;
    }
    const body = { ...cron.payload, assistant_id: cron.assistant_id } as RunRequest;
    const access = cron.access as unknown as Access;
    try {
      const run =
        cron.thread_id === null
          ? await this.runs.createStateless({ ...body, on_completion: cron.on_run_completed ?? "delete" }, access, {
              slot,
            })
          : await this.runs.create(cron.thread_id, body, access, { slot });
      this.logger.info({ cron_id: cron.cron_id, run_id: run.run_id, slot: slot.due }, "cron started a run");
      return run;
    } catch (err) {
      if (err instanceof SlotTaken) return null; // another tick started this slot's run
      if (err instanceof ApiError && err.status === 503) return null; // shutting down: the next start fires it
      // Refused before or in its admission: the slot is skipped (claimed without a run, if it is not yet).
      await this.stores.crons.claim(slot);
      const level = err instanceof ApiError && err.status < 500 ? "warn" : "error";
      this.logger[level]({ err, cron_id: cron.cron_id, slot: slot.due }, "cron slot skipped: its run was refused");
      return null;
    }
  }

  /** The slot after `now` (not after the due one: missed slots are not made up one by one). */
  private following(cron: CronRecord, now: Date): string | null {
    try {
      return nextSlot(cron, now, cron.end_time);
    } catch (err) {
      this.logger.error({ err, cron_id: cron.cron_id }, "cron schedule cannot be read; it stops");
      return null;
    }
  }
}
