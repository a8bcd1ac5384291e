/**
 * Checkpoints the stores' WAL from a thread of its own. SQLite runs its automatic
 * checkpoint inside the commit that passes the threshold, on the committing
 * connection: for the stores' file that is the server thread, and a checkpoint of
 * ~40 MiB (the threshold connection.ts sets) held it up for 100-250 ms, which a
 * flood of stream events made happen every few seconds while requests waited.
 * This thread copies the WAL into the database every few milliseconds (passive:
 * it never waits for the writer), so the automatic checkpoint, which stays on as
 * what bounds the WAL, finds little left to copy.
 */
import { Worker } from "node:worker_threads";
import type { SqliteDatabase } from "../connection.ts";

const THREAD = new URL("./checkpointer-thread.mjs", import.meta.url);
const EVERY_MS = 50;

export class WalCheckpointer {
  private closed = false;
  private exited = false;

  private constructor(private readonly worker: Worker) {
    worker.once("exit", () => (this.exited = true));
  }

  /** Starts checkpointing `db`'s file (a file database in WAL mode) from another thread. */
  static start(db: SqliteDatabase): WalCheckpointer {
    const worker = new Worker(THREAD, { workerData: { path: db.name, everyMs: EVERY_MS } });
    const checkpointer = new WalCheckpointer(worker);
    // If it cannot run, the connection's own automatic checkpoint does all the work, as without it.
    worker.on("error", () => undefined);
    worker.unref();
    return checkpointer;
  }

  /** Stops the thread; call before closing the database (whose last close checkpoints what is left). */
  async close(): Promise<void> {
    if (this.closed || this.exited) return;
    this.closed = true;
    const exited = new Promise<void>((resolve) => this.worker.once("exit", () => resolve()));
    this.worker.postMessage({ type: "close" });
    const timer = setTimeout(() => void this.worker.terminate(), 2_000);
    await exited;
    clearTimeout(timer);
  }
}
