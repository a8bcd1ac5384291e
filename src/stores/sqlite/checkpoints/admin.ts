import type { Statement, Transaction } from "better-sqlite3";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { ChannelVersions, Checkpoint, CheckpointMetadata, PendingWrite } from "@langchain/langgraph-checkpoint";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import type { CheckpointAdmin, Json, RunWriteUndo } from "../../types.ts";
import type { SqliteDatabase } from "../database.ts";
import { RunWriteLog, runIdOf, runMetadataOf, type ExistingWrite } from "../../checkpoint-writes.ts";

/**
 * SqliteSaver that records the invocation's `config.metadata` (notably `run_id`) in every checkpoint's metadata,
 * as LangGraph Platform does. LangGraph JS (1.7) passes `config.metadata` to `put()` but only stores
 * `{source, step, parents}`, which would leave `deleteRunCheckpoints` nothing to match on. The loop's own keys win.
 * Writes of a run (`configurable.run_id`) go through its RunWriteLog: dropped once the run has ended, counted
 * while in flight, and logged for undo where they land on another run's checkpoint.
 * `setup()` is public so the stores can create the `checkpoints`/`writes` tables at open.
 */
export class ThreadgateSqliteSaver extends SqliteSaver {
  /** The runs writing through this connection. */
  readonly runs: RunWriteLog;

  /**
   * `beforeWrite` runs before each checkpoint and pending-writes write, with the config of the write
   * (its run's `configurable.run_id`). The store is synchronous, so this is where a graph run can give
   * the event loop back (see RunTurns).
   */
  constructor(
    db: SqliteDatabase,
    private readonly beforeWrite: (config: RunnableConfig) => Promise<void> | undefined = () => undefined,
  ) {
    super(db);
    // Prepared on first use: the `writes` table exists once setup() has run.
    let existing: Statement | undefined;
    this.runs = new RunWriteLog((threadId, checkpointNs, checkpointId, taskId) => {
      existing ??= db.prepare(`
        SELECT idx, channel, type, value FROM writes
        WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ? AND task_id = ?`);
      return existing.all(threadId, checkpointNs, checkpointId, taskId) as ExistingWrite[];
    });
    // SqliteSaver prepares its SQL on every put/putWrites/list call; a profile of runs/wait showed
    // the preparing. Statements are reusable (it only calls run/get/all), so prepare each text once.
    const statements = new Map<string, Statement>();
    const prepare = (sql: string): Statement => {
      let stmt = statements.get(sql);
      if (!stmt) {
        if (statements.size >= 256) statements.clear(); // list() builds SQL per filter shape: stay bounded
        stmt = db.prepare(sql);
        statements.set(sql, stmt);
      }
      return stmt;
    };
    this.db = new Proxy(db, {
      get(target, prop) {
        if (prop === "prepare") return prepare;
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }

  public override setup(): void {
    super.setup();
  }

  override async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions?: ChannelVersions,
  ): Promise<RunnableConfig> {
    const fromConfig = runMetadataOf(config);
    // SqliteSaver.put takes three parameters; newVersions is accepted for the base signature only.
    void newVersions;
    await this.beforeWrite(config);
    const runId = runIdOf(config);
    const checkpointNs = String(config.configurable?.checkpoint_ns ?? "");
    if (runId !== undefined && !this.runs.begin(runId)) {
      // The run has ended (it was cancelled): the write is dropped; the loop gets what a write answers.
      const thread_id = config.configurable?.thread_id as string;
      return { configurable: { thread_id, checkpoint_ns: checkpointNs, checkpoint_id: checkpoint.id } };
    }
    try {
      if (runId !== undefined) this.runs.noteCheckpoint(runId, checkpointNs, checkpoint.id);
      return await super.put(config, checkpoint, { ...fromConfig, ...metadata } as CheckpointMetadata);
    } finally {
      if (runId !== undefined) this.runs.finish(runId);
    }
  }

  override async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string): Promise<void> {
    await this.beforeWrite(config);
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

/**
 * Works on the tables of @langchain/langgraph-checkpoint-sqlite's SqliteSaver (`checkpoints`, `writes`), which must
 * exist (setup() ran) before construction. Checkpoint metadata is JSON text in a BLOB column; ThreadgateSqliteSaver
 * puts `config.metadata.run_id` into it.
 */
const RUN_ID_OF = `CASE WHEN json_valid(CAST(metadata AS TEXT))
                    THEN json_extract(CAST(metadata AS TEXT), '$.run_id') END`;

/** Checkpoint metadata with its `thread_id` (if it has one) set to `@to`, kept a BLOB as SqliteSaver writes it. */
const METADATA_FOR_COPY = `CASE WHEN json_valid(CAST(metadata AS TEXT))
                             AND json_type(CAST(metadata AS TEXT), '$.thread_id') IS NOT NULL
                           THEN CAST(json_set(CAST(metadata AS TEXT), '$.thread_id', @to) AS BLOB)
                           ELSE metadata END`;

export class SqliteCheckpointAdmin implements CheckpointAdmin {
  private readonly deleteTx: Transaction<(threadId: string, runId: string, undo: RunWriteUndo[]) => number>;
  private readonly copyTx: Transaction<(from: string, to: string) => number>;
  private readonly keepLatestTx: Transaction<(threadId: string) => number>;
  private readonly patchTx: Transaction<
    (threadId: string, ns: string, id: string | null, patch: Json) => string | null
  >;

  /** `runs`: the run writes of this connection's checkpointer (its fence, its writes in flight, its undo log). */
  constructor(
    db: SqliteDatabase,
    private readonly runs: RunWriteLog | null = null,
  ) {
    // Pending writes are keyed by the checkpoint they follow: those on the run's own checkpoints go with them.
    const delWrites: Statement = db.prepare(`
      DELETE FROM writes
      WHERE thread_id = @thread_id
        AND (checkpoint_ns, checkpoint_id) IN (
          SELECT checkpoint_ns, checkpoint_id FROM checkpoints
          WHERE thread_id = @thread_id AND ${RUN_ID_OF} = @run_id)`);
    const delCheckpoints: Statement = db.prepare(`
      DELETE FROM checkpoints WHERE thread_id = @thread_id AND ${RUN_ID_OF} = @run_id`);
    const delWrite: Statement = db.prepare(`
      DELETE FROM writes
      WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ? AND task_id = ? AND idx = ?`);
    const putBack: Statement = db.prepare(`
      INSERT OR REPLACE INTO writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    this.deleteTx = db.transaction((threadId: string, runId: string, undo: RunWriteUndo[]) => {
      const params = { thread_id: threadId, run_id: runId };
      delWrites.run(params);
      // The run's writes on other runs' checkpoints, newest first, each back to the row it replaced.
      for (const u of [...undo].reverse()) {
        if (u.thread_id !== threadId) continue;
        const key = [u.thread_id, u.checkpoint_ns, u.checkpoint_id, u.task_id, u.idx] as const;
        if (u.previous) putBack.run(...key, u.previous.channel, u.previous.type, u.previous.value);
        else delWrite.run(...key);
      }
      return delCheckpoints.run(params).changes;
    });

    const hasAny: Statement = db.prepare("SELECT 1 FROM checkpoints WHERE thread_id = ? LIMIT 1").pluck();
    const copyCheckpoints: Statement = db.prepare(`
      INSERT INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata)
      SELECT @to, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, ${METADATA_FOR_COPY}
      FROM checkpoints WHERE thread_id = @from`);
    const copyWrites: Statement = db.prepare(`
      INSERT INTO writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value)
      SELECT @to, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value
      FROM writes WHERE thread_id = @from`);
    this.copyTx = db.transaction((from: string, to: string) => {
      // A copy never mixes into a history: the target has none (and its writes are those of no checkpoint).
      if (hasAny.get(to) !== undefined) throw new Error(`thread ${to} has checkpoints already`);
      const copied = copyCheckpoints.run({ from, to }).changes;
      copyWrites.run({ from, to });
      return copied;
    });

    // The latest of a namespace is its greatest id (LangGraph's checkpoint ids sort by time), as SqliteSaver reads it.
    const LATEST = `SELECT checkpoint_ns, MAX(checkpoint_id) FROM checkpoints WHERE thread_id = @thread_id
                    GROUP BY checkpoint_ns`;
    const delOldWrites: Statement = db.prepare(`
      DELETE FROM writes WHERE thread_id = @thread_id AND (checkpoint_ns, checkpoint_id) NOT IN (${LATEST})`);
    const delOld: Statement = db.prepare(`
      DELETE FROM checkpoints WHERE thread_id = @thread_id AND (checkpoint_ns, checkpoint_id) NOT IN (${LATEST})`);
    const orphan: Statement = db.prepare(
      "UPDATE checkpoints SET parent_checkpoint_id = NULL WHERE thread_id = @thread_id",
    );
    const target: Statement = db.prepare(`
      SELECT checkpoint_id, CAST(metadata AS TEXT) AS metadata FROM checkpoints
      WHERE thread_id = @thread_id AND checkpoint_ns = @ns AND (@id IS NULL OR checkpoint_id = @id)
      ORDER BY checkpoint_id DESC LIMIT 1`);
    const setMetadata: Statement = db.prepare(`
      UPDATE checkpoints SET metadata = CAST(@metadata AS BLOB)
      WHERE thread_id = @thread_id AND checkpoint_ns = @ns AND checkpoint_id = @id`);
    this.patchTx = db.transaction((threadId: string, ns: string, id: string | null, patch: Json) => {
      const row = target.get({ thread_id: threadId, ns, id }) as
        { checkpoint_id: string; metadata: string } | undefined;
      if (!row) return null;
      const current = (row.metadata ? JSON.parse(row.metadata) : {}) as Json;
      const metadata = JSON.stringify({ ...current, ...patch });
      setMetadata.run({ thread_id: threadId, ns, id: row.checkpoint_id, metadata });
      return row.checkpoint_id;
    });

    this.keepLatestTx = db.transaction((threadId: string) => {
      const params = { thread_id: threadId };
      delOldWrites.run(params);
      const removed = delOld.run(params).changes;
      orphan.run(params);
      return removed;
    });
  }

  async patchCheckpointMetadata(
    threadId: string,
    checkpointNs: string,
    checkpointId: string | undefined,
    patch: Json,
  ): Promise<string | null> {
    return this.patchTx.immediate(threadId, checkpointNs, checkpointId ?? null, patch);
  }

  async copyThread(from: string, to: string): Promise<number> {
    return this.copyTx.immediate(from, to);
  }

  async keepLatestCheckpoints(threadId: string): Promise<number> {
    return this.keepLatestTx.immediate(threadId);
  }

  async deleteRunCheckpoints(threadId: string, runId: string, undo: RunWriteUndo[] = []): Promise<number> {
    // Ended first: later writes of the run are dropped, and those in flight have landed before the delete.
    const seen = this.runs ? await this.runs.end(runId) : [];
    return this.deleteTx.immediate(threadId, runId, [...seen, ...undo]);
  }

  async releaseRun(runId: string): Promise<RunWriteUndo[]> {
    return this.runs ? this.runs.end(runId) : [];
  }
}
