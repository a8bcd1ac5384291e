/**
 * Checkpoints the stores' WAL from a thread of its own. SQLite runs its automatic
 * checkpoint inside the commit that passes the threshold, on the committing
 * connection: for the stores' file that is the server thread, and a checkpoint of
 * ~40 MiB (the threshold connection.ts sets) holds it up for 100-250 ms, which
 * a flood of stream events made happen every few seconds while requests waited.
 * With this thread running, the server's connection does not checkpoint; if the
 * thread cannot run, the connection goes back to checkpointing itself.
 */
import { Worker } from "node:worker_threads";
import type { SqliteDatabase } from "./connection.ts";
import { AUTOCHECKPOINT_PAGES } from "./connection.ts";

const THREAD = new URL("./wal-checkpointer-thread.mjs", import.meta.url);
const EVERY_MS = 50;

export class WalCheckpointer {
  private closed = false;

  private constructor(private readonly worker: Worker) {}

  /** Starts checkpointing `db`'s file (a file database in WAL mode) from another thread. */
  static start(db: SqliteDatabase): WalCheckpointer {
    const worker = new Worker(THREAD, { workerData: { path: db.name, everyMs: EVERY_MS } });
    const checkpointer = new WalCheckpointer(worker);
    db.pragma("wal_autocheckpoint = 0");
    const fallBack = () => {
      if (!checkpointer.closed && db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    };
    worker.on("error", fallBack);
    worker.on("exit", fallBack);
    worker.unref();
    return checkpointer;
  }

  /** Stops the thread; call before closing the database (whose last close checkpoints what is left). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const exited = new Promise<void>((resolve) => this.worker.once("exit", () => resolve()));
    this.worker.postMessage({ type: "close" });
    const timer = setTimeout(() => void this.worker.terminate(), 2_000);
    await exited;
    clearTimeout(timer);
  }
}
