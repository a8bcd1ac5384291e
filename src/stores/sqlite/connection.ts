/**
 * A connection to the SQLite file with Threadgate's settings, without migrations: what every
 * thread that touches the database opens (the server's stores migrate first; see database.ts).
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { isMemoryPath } from "./files/paths.ts";

export type SqliteDatabase = Database.Database;

export interface OpenConnectionOptions {
  /** Milliseconds a statement waits on a lock held by another connection/process (default 5000). */
  busyTimeoutMs?: number;
}

export function openConnection(path: string, opts: OpenConnectionOptions = {}): SqliteDatabase {
  if (!isMemoryPath(path)) mkdirSync(dirname(resolve(path)), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma("journal_mode = WAL"); // stays "memory" for :memory:
    db.pragma("synchronous = NORMAL");
    // Checkpoint the WAL into the database every ~40 MiB instead of SQLite's default ~4 MiB: the
    // hot pages (runs, threads, their indexes) are rewritten by every run, and a longer WAL folds
    // many of those rewrites into one checkpoint. Measured on runs/wait: ~250 → ~280 runs/s.
    // After a checkpoint the file is cut back to 64 MiB at most.
    db.pragma("wal_autocheckpoint = 10000");
    db.pragma("journal_size_limit = 67108864");
    db.pragma("foreign_keys = ON");
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
