import type { Statement, Transaction } from "better-sqlite3";
import type { CheckpointAdmin } from "../types.ts";
import type { SqliteDatabase } from "./database.ts";

/**
 * Works on the tables of @langchain/langgraph-checkpoint-sqlite's SqliteSaver (`checkpoints`, `writes`), which must
 * exist (SqliteSaver.setup() ran) before construction. Checkpoint metadata is JSON text in a BLOB column; LangGraph
 * copies `config.metadata` (so `run_id`) into it.
 */
const RUN_ID_OF = `CASE WHEN json_valid(CAST(metadata AS TEXT))
                    THEN json_extract(CAST(metadata AS TEXT), '$.run_id') END`;

export class SqliteCheckpointAdmin implements CheckpointAdmin {
  private readonly deleteTx: Transaction<(threadId: string, runId: string) => number>;

  constructor(db: SqliteDatabase) {
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
