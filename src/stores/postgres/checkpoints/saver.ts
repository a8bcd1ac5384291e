/**
 * LangGraph's own Postgres checkpointer (`@langchain/langgraph-checkpoint-postgres`) as Threadgate runs
 * it: every checkpoint's metadata records the invocation's `config.metadata` (notably `run_id`, which
 * `deleteRunCheckpoints` matches on), and the writes of a run (`configurable.run_id`) go through its
 * RunWriteLog: dropped once the run has ended, counted while in flight, and logged for undo where they
 * land on another run's checkpoint. Its tables (checkpoints, checkpoint_blobs, checkpoint_writes) are
 * made by its own `setup()`, which the stores run under the migration lock.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import type { ChannelVersions, Checkpoint, CheckpointMetadata, PendingWrite } from "@langchain/langgraph-checkpoint";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import { RunWriteLog, runIdOf, runMetadataOf, type ExistingWrite } from "../../checkpoint-writes.ts";
import type { PgPool } from "../pool.ts";

export class ThreadgatePostgresSaver extends PostgresSaver {
  /** The runs writing through this checkpointer. */
  readonly runs: RunWriteLog;

  constructor(pool: PgPool, schema: string) {
    super(pool, undefined, { schema });
    this.runs = new RunWriteLog(async (threadId, checkpointNs, checkpointId, taskId) => {
      const { rows } = await pool.query<ExistingWrite>(
        `SELECT idx, channel, type, blob AS value FROM checkpoint_writes
         WHERE thread_id = $1 AND checkpoint_ns = $2 AND checkpoint_id = $3 AND task_id = $4`,
        [threadId, checkpointNs, checkpointId, taskId],
      );
      return rows;
    });
  }

  override async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    const runId = runIdOf(config);
    const checkpointNs = String(config.configurable?.checkpoint_ns ?? "");
    if (runId !== undefined && !this.runs.begin(runId)) {
      // The run has ended (it was cancelled): the write is dropped; the loop gets what a write answers.
      const thread_id = config.configurable?.thread_id as string;
      return { configurable: { thread_id, checkpoint_ns: checkpointNs, checkpoint_id: checkpoint.id } };
    }
    try {
      if (runId !== undefined) this.runs.noteCheckpoint(runId, checkpointNs, checkpoint.id);
      const recorded = { ...runMetadataOf(config), ...metadata } as CheckpointMetadata;
      return await super.put(config, checkpoint, recorded, newVersions);
    } finally {
      if (runId !== undefined) this.runs.finish(runId);
    }
  }

  /**
   * A channel's next version: one more than the last, plus a random fraction. LangGraph's Postgres saver
   * keeps channel values as blobs keyed by (thread, namespace, channel, version) and never overwrites
   * one, so with plain integer versions a run forked from an older checkpoint (or a state update there)
   * would write the versions its sibling branch already wrote and read that branch's values back. The
   * fraction keeps each branch's versions its own; the integer part keeps them increasing.
   */
  override getNextVersion(current: number | undefined): number {
    const last = typeof current === "number" ? Math.floor(current) : 0;
    return last + 1 + Math.random() * 0.9;
  }

  override async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string): Promise<void> {
    const runId = runIdOf(config);
    if (runId === undefined) return super.putWrites(config, writes, taskId);
    if (!this.runs.begin(runId)) return; // the run has ended: dropped
    try {
      await this.runs.noteWrites(runId, config, writes, taskId);
      await super.putWrites(config, writes, taskId);
    } finally {
      this.runs.finish(runId);
    }
  }
}
