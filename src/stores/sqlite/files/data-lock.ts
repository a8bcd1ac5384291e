/**
 * One server process per database file. Until runs have leases, a second process on the same files
 * would take the first one's live runs for orphans of a crash; so a server holds a lock for as long as
 * it runs, and a second one is refused at start with a message naming the file and the holder.
 *
 * The lock is a small SQLite file beside the database (`threadgate.db.lock`) held by a connection in
 * `locking_mode=EXCLUSIVE` with a write transaction open: SQLite's POSIX locks belong to the process,
 * so the OS drops them when it dies, also by SIGKILL, and a new process can start on the files at
 * once (a lockfile with a stale timeout could not). SQLite also refuses the lock to a second
 * connection of the same process, so two servers started in one process exclude each other too.
 * Who holds it (pid, URL, since when) is in a JSON file beside it (`threadgate.db.lock.json`), for the
 * message only: a lock file that cannot be read while it is locked cannot say who holds it.
 * In-memory databases are private to their connection and need no lock.
 */
import Database from "better-sqlite3";
import fs from "node:fs";
import os from "node:os";
import { dirname, resolve } from "node:path";
import { isMemoryPath } from "./paths.ts";

export interface DataLockHolder {
  pid: number;
  hostname: string;
  started_at: string;
  url?: string;
}

export interface DataLock {
  /** The lock file, or null for an in-memory database. */
  readonly path: string | null;
  /** Records the holder's URL, for the message a second process gets. */
  describe(details: { url: string }): void;
  /** Releases the lock (idempotent). */
  release(): void;
}

const NO_LOCK: DataLock = { path: null, describe() {}, release() {} };

export class DataLockedError extends Error {
  constructor(
    readonly databasePath: string,
    readonly lockPath: string,
    readonly holder: Partial<DataLockHolder> | null,
  ) {
    const who = holder?.pid
      ? `Threadgate process pid ${holder.pid}` +
        (holder.hostname && holder.hostname !== os.hostname() ? ` on ${holder.hostname}` : "") +
        (holder.url ? ` at ${holder.url}` : "") +
        (holder.started_at ? `, started ${holder.started_at}` : "")
      : "another process (it has not said which)";
    super(
      `the database ${databasePath} is in use by ${who} (it holds ${lockPath}). ` +
        `Stop that process, or give this one another THREADGATE_SQLITE_PATH.`,
    );
    this.name = "DataLockedError";
  }
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED";
}

function readHolder(infoPath: string): Partial<DataLockHolder> | null {
  try {
    return JSON.parse(fs.readFileSync(infoPath, "utf8")) as Partial<DataLockHolder>;
  } catch {
    return null;
  }
}

function writeHolder(infoPath: string, holder: DataLockHolder): void {
  const tmp = `${infoPath}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(holder) + "\n");
  fs.renameSync(tmp, infoPath);
}

/** Takes the lock of the database at `databasePath`, or throws DataLockedError naming its holder. */
export function lockDatabase(databasePath: string): DataLock {
  if (isMemoryPath(databasePath)) return NO_LOCK;
  const file = resolve(databasePath);
  const lockPath = `${file}.lock`;
  const infoPath = `${lockPath}.json`;
  fs.mkdirSync(dirname(file), { recursive: true });
  // timeout 0: a held lock is an answer, not something to wait for.
  const db = new Database(lockPath, { timeout: 0 });
  try {
    db.pragma("locking_mode = EXCLUSIVE");
    db.exec("BEGIN EXCLUSIVE");
  } catch (err) {
    db.close();
    if (isBusy(err)) throw new DataLockedError(file, lockPath, readHolder(infoPath));
    throw err;
  }
  const holder: DataLockHolder = { pid: process.pid, hostname: os.hostname(), started_at: new Date().toISOString() };
  let held = true;
  const lock: DataLock = {
    path: lockPath,
    describe(details) {
      if (held) writeHolder(infoPath, { ...holder, ...details });
    },
    release() {
      if (!held) return;
      held = false;
      // While the lock is still ours: no other holder's file can be removed.
      fs.rmSync(infoPath, { force: true });
      db.close();
    },
  };
  try {
    writeHolder(infoPath, holder);
  } catch (err) {
    lock.release();
    throw err;
  }
  return lock;
}
