/**
 * Storage contracts. The runtime talks only to these interfaces; each backend
 * (SQLite now, Postgres later) implements all of them and passes the same
 * conformance tests. Every method is async so a networked backend fits.
 * Timestamps are ISO-8601 strings; JSON-ish fields are plain objects.
 */
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import type { Assert, Equals, Schema } from "../contract.ts";
import type { AccessScope } from "./access.ts";
import type { ApiKeyStore } from "./api-keys.ts";
import type { AssistantStore } from "./assistants.ts";
import type { StoreItemStore } from "./store-items.ts";
import type { FeedbackStore } from "./feedback.ts";
import type { CronSlot, CronStore } from "./crons.ts";
import type { ThreadTtl } from "./thread-ttl.ts";
import type { StreamEventStore } from "./stream-events.ts";
import type { IdempotencyKeyReads, KeyTaken, Keyed } from "./idempotency.ts";
import type { NewLease, RunLeaseStore } from "./leases.ts";
import type { JournalStore, NewJournalEntry } from "./journal.ts";

export type { ThreadTtl, ThreadTtlStrategy } from "./thread-ttl.ts";
export type { StreamEventRecord, StreamEventStore } from "./stream-events.ts";
export type { IdempotencyClaim, StoredKey } from "./idempotency.ts";
export type { JournalCategory, JournalEntry, JournalPageQuery, JournalStore, NewJournalEntry } from "./journal.ts";
export type {
  LeaseHold,
  LeaseRenewal,
  LeaseState,
  NewLease,
  ReclaimedRun,
  RequestedCancel,
  RunLeaseStore,
} from "./leases.ts";
export type Json = Record<string, unknown>;

export type ThreadStatus = "idle" | "busy" | "interrupted" | "error";
export type RunStatus = "pending" | "running" | "error" | "success" | "timeout" | "interrupted";
export type ActiveRunStatus = Extract<RunStatus, "pending" | "running">;
export const ACTIVE_RUN_STATUSES: readonly ActiveRunStatus[] = ["pending", "running"];
export function isActiveRunStatus(status: RunStatus): status is ActiveRunStatus {
  return (ACTIVE_RUN_STATUSES as readonly RunStatus[]).includes(status);
}
export type MultitaskStrategy = "reject" | "rollback" | "interrupt" | "enqueue";
// The statuses and strategies above are the spec's, value for value: the code branches on each, so one
// the spec adds (or drops) fails typecheck here until the code and the stores know it.
type _ThreadStatusesOfTheSpec = Assert<Equals<ThreadStatus, Schema<"ThreadStatus">>>;
type _RunStatusesOfTheSpec = Assert<Equals<RunStatus, Schema<"RunStatus">>>;
type _MultitaskStrategiesOfTheSpec = Assert<Equals<MultitaskStrategy, Schema<"MultitaskStrategy">>>;

export interface ThreadRecord {
  thread_id: string;
  created_at: string;
  updated_at: string;
  /** When the cached values last changed (a run's end, a state update, supersteps); else its creation. */
  state_updated_at: string;
  metadata: Json;
  status: ThreadStatus;
  config: Json;
  /** Latest state values, cached from the last checkpoint when a run ends. */
  values: Json | null;
  interrupts: Json;
  /** Owning user id; null = shared. Not exposed on the wire. */
  owner_id: string | null;
  /** The thread's time to live, if it has one. */
  ttl: ThreadTtl | null;
}

export interface TokenUsageByModel {
  [model: string]: { input_tokens: number; output_tokens: number; total_tokens: number; calls: number };
}

export interface RunTokenCounters {
  total_input_tokens: number;
  total_output_tokens: number;
  total_tokens: number;
  llm_call_count: number;
  lead_agent_tokens: number;
  subagent_tokens: number;
  middleware_tokens: number;
  token_usage_by_model: TokenUsageByModel;
  message_count: number;
}

export interface RunRecord extends RunTokenCounters {
  run_id: string;
  thread_id: string;
  assistant_id: string;
  created_at: string;
  updated_at: string;
  status: RunStatus;
  metadata: Json;
  /** The request as accepted: input, command, config, context, stream_mode, ... */
  kwargs: Json;
  multitask_strategy: MultitaskStrategy;
  error: string | null;
  stop_reason: string | null;
  /** 1, then + 1 each time the run is resumed after its worker died or handed it back (leases.ts). */
  attempt: number;
  owner_id: string | null;
}

export type NewThread = Pick<ThreadRecord, "thread_id" | "metadata"> &
  Partial<Pick<ThreadRecord, "status" | "config" | "owner_id" | "values" | "interrupts">> & {
    ttl?: Pick<ThreadTtl, "strategy" | "minutes"> | null;
  };

export type NewRun = Pick<
  RunRecord,
  "run_id" | "thread_id" | "assistant_id" | "metadata" | "kwargs" | "multitask_strategy"
> &
  Partial<Pick<RunRecord, "status" | "owner_id">> & {
    /** With `status: running`: the admitting worker's lease (epoch 1). */
    lease?: NewLease;
  };

/** Which threads a search or count takes: all of the given filters, within the scope. */
export interface ThreadFilter {
  metadata?: Json;
  /** Each key must be in the thread's cached latest values with a JSON-equal value (as `metadata`). */
  values?: Json;
  ids?: string[];
  status?: ThreadStatus;
  /** Only threads the caller may see; applied inside the query, so a count or total holds only those. */
  scope?: AccessScope;
}

export interface ThreadSearch extends ThreadFilter {
  limit: number;
  offset: number;
  sort_by?: "thread_id" | "status" | "created_at" | "updated_at" | "state_updated_at";
  sort_order?: "asc" | "desc";
}

export interface ThreadPatch {
  metadata?: Json; // merged into the existing metadata
  status?: ThreadStatus;
  values?: Json | null;
  interrupts?: Json;
  config?: Json;
  /** A new time to live, counted from this update; null takes it away. Absent: the thread keeps its own. */
  ttl?: Pick<ThreadTtl, "strategy" | "minutes"> | null;
  /**
   * Merged into the existing config as a run's config joins its thread's on LangGraph Platform: top-level
   * keys replaced, `configurable` merged key by key, and only if the thread is not `busy` when the patch
   * is applied (a run admitted behind another leaves the config the runs before it see alone).
   */
  mergeConfigUnlessBusy?: Json;
}

export interface ThreadStore {
  /** Returns null when a thread with that id already exists. */
  create(thread: NewThread): Promise<ThreadRecord | null>;
  /** Null when it does not exist or lies outside `scope` (the two are indistinguishable to callers). */
  get(threadId: string, scope?: AccessScope): Promise<ThreadRecord | null>;
  update(threadId: string, patch: ThreadPatch): Promise<ThreadRecord | null>;
  /** Deletes the thread row together with its runs (and their feedback), stream events, journal and checkpoints. */
  delete(threadId: string): Promise<boolean>;
  search(query: ThreadSearch): Promise<{ items: ThreadRecord[]; total: number }>;
  /** How many threads `search` with the same filters would find in all (its `total`). */
  count(filter: ThreadFilter): Promise<number>;
  /** Up to `limit` threads, not busy, whose TTL expired at or before `now`, the longest expired first. */
  expired(now: string, limit: number): Promise<ThreadRecord[]>;
  /**
   * After a `keep_latest` sweep: the thread's expiry is cleared (its next update arms it again), if it
   * still is `expiresAt` (an update meanwhile moved it, and that stands). Changes nothing else.
   */
  clearExpiry(threadId: string, expiresAt: string): Promise<boolean>;
}

export interface RunPatch {
  status?: RunStatus;
  error?: string | null;
  stop_reason?: string | null;
  counters?: Partial<RunTokenCounters>;
}

export interface RunListQuery {
  limit: number;
  offset: number;
  status?: RunStatus;
}

/** Token usage summed over a thread's runs in the given statuses. */
export interface ThreadUsageTotals {
  total_runs: number;
  total_tokens: number;
  total_input_tokens: number;
  total_output_tokens: number;
  lead_agent_tokens: number;
  subagent_tokens: number;
  middleware_tokens: number;
  /** Per model: its tokens, and how many runs used it. */
  by_model: Record<string, { tokens: number; runs: number }>;
}

/** A run as the API shows it, already serialised, with the thread it belongs to. */
export interface RunJson {
  thread_id: string;
  json: string;
}

export interface RunStore {
  /** Inserts a run as it is; admissions go through `RunLifecycleStore.admit`. */
  insert(run: NewRun): Promise<RunRecord>;
  /** Null when it does not exist or its thread lies outside `scope`. */
  get(runId: string, scope?: AccessScope): Promise<RunRecord | null>;
  /**
   * The run as the API shows it (every field of the record but `owner_id`, then `feedback`: the
   * counts of its feedback, as `FeedbackStore.statsByRun`), serialised to JSON by the store, with
   * the thread it belongs to. For reads that only forward the run.
   */
  getJson(runId: string, scope?: AccessScope): Promise<RunJson | null>;
  update(runId: string, patch: RunPatch): Promise<RunRecord | null>;
  /**
   * Moves the run to `to` only while its status is one of `from` (compare-and-set).
   * Returns the updated run, or null when the status had already moved on.
   */
  transition(
    runId: string,
    from: readonly RunStatus[],
    to: RunStatus,
    patch?: Omit<RunPatch, "status">,
  ): Promise<RunRecord | null>;
  /** Newest first. */
  listByThread(threadId: string, query: RunListQuery): Promise<RunRecord[]>;
  activeForThread(threadId: string): Promise<RunRecord[]>;
  /** Runs in the given active statuses across threads, oldest first (recovery, cancel by status). */
  listActive(statuses: readonly ActiveRunStatus[], scope?: AccessScope): Promise<RunRecord[]>;
  usageByThread(threadId: string, statuses: readonly RunStatus[]): Promise<ThreadUsageTotals>;
  delete(runId: string): Promise<boolean>;
}

/**
 * What a run's end does to its thread, decided from how many runs are still pending or running on it, and
 * whether this end moved the run to its final status (false: the run's status had already moved on).
 */
export type ThreadPatchAfterRun = (activeRuns: number, moved: boolean) => ThreadPatch;

/** `slot-taken`: the admission was to claim a cron slot (`cronSlot`) that is no longer the cron's next. */
export type AdmissionRefusal = "thread-missing" | "thread-busy" | "slot-taken";

export type Admission = { run: RunRecord } | { run: null; refused: AdmissionRefusal } | ({ run: null } & KeyTaken);

export interface AdmitOptions {
  /** Refuse when the thread has a pending or running run. */
  ifIdle: boolean;
  /** Create the thread with these fields, in the same transaction, when it does not exist (instead of refusing). */
  createThread?: Partial<Omit<NewThread, "thread_id">> | null;
  /**
   * The caller's scope: a thread outside it is refused as `thread-missing`, before anything else is
   * looked at (whether it is busy says nothing of another user's thread), and is never created over.
   */
  scope?: AccessScope;
  /**
   * A cron's slot the run fires: claimed first, in the same transaction (compare-and-set on the cron's
   * `next_run_date`). When it is no longer the cron's next, the admission is refused as `slot-taken` and
   * writes nothing; once claimed, the claim stands even if the run is then refused (the slot is skipped).
   */
  cronSlot?: CronSlot;
}

/** One run of `admitAll`, as `admit` takes it. */
export interface AdmitRequest {
  run: NewRun;
  thread: ThreadPatch;
  opts: AdmitOptions;
}

/** Every run admitted, in order, or none: the first refusal, with the index of its request. */
export type BatchAdmission =
  { runs: RunRecord[] } | { runs: null; index: number; refused: AdmissionRefusal } | ({ runs: null } & KeyTaken);

/** The writes that end a run. */
export interface RunEnd {
  run_id: string;
  thread_id: string;
  /** The run moves to `to` only from one of these statuses (compare-and-set, as `RunStore.transition`). */
  from: readonly RunStatus[];
  to: RunStatus;
  patch: Omit<RunPatch, "status">;
  journal: NewJournalEntry[];
  thread: ThreadPatchAfterRun;
  /**
   * The lease epoch the ending worker holds (leases.ts): the run moves only while its epoch is still this
   * (a worker whose run was taken over ends nothing; its thread is not written either). Absent: any.
   */
  epoch?: number;
}

/** Writes that change a run with its thread, each in one transaction (no run without its busy thread). */
export interface RunLifecycleStore extends IdempotencyKeyReads {
  /**
   * Inserts the run and applies `thread` to its thread (creating the thread first with
   * `createThread`). Writes nothing and says why when the thread does not exist (and is not to be
   * created), or, with `ifIdle`, when it has a pending or running run; nothing either when it throws.
   */
  admit(run: NewRun, thread: ThreadPatch, opts: AdmitOptions & Keyed): Promise<Admission>;
  /**
   * Admits every request as `admit` would, all in one transaction: all of them are written, or,
   * when one is refused or anything fails (it throws), none. The key, if any, is the whole batch's.
   */
  admitAll(requests: AdmitRequest[], opts?: Keyed): Promise<BatchAdmission>;
  /**
   * Appends the run's journal entries, moves the run to its final status, and patches its thread
   * with what `end.thread` makes of the runs still active on it. When the run's status had already
   * moved on, the rest is written all the same. Returns the run as stored afterwards (null if gone).
   */
  finish(end: RunEnd): Promise<RunRecord | null>;
}

/**
 * A pending write a run made on a checkpoint it did not write (a resumed run answers the interrupt of the
 * checkpoint it starts from), with the row it replaced (null: there was none): what undoing it restores.
 * Plain data (structured-clone safe), so it can be handed from the thread that ran the graph to another.
 */
export interface RunWriteUndo {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  task_id: string;
  idx: number;
  previous: { channel: string; type: string | null; value: Uint8Array | null } | null;
}

/**
 * Direct checkpoint maintenance the checkpointer API does not offer. A run's writes are those whose
 * config carries its `configurable.run_id`; the admin and the checkpointer of one connection share
 * what they know of them.
 */
export interface CheckpointAdmin {
  /**
   * Removes every checkpoint (in every namespace) and pending write that the given run wrote on the thread,
   * and undoes its pending writes on other checkpoints: those this connection's checkpointer saw, and `undo`
   * (what `releaseRun` handed back elsewhere). It ends the run first, as `releaseRun` does, so the delete
   * comes after every write of the run that will ever land. Returns the number of checkpoints removed.
   */
  deleteRunCheckpoints(threadId: string, runId: string, undo?: RunWriteUndo[]): Promise<number>;
  /**
   * The run's graph has ended: from now on this connection's checkpointer drops the run's writes.
   * Resolves once its writes in flight have landed, with what undoing its writes on other runs'
   * checkpoints takes (for a rollback decided later, possibly elsewhere), and forgets it.
   */
  releaseRun(runId: string): Promise<RunWriteUndo[]>;
  /**
   * Copies every checkpoint (in every namespace) and pending write of thread `from` to thread `to`, the same
   * ids and parents under the new thread id (and a `thread_id` in checkpoint metadata rewritten), in one
   * transaction: all or, when it throws (`to` has checkpoints already), nothing. Returns how many checkpoints.
   */
  copyThread(from: string, to: string): Promise<number>;
  /**
   * Keeps only the latest checkpoint of each namespace of the thread (with its pending writes), as the root
   * of its history (no parent), in one transaction. Returns how many checkpoints were removed.
   */
  keepLatestCheckpoints(threadId: string): Promise<number>;
  /**
   * Merges `patch` into the metadata of one checkpoint of the thread (top-level keys replaced): the one with
   * `checkpointId` in `checkpointNs`, or the latest of that namespace when no id is given. Returns the id of
   * the checkpoint patched, or null when there is none (nothing is written).
   */
  patchCheckpointMetadata(
    threadId: string,
    checkpointNs: string,
    checkpointId: string | undefined,
    patch: Json,
  ): Promise<string | null>;
}

export interface Stores {
  threads: ThreadStore;
  runs: RunStore;
  streamEvents: StreamEventStore;
  journal: JournalStore;
  lifecycle: RunLifecycleStore;
  checkpointer: BaseCheckpointSaver;
  checkpointAdmin: CheckpointAdmin;
  apiKeys: ApiKeyStore;
  assistants: AssistantStore;
  /** The Store API's items (long-term memory), each owner's apart. */
  storeItems: StoreItemStore;
  feedback: FeedbackStore;
  crons: CronStore;
  leases: RunLeaseStore;
  close(): Promise<void>;
}
