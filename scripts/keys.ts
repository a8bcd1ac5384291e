/**
 * Mints, lists and revokes API keys (auth mode `api-keys`) in the server's database: DATABASE_URL's
 * Postgres schema, else THREADGATE_SQLITE_PATH or data/threadgate.db, as the server reads it (src/config.ts).
 *
 * It opens that file with a connection of its own and takes no data lock, so it works beside a
 * running server (SQLite WAL); the server reads keys afresh on every request, so a revoke applies
 * from the next request on. Exit codes: 0 done, 1 failed (unknown or already revoked key, no
 * database), 2 usage.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { loadConfig } from "../src/config.ts";
import { ApiKeyInputError, mintApiKey, validateMintOptions } from "../src/auth/api-keys.ts";
import type { ApiKeyRecord, ApiKeyStore } from "../src/stores/api-keys.ts";
import { SqliteApiKeyStore } from "../src/stores/sqlite/api-keys.ts";
import { openDatabase, type SqliteDatabase } from "../src/stores/sqlite/database.ts";
import { isMemoryPath } from "../src/stores/sqlite/files/paths.ts";
import { openPostgresStores } from "../src/stores/postgres/index.ts";

const USAGE = `Usage: npm run keys -- <command> [options]

  mint --user <id> [--name <label>] [--permissions <p,p,...>] [--json]
      Makes a key that acts as user <id> and prints it (shown this once only).
      Permissions: "*" (the default), "resource:*" or "resource:action", e.g. threads:read,runs:*
  list [--user <id>] [--json]
      Lists keys, oldest first, revoked ones too (never their secrets).
  revoke <key_id>
      Revokes a key: the server refuses it from the next request on.

The database is the server's: DATABASE_URL's Postgres (THREADGATE_POSTGRES_SCHEMA), else
THREADGATE_SQLITE_PATH, or data/threadgate.db.`;

/** What the user typed wrong: usage text, exit 2. */
class UsageError extends Error {}
/** What could not be done: a message, exit 1. */
class CommandError extends Error {}

/** A command whose arguments have been checked: what it does once the database is open. */
/** `where`: the database the keys are in, as the mint report names it. */
type Job = (store: ApiKeyStore, where: string) => Promise<void>;

function print(line = ""): void {
  process.stdout.write(`${line}\n`);
}

/** parseArgs, with its complaints (an unknown option, a missing value) as usage errors. */
function parse<const T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function mintJob(args: string[]): Job {
  const { values } = parse({
    args,
    options: {
      user: { type: "string" },
      name: { type: "string" },
      permissions: { type: "string" },
      json: { type: "boolean" },
    },
    strict: true,
  });
  if (values.user === undefined) throw new UsageError("mint needs --user <id>");
  // "threads:read, runs:*" reads as two permissions, as it would to a person.
  const permissions = values.permissions
    ?.split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const opts = validateMintOptions({ user: values.user, name: values.name, permissions });
  return async (store, where) => {
    const { key, record } = await mintApiKey(store, opts);
    if (values.json) {
      print(JSON.stringify({ key, ...record }));
      return;
    }
    print(`API key for ${record.user_id}. It is shown this once only: store it now.`);
    print();
    print(`  ${key}`);
    print();
    print(`key_id:      ${record.key_id}`);
    print(`user:        ${record.user_id}`);
    if (record.name !== null) print(`name:        ${record.name}`);
    print(`permissions: ${record.permissions.join(",")}`);
    print(`database:    ${where}`);
  };
}

function table(keys: ApiKeyRecord[]): string[] {
  const rows = [
    ["KEY_ID", "USER", "NAME", "PERMISSIONS", "CREATED", "REVOKED"],
    ...keys.map((k) => [
      k.key_id,
      k.user_id,
      k.name ?? "-",
      k.permissions.join(","),
      k.created_at,
      k.revoked_at ?? "-",
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]))
      .join("  ")
      .trimEnd(),
  );
}

function listJob(args: string[]): Job {
  const { values } = parse({ args, options: { user: { type: "string" }, json: { type: "boolean" } }, strict: true });
  return async (store) => {
    const keys = await store.list({ user_id: values.user });
    if (values.json) print(JSON.stringify(keys));
    else if (keys.length === 0) print("No API keys.");
    else for (const line of table(keys)) print(line);
  };
}

function revokeJob(args: string[]): Job {
  const { positionals } = parse({ args, options: {}, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError("revoke needs one <key_id>");
  const [keyId] = positionals;
  return async (store) => {
    const key = await store.find(keyId);
    if (!key) throw new CommandError(`no API key has key_id ${JSON.stringify(keyId)}`);
    // revoke() says only whether this call revoked it: one that lost a race reads the winner's time.
    if (!(await store.revoke(keyId)))
      throw new CommandError(`API key ${keyId} was already revoked at ${(await store.find(keyId))?.revoked_at}`);
    print(`Revoked API key ${keyId} (user ${key.user_id}).`);
  };
}

const COMMANDS: Record<string, (args: string[]) => Job> = { mint: mintJob, list: listJob, revoke: revokeJob };

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === "help" || command === "--help" || command === "-h") {
    print(USAGE);
    return 0;
  }
  let db: SqliteDatabase | undefined;
  try {
    if (command === undefined) throw new UsageError("no command given");
    if (!Object.hasOwn(COMMANDS, command)) throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    // Arguments are checked before the database is opened: a typo creates no file.
    const job = COMMANDS[command](args);
    const config = loadConfig(process.env);
    if (config.databaseUrl) {
      // The Postgres backend (DATABASE_URL), beside a running server: its pool, no lock.
      const stores = await openPostgresStores({
        url: config.databaseUrl,
        schema: config.postgresSchema,
        maxConnections: 1,
      });
      try {
        await job(stores.apiKeys, `postgres schema ${config.postgresSchema}`);
      } finally {
        await stores.close();
      }
      return 0;
    }
    const path = config.sqlitePath;
    if (isMemoryPath(path))
      throw new CommandError(`THREADGATE_SQLITE_PATH=${path} is an in-memory database: keys there would be lost`);
    db = await openDatabase(path);
    await job(new SqliteApiKeyStore(db), db.name);
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof ApiKeyInputError) {
      process.stderr.write(`keys: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`keys: ${err instanceof CommandError ? err.message : String(err)}\n`);
    return 1;
  } finally {
    db?.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
