/**
 * RunWriteLog: what the checkpointer of one connection knows about the runs writing through it, so
 * that a run can be ended (and rolled back) exactly.
 *
 * - Ended runs are fenced: a write of a run that has ended is dropped. LangGraph keeps writing for a
 *   moment after a run is cancelled (the stream rejects at once on the abort, while the loop finishes its
 *   step and its asynchronous checkpoint writes in the background), so without the fence a rollback's
 *   delete could be followed by a checkpoint of the run it removed.
 * - Writes in flight are counted: ending a run resolves once the writes that passed the fence have
 *   settled, so a delete after it sees every row the run will ever have written.
 * - Pending writes on checkpoints the run did not write (a resumed run answers the interrupt of the
 *   checkpoint it starts from) are logged with the row each one replaced, so a rollback can undo them:
 *   they carry no run id, and the checkpoint is another run's.
 *
 * It knows no backend: the checkpointer hands it a reader of the pending-write rows a task has on a
 * checkpoint (SQLite's `writes`, Postgres's `checkpoint_writes`). Both LangGraph savers write pending
 * writes alike: special channels replace their row, others leave an existing one as it is.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import { EXCLUDED_METADATA_KEYS, WRITES_IDX_MAP, type PendingWrite } from "@langchain/langgraph-checkpoint";
import type { RunWriteUndo } from "./types.ts";

/** How many ended runs stay fenced. A cancelled run's loop stops within its step; this is far more. */
const ENDED_KEPT = 10_000;

interface LiveRun {
  inFlight: number;
  settled: (() => void)[];
  /** `ns \0 checkpoint_id` of the checkpoints the run writes. */
  own: Set<string>;
  /** Logged writes on checkpoints not (yet) known as the run's own, by checkpoint, then by row key. */
  undo: Map<string, Map<string, RunWriteUndo>>;
}

/** A pending-write row as it is stored (the value serialised). */
export interface ExistingWrite {
  idx: number;
  channel: string;
  type: string | null;
  value: Uint8Array | null;
}

/** The rows of one task's pending writes on one checkpoint. */
export type ExistingWrites = (
  threadId: string,
  checkpointNs: string,
  checkpointId: string,
  taskId: string,
) => ExistingWrite[] | Promise<ExistingWrite[]>;

export function runIdOf(config: RunnableConfig): string | undefined {
  const id = config.configurable?.run_id;
  return typeof id === "string" ? id : undefined;
}

/**
 * What a checkpoint of the invocation records of its `config.metadata` (notably `run_id`), as
 * LangGraph Platform does: LangGraph JS hands it to `put()` but its savers keep only the loop's own
 * keys. Tracing and framework internals are left out; the loop's keys win over these (merged after).
 */
export function runMetadataOf(config: RunnableConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config.metadata ?? {}))
    if (value !== undefined && !EXCLUDED_METADATA_KEYS.has(key) && !key.startsWith("__") && !key.startsWith("ls_"))
      out[key] = value;
  return out;
}

export class RunWriteLog {
  private readonly ended = new Set<string>();
  private readonly live = new Map<string, LiveRun>();

  constructor(private readonly existing: ExistingWrites) {}

  /** Begins a write of the run: false when it is to be dropped (the run has ended). Pair with `finish`. */
  begin(runId: string): boolean {
    if (this.ended.has(runId)) return false;
    this.liveRun(runId).inFlight += 1;
    return true;
  }

  finish(runId: string): void {
    const run = this.live.get(runId);
    if (!run) return;
    run.inFlight -= 1;
    if (run.inFlight === 0) for (const resolve of run.settled.splice(0)) resolve();
  }

  /** The run writes this checkpoint: it is its own, and writes on it need no undo. */
  noteCheckpoint(runId: string, checkpointNs: string, checkpointId: string): void {
    const run = this.liveRun(runId);
    const key = `${checkpointNs}\u0000${checkpointId}`;
    run.own.add(key);
    run.undo.delete(key);
  }

  /** Before the run's pending writes go in: on a checkpoint not its own, what each row was before. */
  async noteWrites(runId: string, config: RunnableConfig, writes: PendingWrite[], taskId: string): Promise<void> {
    const run = this.liveRun(runId);
    const thread_id = String(config.configurable?.thread_id);
    const checkpoint_ns = String(config.configurable?.checkpoint_ns ?? "");
    const checkpoint_id = String(config.configurable?.checkpoint_id);
    const checkpointKey = `${checkpoint_ns}\u0000${checkpoint_id}`;
    if (run.own.has(checkpointKey)) return;
    const rows = await this.existing(thread_id, checkpoint_ns, checkpoint_id, taskId);
    if (run.own.has(checkpointKey)) return; // the run wrote the checkpoint meanwhile
    // As LangGraph's savers write them: special channels replace their row, others leave an existing one as it is.
    // Own keys only: a channel named "constructor" or "toString" is an ordinary channel.
    const special = (channel: string) => Object.hasOwn(WRITES_IDX_MAP, channel);
    const replaces = writes.every(([channel]) => special(channel));
    let logged = run.undo.get(checkpointKey);
    if (!logged) run.undo.set(checkpointKey, (logged = new Map()));
    writes.forEach(([channel], index) => {
      const idx = special(channel) ? WRITES_IDX_MAP[channel] : index;
      const key = `${taskId}\u0000${idx}`;
      if (logged.has(key)) return; // the first write of the run has the row as it was before the run
      const before = rows.find((r) => r.idx === idx);
      if (before && !replaces) return; // left as it is
      const previous = before ? { channel: before.channel, type: before.type, value: before.value } : null;
      logged.set(key, { thread_id, checkpoint_ns, checkpoint_id, task_id: taskId, idx, previous });
    });
  }

  /**
   * Ends the run here: from now on its writes are dropped. Resolves, once the writes in flight have
   * settled, with the undo of its writes on checkpoints not its own (and forgets them).
   */
  async end(runId: string): Promise<RunWriteUndo[]> {
    if (!this.ended.has(runId)) {
      this.ended.add(runId);
      if (this.ended.size > ENDED_KEPT) this.ended.delete(this.ended.values().next().value as string);
    }
    const run = this.live.get(runId);
    if (!run) return [];
    if (run.inFlight > 0) await new Promise<void>((resolve) => run.settled.push(resolve));
    this.live.delete(runId);
    return [...run.undo.values()].flatMap((rows) => [...rows.values()]);
  }

  private liveRun(runId: string): LiveRun {
    let run = this.live.get(runId);
    if (!run) this.live.set(runId, (run = { inFlight: 0, settled: [], own: new Set(), undo: new Map() }));
    return run;
  }
}
