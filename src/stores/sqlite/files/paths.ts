/** The SQLite files' paths, without opening anything (the configuration derives them too). */
import { basename, dirname, extname, join } from "node:path";

export function isMemoryPath(path: string): boolean {
  return path === ":memory:" || path === "" || path.startsWith("file:");
}

/** Whether a second connection (another thread's) opening `path` reaches the same database: not so in memory. */
export function isSharedPath(path: string): boolean {
  return !isMemoryPath(path);
}

/**
 * Where the LangGraph checkpoints of the database at `path` live: a file of their own beside it
 * (`threadgate.db` → `threadgate.checkpoints.db`), or another in-memory database. Graphs write
 * checkpoints from their own thread while the server thread writes runs, threads and streams; two
 * threads writing one file wait for each other's locks and share one WAL: runs/wait measured 0.72×
 * the runs/s of a file each.
 */
export function checkpointsPathFor(path: string): string {
  if (isMemoryPath(path)) return ":memory:";
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)}.checkpoints${ext || ".db"}`);
}
