/**
 * RunQueue: decides when each run starts. Runs of one thread execute one at a
 * time, in creation order; a run with `after_seconds` waits until it is due.
 * Starting is immediate (no polling): the queue is kicked whenever a run is
 * created, ends, or is cancelled while pending, and a timer covers delayed runs. A run is claimed with
 * this worker's lease (stores/leases.ts): where processes share the database, the claim is what keeps
 * one run per thread running across all of them, and another process's signal (or its sweep) kicks.
 */
import type { Logger } from "../../logger.ts";
import type { RunRecord, Stores } from "../../stores/types.ts";
import type { AssistantDirectory } from "../assistants/directory.ts";
import type { GraphRegistry } from "../graphs/registry.ts";
import type { StreamHub } from "../streams/hub.ts";
import { executeRun, type ActiveRun } from "./executor.ts";
import { errorInfo } from "../graphs/run.ts";
import { toJson } from "../shared/serialize.ts";
import { planRun } from "./plan.ts";
import type { RunOutcome, RunWaiters } from "./waiters.ts";
import type { WebhookSender } from "../webhooks/sender.ts";
import type { GraphExecutor } from "../graphs/executor.ts";
import type { RunTurns } from "../graphs/turns.ts";
import type { LeaseKeeper } from "./leases.ts";

export interface RunQueueDeps {
  stores: Stores;
  registry: GraphRegistry;
  assistants: AssistantDirectory;
  streams: StreamHub;
  waiters: RunWaiters;
  webhooks: WebhookSender;
  logger: Logger;
  executor: GraphExecutor;
  turns: RunTurns;
  leases: LeaseKeeper;
}

/** The longest delay a Node timer keeps (2^31-1 ms); longer ones fire after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** When a pending run may start (ms since epoch). */
export function dueAt(run: RunRecord): number {
  const delay = Number((run.kwargs as { after_seconds?: number | null }).after_seconds ?? 0);
  return Date.parse(run.created_at) + Math.max(0, delay) * 1000;
}

/**
 * A run that cannot start when its turn comes: its assistant was deleted while it was pending (a run
 * reads its assistant when it starts). It ends as an error naming why; nothing crashed.
 */
class RunCannotStart extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export class RunQueue {
  /** The run executing on each thread. */
  private readonly executing = new Map<string, ActiveRun>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Threads with a pump in progress, and whether another was asked for meanwhile. */
  private readonly pumping = new Map<string, boolean>();
  private stopped = false;

  constructor(private readonly deps: RunQueueDeps) {}

  activeRun(runId: string): ActiveRun | undefined {
    for (const active of this.executing.values()) if (active.run.run_id === runId) return active;
    return undefined;
  }

  /** Claims in flight: each settles with the run's executor once it is registered (undefined: not claimed). */
  private readonly claiming = new Map<string, Promise<ActiveRun | undefined>>();

  /**
   * The run's executor here, waiting for a claim of it in flight: a cancel that finds the run claimed
   * in the store (its status moved on) finds its executor once the claim's answer has been read.
   */
  async activeOrClaimed(runId: string): Promise<ActiveRun | undefined> {
    return this.activeRun(runId) ?? (await this.claiming.get(runId));
  }

  /**
   * Whether a run admitted now on an idle thread may start at once, claimed as it is stored
   * (`running`) with no separate claim: this process is not stopping and has no executor on the thread
   * (one that is still settling would otherwise be replaced).
   */
  mayStartAtOnce(threadId: string): boolean {
    return !this.stopped && !this.executing.has(threadId) && !this.pumping.has(threadId);
  }

  /** Starts a run that was stored already `running` with this worker's lease, epoch 1 (see `mayStartAtOnce`). */
  startClaimed(run: RunRecord): void {
    if (run.status !== "running" || this.executing.has(run.thread_id)) {
      throw new Error(`run ${run.run_id} cannot start at once (status ${run.status})`);
    }
    this.start(run, 1);
  }

  /** Whether this process is no longer starting runs. */
  get stopping(): boolean {
    return this.stopped;
  }

  /** Look at a thread's queue and start its next run if it may. */
  kick(threadId: string): void {
    if (this.stopped) return;
    if (this.pumping.has(threadId)) {
      this.pumping.set(threadId, true);
      return;
    }
    this.pumping.set(threadId, false);
    void this.pump(threadId)
      .catch((err) => this.deps.logger.error({ err, thread_id: threadId }, "run queue failed"))
      .finally(() => {
        const again = this.pumping.get(threadId);
        this.pumping.delete(threadId);
        if (again) this.kick(threadId);
      });
  }

  private async pump(threadId: string): Promise<void> {
    if (this.executing.has(threadId)) return;
    const { stores } = this.deps;
    const active = await stores.runs.activeForThread(threadId); // oldest first
    if (active.some((r) => r.status === "running")) return; // another worker's, or settling
    const pending = active
      .filter((r) => r.status === "pending")
      .sort((a, b) => dueAt(a) - dueAt(b) || a.run_id.localeCompare(b.run_id));
    if (pending.length === 0) return;
    const now = Date.now();
    const next = pending[0];
    if (dueAt(next) > now) {
      this.schedule(threadId, dueAt(next) - now);
      return;
    }
    const { leases } = this.deps;
    let settle!: (active: ActiveRun | undefined) => void;
    this.claiming.set(next.run_id, new Promise((resolve) => (settle = resolve)));
    let claimed: Awaited<ReturnType<Stores["leases"]["claim"]>>;
    try {
      claimed = await stores.leases.claim(next.run_id, threadId, leases.workerId, leases.settings.leaseMs);
      if (claimed) this.start({ ...next, status: "running", attempt: claimed.attempt }, claimed.epoch);
    } finally {
      this.claiming.delete(next.run_id);
      settle(this.activeRun(next.run_id));
    }
    if (!claimed) {
      // Cancelled meanwhile, or another worker claimed a run of the thread first: look again.
      if ((await stores.runs.get(next.run_id))?.status === "pending") return;
      return this.pump(threadId);
    }
  }

  /**
   * Looks at the thread again in `delayMs`. A Node timer reaches 2^31-1 ms (24.8 days) at most; a longer
   * delay would fire after 1 ms (and the queue spin), so a far-off run is looked at when the longest timer
   * fires, which arms the next one for what is left.
   */
  private schedule(threadId: string, delayMs: number): void {
    clearTimeout(this.timers.get(threadId));
    const timer = setTimeout(
      () => {
        this.timers.delete(threadId);
        this.kick(threadId);
      },
      Math.min(delayMs, MAX_TIMER_MS),
    );
    timer.unref();
    this.timers.set(threadId, timer);
  }

  private start(run: RunRecord, epoch: number): void {
    const { stores, assistants, waiters, logger, leases, streams } = this.deps;
    let resolveDone!: (o: RunOutcome) => void;
    leases.hold(run.run_id, epoch);
    const active: ActiveRun = {
      run,
      epoch,
      controller: new AbortController(),
      cancelAction: null,
      removeOnRollback: false,
      done: new Promise<RunOutcome>((resolve) => (resolveDone = resolve)),
    };
    this.executing.set(run.thread_id, active);

    const execute = async (): Promise<RunOutcome> => {
      // Its log is open here unless another process admitted it, or this is a later attempt.
      await streams.reopen(run.run_id);
      streams.setEpoch(run.run_id, epoch);
      if (run.attempt > 1) streams.publish(run.run_id, "metadata", { run_id: run.run_id, attempt: run.attempt });
      const thread = await stores.threads.get(run.thread_id);
      // The assistant as it is when the run starts: its latest version's config and context.
      const assistant = await assistants.resolve(run.assistant_id);
      if (!thread) throw new Error("the run's thread no longer exists");
      if (!assistant) {
        throw new RunCannotStart(
          "AssistantDeleted",
          `assistant ${run.assistant_id} was deleted while this run was pending, so it cannot start`,
        );
      }
      return executeRun(this.deps, active, planRun(run, thread, assistant, logger));
    };
    // Whatever fails, the run ends, its thread settles, its waiters wake and the thread's next run may start.
    void (async () => {
      let outcome: RunOutcome;
      try {
        outcome = await execute();
      } catch (err) {
        if (err instanceof RunCannotStart) logger.warn({ run_id: run.run_id, reason: err.message }, "run cannot start");
        else logger.error({ err, run_id: run.run_id }, "run executor crashed");
        outcome = await this.endCrashed(active, err);
      }
      this.executing.delete(run.thread_id);
      leases.release(run.run_id);
      if (outcome.handedBack) {
        // Not ended: another worker (or the next start) resumes it; this process is stopping.
        resolveDone(outcome);
        waiters.settle(run.run_id, outcome);
        return;
      }
      leases.settings.signals.runEnded(run.run_id);
      leases.settings.signals.wake(run.thread_id);
      try {
        await this.afterRun(outcome);
      } catch (err) {
        logger.error({ err, run_id: run.run_id }, "after-run handling failed");
      }
      resolveDone(outcome);
      waiters.settle(run.run_id, outcome);
      this.kick(run.thread_id);
    })();
  }

  /**
   * The last resort for a run whose executor failed, or that cannot start: the run ends as `error` and
   * its thread settles (`error`, or `busy` while it has other runs), in one write; never throws.
   */
  private async endCrashed(active: ActiveRun, err: unknown): Promise<RunOutcome> {
    const { stores, streams, logger } = this.deps;
    const { run } = active;
    const failure = errorInfo(err);
    let ended: RunRecord | null = null;
    try {
      // Its graph has stopped: later writes of the run are dropped (and with a rollback, its checkpoints go).
      if (active.cancelAction === "rollback")
        await stores.checkpointAdmin.deleteRunCheckpoints(run.thread_id, run.run_id);
      else await stores.checkpointAdmin.releaseRun(run.run_id);
      ended = await stores.lifecycle.finish({
        run_id: run.run_id,
        thread_id: run.thread_id,
        from: ["pending", "running"],
        to: "error",
        patch: { error: `${failure.error}: ${failure.message}` },
        journal: [],
        epoch: active.epoch,
        // A run that had already ended left its thread as its end did.
        thread: (activeRuns, moved) => (moved ? { status: activeRuns > 0 ? "busy" : "error" } : {}),
      });
    } catch (storeErr) {
      logger.error({ err: storeErr, run_id: run.run_id }, "could not store the end of a crashed run");
    }
    try {
      streams.publishJson(run.run_id, "error", toJson(failure));
      await streams.finish(run.run_id);
    } catch (streamErr) {
      logger.error({ err: streamErr, run_id: run.run_id }, "could not finish the stream of a crashed run");
    }
    return { run: ended ?? run, values: { __error__: failure } };
  }

  /** Temporary threads of stateless runs go away; webhooks fire. */
  private async afterRun({ run, values }: RunOutcome): Promise<void> {
    const { stores, webhooks } = this.deps;
    const kwargs = run.kwargs as { webhook?: string | null; temporary?: boolean; on_completion?: string | null };
    if (kwargs.webhook) webhooks.send(kwargs.webhook, run, values);
    if (kwargs.temporary && (kwargs.on_completion ?? "delete") === "delete") {
      const others = (await stores.runs.activeForThread(run.thread_id)).filter((r) => r.run_id !== run.run_id);
      if (others.length === 0) {
        await stores.threads.delete(run.thread_id); // with its checkpoints
      }
    }
  }

  /**
   * Stops starting runs (pending ones stay pending, for the next start), gives those executing
   * `graceMs` to end by themselves, then stops the rest as shut down; resolves when all have ended.
   */
  async stop(graceMs = 0): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    if (graceMs > 0 && this.executing.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const ended = Promise.all([...this.executing.values()].map((a) => a.done));
      await Promise.race([ended, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    // Also runs admitted (already claimed) while the grace period ran.
    for (let running = [...this.executing.values()]; running.length; running = [...this.executing.values()]) {
      for (const active of running) {
        active.cancelAction ??= "shutdown";
        active.controller.abort(new Error("server shutting down"));
      }
      await Promise.all(running.map((a) => a.done));
    }
  }
}
