import type { Statement, Transaction } from "better-sqlite3";
import type { RunnableConfig } from "@langchain/core/runnables";
import {
  EXCLUDED_METADATA_KEYS,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointMetadata,
  type PendingWrite,
} from "@langchain/langgraph-checkpoint";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import type { CheckpointAdmin } from "../types.ts";
import type { SqliteDatabase } from "./database.ts";

/** Keys of `config.metadata` that are tracing/framework internals rather than run metadata. */
function isCopiedMetadataKey(key: string, value: unknown): boolean {
  return value !== undefined && !EXCLUDED_METADATA_KEYS.has(key) && !key.startsWith("__") && !key.startsWith("ls_");
}

/**
 * SqliteSaver that records the invocation's `config.metadata` (notably `run_id`) in every checkpoint's metadata,
 * as LangGraph Platform does. LangGraph JS (1.7) passes `config.metadata` to `put()` but only stores
 * `{source, step, parents}`, which would leave `deleteRunCheckpoints` nothing to match on. The loop's own keys win.
 * `setup()` is public so the stores can create the `checkpoints`/`writes` tables at open.
 */
export class ThreadgateSqliteSaver extends SqliteSaver {
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
    const fromConfig: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(config.metadata ?? {})) if (isCopiedMetadataKey(k, v)) fromConfig[k] = v;
    // SqliteSaver.put takes three parameters; newVersions is accepted for the base signature only.
    void newVersions;
    await this.beforeWrite(config);
    return super.put(config, checkpoint, { ...fromConfig, ...metadata } as CheckpointMetadata);
  }

  override async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string): Promise<void> {
    await this.beforeWrite(config);
    return super.putWrites(config, writes, taskId);
  }
}

/**
 * Works on the tables of @langchain/langgraph-checkpoint-sqlite's SqliteSaver (`checkpoints`, `writes`), which must
 * exist (setup() ran) before construction. Checkpoint metadata is JSON text in a BLOB column; ThreadgateSqliteSaver
 * puts `config.metadata.run_id` into it.
 */
const RUN_ID_OF = `CASE WHEN json_valid(CAST(metadata AS TEXT))
                    THEN json_extract(CAST(metadata AS TEXT), '$.run_id') END`;

export class SqliteCheckpointAdmin implements CheckpointAdmin {
  private readonly deleteTx: Transaction<(threadId: string, runId: string) => number>;

  constructor(db: SqliteDatabase) {
    // Pending writes are keyed by the checkpoint they follow: those on the run's own checkpoints go with them.
    const delWrites: Statement = db.prepare(`
      DELETE FROM writes
      WHERE thread_id = @thread_id
        AND (checkpoint_ns, checkpoint_id) IN (
          SELECT checkpoint_ns, checkpoint_id FROM checkpoints
          WHERE thread_id = @thread_id AND ${RUN_ID_OF} = @run_id)`);
    const delCheckpoints: Statement = db.prepare(`
      DELETE FROM checkpoints WHERE thread_id = @thread_id AND ${RUN_ID_OF} = @run_id`);
    this.deleteTx = db.transaction((threadId: string, runId: string) => {
      const params = { thread_id: threadId, run_id: runId };
      delWrites.run(params);
      return delCheckpoints.run(params).changes;
    });
  }

  async deleteRunCheckpoints(threadId: string, runId: string): Promise<number> {
    return this.deleteTx.immediate(threadId, runId);
  }
}
