/**
 * RunManager: admission (assistant, thread, multitask strategy), stateless and
 * batch runs, cancellation, waiting for runs to end, deleting runs, and
 * recovery of runs a previous process left behind. Execution order is the
 * RunQueue's business; what a run does is the executor's.
 */
import { v4 as uuidv4 } from "uuid";
import type { Logger } from "../../logger.ts";
import {
  isActiveRunStatus,
  type IdempotencyClaim,
  type Json,
  type NewRun,
  type RunRecord,
  type Stores,
  type ThreadTtl,
} from "../../stores/types.ts";
import { ApiError, ConflictError, NotFoundError } from "../../http/errors.ts";
import type { Assistant, AssistantDirectory } from "../assistants/directory.ts";
import type { GraphRegistry } from "../graphs/registry.ts";
import type { StreamHub } from "../streams/hub.ts";
import { recoverRuns } from "./recovery.ts";
import { ROLLED_BACK, type ClientCancelAction } from "../graphs/run.ts";
import type { GraphExecutor } from "../graphs/executor.ts";
import type { RunTurns } from "../graphs/turns.ts";
import { RunQueue } from "./queue.ts";
import { ThreadLocks } from "./thread-locks.ts";
import { runsToCancel, type CancelManyQuery } from "./cancel-many.ts";
import { RunWaiters, type RunOutcome } from "./waiters.ts";
import { atBatchIndex, isDelayed, newRunFor, refusal, statelessKwargs, validateRun } from "./admission.ts";
import type { RunExtras, RunRequest, StatelessExtras } from "./admission.ts";
import type { CronSlot } from "../../stores/crons.ts";
import { DEFAULT_WEBHOOK_OPTIONS, WebhookSender, type WebhookOptions } from "../webhooks/sender.ts";
import { stampedMetadata, type Access } from "../../auth/access.ts";
import { threadNotFound } from "../threads/access.ts";
import { RunIdempotency } from "./idempotency.ts";
import { DEFAULT_IDEMPOTENCY_TTL_SECONDS } from "../../config.ts";
import { RunCluster } from "./cluster.ts";
import { RunEnds, TERMINAL } from "./run-ends.ts";
import { workerSettings, type WorkerSettings } from "./leases.ts";
import { NoSignals } from "../../cluster/signals.ts";

type NewThreadTtl = Pick<ThreadTtl, "strategy" | "minutes">;

export type CancelOutcome = "stopped" | "requested";

export interface RunManagerDeps {
  stores: Stores;
  registry: GraphRegistry;
  assistants: AssistantDirectory;
  streams: StreamHub;
  logger: Logger;
  /** Where graphs run: worker threads or this thread. */
  executor: GraphExecutor;
  /** Time slicing between executing runs (in process) or settling runs, and everything else on the event loop. */
  turns: RunTurns;
  webhookOptions?: WebhookOptions;
  /** The time to live of the threads runs create (`if_not_exists: create`, stateless runs): the server's default. */
  newThreadTtl?: NewThreadTtl | null;
  /** How long an `Idempotency-Key` answers retries (THREADGATE_IDEMPOTENCY_TTL_SECONDS). */
  idempotencyTtlSeconds?: number;
  /** This process as a worker: leases, and whether other processes share the database (default: alone). */
  worker?: WorkerSettings;
}

function isRolledBack(run: RunRecord): boolean {
  return run.status === "error" && run.error === ROLLED_BACK;
}

/** The temporary or `if_not_exists: create` thread a caller's run makes: the caller's, stamped as its creates are. */
function newThreadOf(access: Access, ttl: NewThreadTtl | null) {
  return { metadata: stampedMetadata(access, {}), owner_id: access.owner_id, ttl };
}

export class RunManager {
  private readonly waiters = new RunWaiters();
  private readonly webhooks: WebhookSender;
  private readonly queue: RunQueue;
  private readonly idempotency: RunIdempotency;
  private readonly locks = new ThreadLocks();
  private readonly cluster: RunCluster;
  private readonly ends: RunEnds;
  /** Set by close(): new runs are refused (503, Retry-After this many seconds). */
  private closing: { retryAfterSeconds: number } | null = null;

  constructor(private readonly deps: RunManagerDeps) {
    this.webhooks = new WebhookSender(deps.logger, deps.webhookOptions ?? DEFAULT_WEBHOOK_OPTIONS);
    const worker = deps.worker ?? workerSettings({ signals: new NoSignals() });
    this.cluster = new RunCluster({
      ...deps,
      worker,
      waiters: this.waiters,
      kick: (threadId) => this.queue.kick(threadId),
      stopHere: (runId, action) => {
        const active = this.queue.activeRun(runId);
        if (!active) return;
        active.cancelAction ??= action;
        active.controller.abort(new Error(action === "lost" ? "lease lost" : `run cancelled (${action})`));
      },
    });
    const leases = this.cluster.keeper;
    this.queue = new RunQueue({ ...deps, waiters: this.waiters, webhooks: this.webhooks, leases });
    const { stores, streams } = deps;
    this.ends = new RunEnds({ stores, streams, queue: this.queue, waiters: this.waiters, cluster: this.cluster });
    const ttl = deps.idempotencyTtlSeconds ?? DEFAULT_IDEMPOTENCY_TTL_SECONDS;
    this.idempotency = new RunIdempotency(deps.stores, ttl, deps.logger);
  }

  /**
   * Validates, stores and queues a run on a thread (a cron's `slot`; server-side `kwargs`), or answers
   * the run an earlier request with the same `idempotencyKey` made. Throws 404/409/422.
   */
  async create(threadId: string, body: RunRequest, access: Access, opts: RunExtras = {}): Promise<RunRecord> {
    this.refuseIfClosing();
    // Whether the thread is the caller's comes first: another user's thread says nothing of its checkpoints.
    if (body.if_not_exists !== "create" && !(await this.deps.stores.threads.get(threadId, access.scope))) {
      throw threadNotFound(threadId);
    }
    const { key, earlier } = await this.idempotency.lookup(opts.idempotencyKey, access, { thread_id: threadId }, body);
    if (earlier) return earlier[0];
    const assistant = await this.validate(threadId, body, access);
    const kwargs = opts.kwargs ?? {};
    return this.exclusive(threadId, () => this.admit(threadId, assistant, body, kwargs, access, opts.slot, key));
  }

  /**
   * A run on a temporary thread of its own; the thread goes away after it unless `on_completion: keep`.
   * The thread is created in the run's own admission, so a rejected run leaves none behind.
   */
  async createStateless(body: RunRequest, access: Access, opts: StatelessExtras = {}): Promise<RunRecord> {
    this.refuseIfClosing();
    const { key, earlier } = await this.idempotency.lookup(opts.idempotencyKey, access, "stateless", body);
    if (earlier) return earlier[0];
    const threadId = uuidv4();
    const assistant = await this.validate(threadId, body, access);
    const request = { ...body, if_not_exists: "create" as const };
    return this.exclusive(threadId, () =>
      this.admit(threadId, assistant, request, statelessKwargs(body), access, opts.slot, key),
    );
  }

  /**
   * A stateless run for every element, all or none: every element is validated, then all runs are
   * stored, each with its temporary thread, in one transaction, and only then do they start.
   */
  async createBatch(bodies: RunRequest[], access: Access, idempotencyKey?: string): Promise<RunRecord[]> {
    this.refuseIfClosing();
    const { key, earlier } = await this.idempotency.lookup(idempotencyKey, access, "batch", bodies);
    if (earlier) return earlier;
    const checked: { threadId: string; assistant: Assistant; body: RunRequest }[] = [];
    for (const [index, body] of bodies.entries()) {
      const threadId = uuidv4();
      try {
        checked.push({ threadId, assistant: await this.validate(threadId, body, access), body });
      } catch (err) {
        throw atBatchIndex(err, index);
      }
    }
    const requests = checked.map(({ threadId, assistant, body }) => {
      const { run, thread } = newRunFor(threadId, assistant, body, statelessKwargs(body), this.deps.logger, access);
      // Each thread is new and idle: its run starts at once unless it is delayed.
      if (!isDelayed(body) && this.queue.mayStartAtOnce(threadId)) this.claimAtAdmission(run);
      return {
        run,
        thread,
        opts: { ifIdle: true, createThread: newThreadOf(access, this.deps.newThreadTtl ?? null), scope: access.scope },
      };
    });
    const admitted = await this.deps.streams.openWhile(
      requests.map(({ run }) => run.run_id),
      () => this.deps.stores.lifecycle.admitAll(requests, { idempotency: key }),
    );
    if (admitted.runs === null) {
      // Only a keyed batch is told its key was taken (by a request that was faster).
      if (admitted.refused === "key-taken") return this.idempotency.replay(key!, admitted.earlier);
      throw refusal(checked[admitted.index].threadId, admitted.refused);
    }
    for (const run of admitted.runs) this.launch(run);
    const queued = admitted.runs.filter((r) => r.status === "pending"); // delayed: the queue times them
    await this.detachQueued(queued);
    this.handToQueue(queued);
    return admitted.runs;
  }

  /** Everything that can be checked before anything is written (the webhook's address too). */
  async validate(threadId: string, body: RunRequest, access: Access): Promise<Assistant> {
    const assistant = await validateRun(this.deps, threadId, body, access);
    if (body.webhook) await this.webhooks.admit(body.webhook);
    return assistant;
  }

  /** The thread's admission lock (thread-locks.ts): admissions, and the state writes that must not race them. */
  exclusive<T>(threadId: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.exclusive(threadId, fn);
  }

  /**
   * Stores a run on its thread (creating the thread in the same transaction with `if_not_exists:
   * create`) and starts or queues it. Runs under the thread's admission lock. A cron's run claims its
   * `slot` in the same transaction (SlotTaken when another took it first); a request's `key` is stored
   * with it, or, when a faster request stored it first, that request's run is answered.
   */
  private async admit(
    threadId: string,
    assistant: Assistant,
    body: RunRequest,
    extraKwargs: Json,
    access: Access,
    cronSlot?: CronSlot,
    key?: IdempotencyClaim,
  ): Promise<RunRecord> {
    const { stores, logger } = this.deps;
    const kwargs = cronSlot ? { ...extraKwargs, cron_id: cronSlot.cron_id } : extraKwargs;
    const { run: newRun, thread } = newRunFor(threadId, assistant, body, kwargs, logger, access);
    const strategy = newRun.multitask_strategy;
    // The runs a newer run replaces (interrupt/rollback) are read before it goes in.
    const replacing = strategy === "interrupt" || strategy === "rollback" ? strategy : null;
    const before = replacing ? await stores.runs.activeForThread(threadId) : [];
    // With `reject` the run is admitted only on an idle thread; unless it is delayed, it is stored
    // already claimed (`running`), and starts without a trip through the queue.
    const ifIdle = strategy === "reject";
    if (ifIdle && !isDelayed(body) && this.queue.mayStartAtOnce(threadId)) this.claimAtAdmission(newRun);
    const createThread = body.if_not_exists === "create" ? newThreadOf(access, this.deps.newThreadTtl ?? null) : null;
    const opts = { ifIdle, createThread, scope: access.scope, cronSlot, idempotency: key };
    const admission = await this.deps.streams.openWhile([newRun.run_id], () =>
      stores.lifecycle.admit(newRun, thread, opts),
    );
    if (admission.run === null) {
      if (admission.refused === "key-taken") return (await this.idempotency.replay(key!, admission.earlier))[0];
      throw refusal(threadId, admission.refused, cronSlot?.cron_id);
    }
    // Started in the same turn as the store answered: a cancel that finds the run finds its executor.
    this.launch(admission.run);
    const queued = admission.run.status === "pending" ? [admission.run] : [];
    // Before anything can end on the thread (the runs it replaces) and start it here: see handToQueue.
    await this.detachQueued(queued);
    // The newer run replaces the ones in flight; it starts once they have stopped.
    if (replacing) await Promise.all(before.map((old) => this.stop(old, replacing, { removeOnRollback: true })));
    this.handToQueue(queued);
    return admission.run;
  }

  /** A run stored already `running`, with this worker's lease: it starts as soon as it is stored. */
  private claimAtAdmission(run: NewRun): void {
    run.status = "running";
    run.lease = { worker_id: this.cluster.keeper.workerId, lease_ms: this.cluster.keeper.settings.leaseMs };
  }

  /**
   * Where processes share the database any of them may start a pending run: its first event is stored
   * and its log leaves this process (the one that claims it opens it again), before the others are told.
   * A run this process already started (the queue claimed it meanwhile) keeps its log.
   */
  private async detachQueued(runs: RunRecord[]): Promise<void> {
    if (!this.cluster.shared) return;
    const waiting = runs.filter((r) => !this.queue.activeRun(r.run_id));
    await Promise.all(waiting.map((r) => this.deps.streams.detach(r.run_id)));
  }

  /** Pending runs go to the queue: this process's, and (with signals) the others'. */
  private handToQueue(runs: RunRecord[]): void {
    for (const r of runs) {
      if (this.cluster.shared) this.cluster.keeper.settings.signals.wake(r.thread_id);
      this.queue.kick(r.thread_id);
    }
  }

  /** Opens a stored run's stream and starts it if it was stored already claimed (`running`). */
  private launch(run: RunRecord): void {
    this.deps.streams.open(run.run_id);
    this.deps.streams.announce(run.thread_id);
    // The first event goes out with the response, not when the queue gets to the run.
    this.deps.streams.publish(run.run_id, "metadata", { run_id: run.run_id, attempt: 1 });
    if (run.status === "running") this.queue.startClaimed(run);
  }

  async get(threadId: string, runId: string, access: Access): Promise<RunRecord> {
    const run = await this.deps.stores.runs.get(runId, access.scope);
    if (!run || run.thread_id !== threadId) throw new NotFoundError("Run not found");
    return run;
  }

  /** The run as the API shows it, already serialised to JSON by the store. */
  async getJson(threadId: string, runId: string, access: Access): Promise<string> {
    const found = await this.deps.stores.runs.getJson(runId, access.scope);
    if (!found || found.thread_id !== threadId) throw new NotFoundError("Run not found");
    return found.json;
  }

  async getById(runId: string, access: Access): Promise<RunRecord> {
    const run = await this.deps.stores.runs.get(runId, access.scope);
    if (!run) throw new NotFoundError("Run not found");
    return run;
  }

  /**
   * Cancels a run. `stopped`: it has reached its final status (always so with wait);
   * `requested`: the running graph was told to stop and will shortly.
   */
  async cancel(
    threadId: string,
    runId: string,
    action: ClientCancelAction,
    wait: boolean,
    access: Access,
  ): Promise<CancelOutcome> {
    const run = await this.get(threadId, runId, access);
    if (run.status === "interrupted") return "stopped"; // idempotent
    if (TERMINAL.has(run.status)) throw new ConflictError(`Run ${runId} is not cancellable (status: ${run.status})`);
    const stopped = await this.stop(run, action, { removeOnRollback: false });
    // A run that ended on its own just before the rollback reached it keeps what it wrote: not rolled back.
    if (action === "rollback" && !(stopped && isRolledBack(stopped.run))) {
      const status = stopped?.run.status ?? (await this.get(threadId, runId, access)).status;
      throw new ConflictError(`Run ${runId} is not cancellable (status: ${status})`);
    }
    return wait ? "stopped" : "requested";
  }

  /**
   * A client that asked for it went away: interrupt the run if it is still
   * pending or running; a run that already ended is left as it is.
   */
  async cancelOnDisconnect(runId: string): Promise<void> {
    const run = await this.deps.stores.runs.get(runId);
    if (!run || !isActiveRunStatus(run.status)) return;
    this.deps.logger.info({ run_id: runId }, "client disconnected; cancelling run");
    await this.stop(run, "interrupt", { removeOnRollback: false });
  }

  /** Cancels every matching active run the caller may see; resolves when all have stopped. */
  async cancelMany(query: CancelManyQuery, action: ClientCancelAction, access: Access): Promise<void> {
    const runs = await runsToCancel(this.deps.stores, query, access);
    await Promise.all(runs.map((r) => this.stop(r, action, { removeOnRollback: false })));
  }

  /** Stops one run (see RunEnds.stop). */
  private stop(run: RunRecord, action: ClientCancelAction, opts: { removeOnRollback: boolean }) {
    return this.ends.stop(run, action, opts);
  }

  /** Deletes a finished run with its events, journal and checkpoints. */
  async delete(threadId: string, runId: string, access: Access): Promise<void> {
    const run = await this.get(threadId, runId, access);
    if (!TERMINAL.has(run.status)) throw new ConflictError(`Run ${runId} is ${run.status}; cancel it before deleting`);
    await this.deps.stores.checkpointAdmin.deleteRunCheckpoints(threadId, runId);
    await this.deps.stores.runs.delete(runId);
  }

  /** Resolves once the run has ended: its final record and what `runs/wait` answers. Null if it is gone. */
  waitForEnd(runId: string): Promise<RunOutcome | null> {
    return this.ends.waitForEnd(runId);
  }

  /**
   * Boot-time recovery: a run left `running` by a process that died is ended as
   * `error` with the reason (its checkpoints are kept, so the thread can go on);
   * pending runs — queued or delayed — are queued again (see recovery.ts).
   */
  async recover(): Promise<void> {
    const kick = (threadId: string) => this.queue.kick(threadId);
    if (!this.cluster.shared) await this.cluster.takeOverAll();
    await recoverRuns(this.deps, kick, { settleBusyThreads: !this.cluster.shared });
    this.cluster.start();
  }

  /**
   * A client behind a load balancer retries a 503 elsewhere; Retry-After says when this one may
   * be back. The JSON envelope as ever.
   */
  private refuseIfClosing(): void {
    if (!this.closing) return;
    throw new ApiError(503, "The server is shutting down and takes no new runs; retry shortly", {
      "Retry-After": String(this.closing.retryAfterSeconds),
    });
  }

  /**
   * Shutdown: refuses new runs; runs executing get `graceMs` to end, then end as `error`
   * (ServerShutdown, stop_reason `shutdown`) with their checkpoints kept; pending runs stay pending.
   */
  async close(graceMs = 0): Promise<void> {
    this.closing = { retryAfterSeconds: Math.min(86_400, Math.max(1, Math.ceil(graceMs / 1000))) };
    await this.queue.stop(graceMs);
    await this.cluster.stop();
    await this.webhooks.drain();
  }
}
