// The WAL checkpointer's thread (checkpointer.ts starts it): on a connection of its own,
// copies what the server thread has committed to the WAL into the database file, a passive
// checkpoint every few milliseconds, so the checkpoint inside the server's commits has little left.
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

const db = new Database(workerData.path, { fileMustExist: true });
const timer = setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // Busy or locked this time (another checkpoint, a closing connection): the next tick tries again.
  }
}, workerData.everyMs);

parentPort.on("message", (message) => {
  if (message?.type !== "close") return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
