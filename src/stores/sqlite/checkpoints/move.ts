/**
 * Databases made before the checkpoints had a file of their own kept LangGraph's `checkpoints` and
 * `writes` tables in the stores' file. On open they move, in one transaction, to the checkpoints'
 * file; the old tables are dropped. A database without them (new, or moved already) is left alone.
 */
import type { SqliteDatabase } from "../connection.ts";
import { isSharedPath } from "../files/paths.ts";

const COLUMNS = {
  checkpoints: "thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata",
  writes: "thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value",
} as const;

export function moveCheckpointsToTheirFile(db: SqliteDatabase, checkpointsPath: string): void {
  const present = db
    .prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name IN ('checkpoints', 'writes')")
    .pluck()
    .all() as string[];
  if (present.length === 0) return;
  if (!isSharedPath(checkpointsPath)) {
    throw new Error(`this database has checkpoints to move to a file of their own, not to "${checkpointsPath}"`);
  }
  db.prepare("ATTACH DATABASE ? AS checkpoint_file").run(checkpointsPath);
  try {
    db.transaction(() => {
      for (const table of ["checkpoints", "writes"] as const) {
        if (!present.includes(table)) continue;
        const cols = COLUMNS[table];
        db.prepare(`INSERT OR IGNORE INTO checkpoint_file.${table} (${cols}) SELECT ${cols} FROM main.${table}`).run();
        db.exec(`DROP TABLE main.${table}`);
      }
    }).immediate();
  } finally {
    db.exec("DETACH DATABASE checkpoint_file");
  }
}
