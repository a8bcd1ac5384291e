/**
 * CheckpointAdmin over the tables of LangGraph's Postgres checkpointer: `checkpoints` (metadata is
 * JSONB, where ThreadgatePostgresSaver records `run_id`), `checkpoint_writes` (pending writes, keyed
 * by the checkpoint they follow) and `checkpoint_blobs` (channel values, keyed by thread, namespace,
 * channel and version, so shared by the checkpoints whose `channel_versions` name that version).
 *
 * Removing checkpoints removes the blobs of their namespaces that no checkpoint left names. That
 * assumes no checkpoint of the thread is being written meanwhile (a put that finds a blob there
 * already writes none): the runtime ends a run before it deletes its checkpoints, and prunes only
 * threads with no run active. A copy removes no blob but the stray ones of its new thread.
 */
import type { CheckpointAdmin, Json, RunWriteUndo } from "../../types.ts";
import type { RunWriteLog } from "../../checkpoint-writes.ts";
import { transaction, type PgPool, type Queryable } from "../pool.ts";

/** The blobs of the thread's namespaces `ns` that no checkpoint of it names any more. */
async function dropUnusedBlobs(q: Queryable, threadId: string, ns: readonly string[]): Promise<void> {
  if (ns.length === 0) return;
  await q.query(
    `DELETE FROM checkpoint_blobs AS b
     WHERE b.thread_id = $1 AND b.checkpoint_ns = ANY ($2::text[])
       AND NOT EXISTS (SELECT 1 FROM checkpoints AS c
         WHERE c.thread_id = b.thread_id AND c.checkpoint_ns = b.checkpoint_ns
           AND c.checkpoint -> 'channel_versions' ->> b.channel = b.version)`,
    [threadId, [...new Set(ns)]],
  );
}

const bytes = (value: Uint8Array | null) =>
  value === null ? Buffer.alloc(0) : Buffer.from(value.buffer, value.byteOffset, value.byteLength);

/** The latest checkpoint of each namespace of thread $1: the greatest id, as the checkpointer reads it. */
const LATEST = `SELECT checkpoint_ns, MAX(checkpoint_id) FROM checkpoints WHERE thread_id = $1 GROUP BY checkpoint_ns`;

export class PgCheckpointAdmin implements CheckpointAdmin {
  /** `runs`: the run writes of the stores' checkpointer (its fence, its writes in flight, its undo log). */
  constructor(
    private readonly pool: PgPool,
    private readonly runs: RunWriteLog | null = null,
  ) {}

  async deleteRunCheckpoints(threadId: string, runId: string, undo: RunWriteUndo[] = []): Promise<number> {
    // Ended first: later writes of the run are dropped, and those in flight have landed before the delete.
    const seen = this.runs ? await this.runs.end(runId) : [];
    const all = [...seen, ...undo];
    return transaction(this.pool, async (client) => {
      // Its run id as JSON: a run_id of another JSON type is not this run's.
      const ofRun = "c.thread_id = $1 AND c.metadata -> 'run_id' = to_jsonb($2::text)";
      await client.query(
        `DELETE FROM checkpoint_writes AS w USING checkpoints AS c
         WHERE ${ofRun}
           AND w.thread_id = c.thread_id AND w.checkpoint_ns = c.checkpoint_ns AND w.checkpoint_id = c.checkpoint_id`,
        [threadId, runId],
      );
      // The run's writes on other runs' checkpoints, newest first, each back to the row it replaced.
      for (const u of [...all].reverse()) {
        if (u.thread_id !== threadId) continue;
        const key = [u.thread_id, u.checkpoint_ns, u.checkpoint_id, u.task_id, u.idx];
        if (u.previous)
          await client.query(
            `INSERT INTO checkpoint_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, blob)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
             DO UPDATE SET channel = excluded.channel, type = excluded.type, blob = excluded.blob`,
            [...key, u.previous.channel, u.previous.type, bytes(u.previous.value)],
          );
        else
          await client.query(
            `DELETE FROM checkpoint_writes
             WHERE thread_id = $1 AND checkpoint_ns = $2 AND checkpoint_id = $3 AND task_id = $4 AND idx = $5`,
            key,
          );
      }
      const { rows } = await client.query<{ checkpoint_ns: string }>(
        `DELETE FROM checkpoints AS c WHERE ${ofRun} RETURNING c.checkpoint_ns`,
        [threadId, runId],
      );
      await dropUnusedBlobs(
        client,
        threadId,
        rows.map((r) => r.checkpoint_ns),
      );
      return rows.length;
    });
  }

  async releaseRun(runId: string): Promise<RunWriteUndo[]> {
    return this.runs ? this.runs.end(runId) : [];
  }

  async copyThread(from: string, to: string): Promise<number> {
    return transaction(this.pool, async (client) => {
      // A copy never mixes into a history: the target has none (its blobs, if any, are of no checkpoint).
      const { rows } = await client.query("SELECT 1 FROM checkpoints WHERE thread_id = $1 LIMIT 1", [to]);
      if (rows.length > 0) throw new Error(`thread ${to} has checkpoints already`);
      await client.query("DELETE FROM checkpoint_blobs WHERE thread_id = $1", [to]);
      const copied = await client.query(
        `INSERT INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata)
         SELECT $2, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint,
           CASE WHEN jsonb_typeof(metadata) = 'object' AND metadata ? 'thread_id'
             THEN jsonb_set(metadata, '{thread_id}', to_jsonb($2::text)) ELSE metadata END
         FROM checkpoints WHERE thread_id = $1`,
        [from, to],
      );
      await client.query(
        `INSERT INTO checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, blob)
         SELECT $2, checkpoint_ns, channel, version, type, blob FROM checkpoint_blobs WHERE thread_id = $1`,
        [from, to],
      );
      await client.query(
        `INSERT INTO checkpoint_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, blob)
         SELECT $2, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, blob
         FROM checkpoint_writes WHERE thread_id = $1`,
        [from, to],
      );
      return copied.rowCount ?? 0;
    });
  }

  async keepLatestCheckpoints(threadId: string): Promise<number> {
    return transaction(this.pool, async (client) => {
      await client.query(
        `DELETE FROM checkpoint_writes WHERE thread_id = $1 AND (checkpoint_ns, checkpoint_id) NOT IN (${LATEST})`,
        [threadId],
      );
      const { rows } = await client.query<{ checkpoint_ns: string }>(
        `DELETE FROM checkpoints WHERE thread_id = $1 AND (checkpoint_ns, checkpoint_id) NOT IN (${LATEST})
         RETURNING checkpoint_ns`,
        [threadId],
      );
      await client.query(
        "UPDATE checkpoints SET parent_checkpoint_id = NULL WHERE thread_id = $1 AND parent_checkpoint_id IS NOT NULL",
        [threadId],
      );
      await dropUnusedBlobs(
        client,
        threadId,
        rows.map((r) => r.checkpoint_ns),
      );
      return rows.length;
    });
  }

  async patchCheckpointMetadata(
    threadId: string,
    checkpointNs: string,
    checkpointId: string | undefined,
    patch: Json,
  ): Promise<string | null> {
    // Top-level keys replaced: JSONB's `||` of two objects.
    const { rows } = await this.pool.query<{ checkpoint_id: string }>(
      `UPDATE checkpoints
       SET metadata = CASE WHEN jsonb_typeof(metadata) = 'object' THEN metadata ELSE '{}'::jsonb END || $4::jsonb
       WHERE (thread_id, checkpoint_ns, checkpoint_id) = (
         SELECT thread_id, checkpoint_ns, checkpoint_id FROM checkpoints
         WHERE thread_id = $1 AND checkpoint_ns = $2 AND ($3::text IS NULL OR checkpoint_id = $3)
         ORDER BY checkpoint_id DESC LIMIT 1 FOR UPDATE)
       RETURNING checkpoint_id`,
      [threadId, checkpointNs, checkpointId ?? null, JSON.stringify(patch)],
    );
    return rows[0]?.checkpoint_id ?? null;
  }
}
