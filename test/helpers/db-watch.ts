/**
 * Watches the server's SQLite files from outside, read-only: a snapshot is every row of every table
 * (as text), so two snapshots tell which rows a request added or removed. `PRAGMA data_version` moves
 * whenever another connection commits, so an unchanged file is known without reading a row.
 */
import Database from "better-sqlite3";

export interface Snapshot {
  versions: number[];
  /** Characters of row text in all: what reading the next snapshot will cost. */
  size: number;
  /** file → table → rows (each row as the JSON text of its values, blobs in base64). */
  tables: Map<string, Map<string, Set<string>>>;
  /** file → table → column names, in the order of each row's values. */
  columns: Map<string, Map<string, string[]>>;
}

export interface RowChange {
  file: string;
  table: string;
  columns: string[];
  added: string[];
  removed: string[];
}

/** Canonical UUID text: lowercase, no prefix. Anything else that parses as a UUID is an odd spelling. */
const UUID_ANY = /^(?:urn:uuid:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class DbWatch {
  private readonly dbs: { file: string; db: Database.Database }[];

  constructor(files: string[]) {
    this.dbs = files.map((file) => ({ file, db: new Database(file, { readonly: true, fileMustExist: true }) }));
  }

  versions(): number[] {
    return this.dbs.map(({ db }) => db.pragma("data_version", { simple: true }) as number);
  }

  /** Whether any file had a commit since `snap` was taken (cheap: no rows are read). */
  movedSince(snap: Snapshot): boolean {
    return this.versions().some((v, i) => v !== snap.versions[i]);
  }

  snapshot(): Snapshot {
    const tables = new Map<string, Map<string, Set<string>>>();
    const columns = new Map<string, Map<string, string[]>>();
    const versions = this.versions();
    let size = 0;
    for (const { file, db } of this.dbs) {
      const byTable = new Map<string, Set<string>>();
      const columnsOf = new Map<string, string[]>();
      const names = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .pluck()
        .all() as string[];
      db.transaction(() => {
        for (const name of names) {
          const rows = new Set<string>();
          const select = db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).raw();
          columnsOf.set(
            name,
            select.columns().map((c) => c.name),
          );
          for (const row of select.iterate() as Iterable<unknown[]>) {
            const text = rowText(row);
            size += text.length;
            rows.add(text);
          }
          byTable.set(name, rows);
        }
      })();
      tables.set(file, byTable);
      columns.set(file, columnsOf);
    }
    return { versions, size, tables, columns };
  }

  /** Rows added and removed between two snapshots, per table. */
  static diff(before: Snapshot, after: Snapshot): RowChange[] {
    const changes: RowChange[] = [];
    for (const [file, tables] of after.tables) {
      const old = before.tables.get(file) ?? new Map<string, Set<string>>();
      for (const table of new Set([...tables.keys(), ...old.keys()])) {
        const a = tables.get(table) ?? new Set<string>();
        const b = old.get(table) ?? new Set<string>();
        const added = [...a].filter((r) => !b.has(r));
        const removed = [...b].filter((r) => !a.has(r));
        const columns = after.columns.get(file)?.get(table) ?? before.columns.get(file)?.get(table) ?? [];
        if (added.length || removed.length) changes.push({ file, table, columns, added, removed });
      }
    }
    return changes;
  }

  close(): void {
    for (const { db } of this.dbs) db.close();
  }
}

/** Values as JSON; a blob as base64 text (JSON.stringify would write a Buffer byte by byte). */
function rowText(row: unknown[]): string {
  return JSON.stringify(row.map((v) => (Buffer.isBuffer(v) ? `blob:${v.toString("base64")}` : v)));
}

/** Id columns (`…_id`) of added rows that hold a UUID in another spelling than the canonical one. */
export function oddIds(changes: RowChange[]): string[] {
  const found = new Set<string>();
  for (const { table, columns, added } of changes) {
    for (const text of added) {
      const row = JSON.parse(text) as unknown[];
      for (const [i, v] of row.entries()) {
        const col = columns[i] ?? "";
        if (!col.endsWith("_id") || typeof v !== "string") continue;
        if (UUID_ANY.test(v) && !UUID_CANONICAL.test(v)) found.add(`${table}.${col} = ${JSON.stringify(v)}`);
      }
    }
  }
  return [...found];
}

export function describeChanges(changes: RowChange[]): string {
  return changes
    .map(({ table, columns, added, removed }) => {
      const sample = (rows: string[]) => {
        if (!rows.length) return "";
        const values = JSON.parse(rows[0]) as unknown[];
        const text = JSON.stringify(Object.fromEntries(values.map((v, i) => [columns[i] ?? i, v])));
        return ` e.g. ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`;
      };
      return `${table}: +${added.length}${sample(added)} −${removed.length}${sample(removed)}`;
    })
    .join("; ");
}
