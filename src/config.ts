/**
 * The one typed entry point for configuration. Everything comes from the
 * environment (or overrides passed by tests), parsed and checked once at boot.
 */
import path from "node:path";
import { checkpointsPathFor } from "./stores/sqlite/files/paths.ts";
import { AUTH_MODES, type AuthMode } from "./auth/types.ts";

/** The official SDK's default `apiUrl` is http://localhost:8123, so `new Client()` finds us as-is. */
export const DEFAULT_PORT = 8123;

export interface ServerConfig {
  /** TCP port; 0 picks an ephemeral port. */
  port: number;
  host: string;
  /** Path prefix the API is mounted at, "" for the root ("/api" reproduces the seed's layout). */
  basePath: string;
  /** Path to langgraph.json. */
  graphsConfigPath: string;
  /** SQLite database file (":memory:" for a throwaway database). */
  sqlitePath: string;
  /** DATABASE_URL: a `postgres://` URL selects the Postgres backend for every store; null: SQLite. */
  databaseUrl: string | null;
  /** The Postgres schema the stores live in (THREADGATE_POSTGRES_SCHEMA, default `public`). */
  postgresSchema: string;
  /**
   * REDIS_URL: with Postgres, how processes tell each other at once of stream events, cancels and queued
   * runs; null (or Redis down): they find out by polling the database every `clusterPollMs`.
   */
  redisUrl: string | null;
  /** Milliseconds between looks at the database for what other processes did, when Redis does not say (THREADGATE_CLUSTER_POLL_MS). */
  clusterPollMs: number;
  /**
   * Seconds a worker's lease on a run lasts unless renewed (heartbeats every third of it): how long a run whose
   * process died waits before another resumes it (THREADGATE_RUN_LEASE_SECONDS, default 30).
   */
  runLeaseSeconds: number;
  /** Times a run is started, first attempt included, before a run whose worker keeps dying ends as `error` (THREADGATE_RUN_MAX_ATTEMPTS). */
  runMaxAttempts: number;
  /** The LangGraph checkpoints' SQLite file (default: beside sqlitePath, `<name>.checkpoints.db`). */
  checkpointsPath: string;
  /** Seconds between `: heartbeat` comments on idle SSE streams. */
  heartbeatSeconds: number;
  logLevel: string;
  /**
   * Origins browsers may call from (THREADGATE_CORS_ORIGINS); null when unset: langgraph.json's
   * `http.cors.allow_origins` (or `allow_origin_regex`), else any ("*").
   */
  corsOrigins: string[] | "*" | null;
  /**
   * Request headers a browser may send (lowercase, THREADGATE_CORS_HEADERS); null when unset:
   * langgraph.json's `http.cors.allow_headers`, else those its preflight asks for.
   */
  corsHeaders: string[] | null;
  /** Run webhooks: per-attempt timeout, retries after the first attempt, first backoff (doubles). */
  webhookTimeoutMs: number;
  webhookRetries: number;
  webhookBackoffMs: number;
  /** Hostnames, IPs and CIDRs webhooks may reach although they are loopback/private/link-local ("*": any). */
  webhookAllowedHosts: string[];
  /** Stream events of runs that ended longer ago than this are deleted (0 keeps them forever). */
  streamRetentionSeconds: number;
  /** Events of one active run kept in memory for live readers (older ones are read from the store). */
  streamEventsInMemory: number;
  /**
   * Bytes of stream events held in memory on their way from a graph to the store: per graph worker in
   * flight to the server thread, per active run for live readers, and not yet stored. A graph that emits
   * faster waits where it emits.
   */
  streamBufferBytes: number;
  /**
   * Seconds an `Idempotency-Key` answers retries of the request it came with, from its admission
   * (THREADGATE_IDEMPOTENCY_TTL_SECONDS, default 24 h); after that the key is free again.
   */
  idempotencyTtlSeconds: number;
  /** Bytes of finished runs' JSON kept in memory for GET (0: none). */
  runCacheBytes: number;
  /** Worker threads that run graphs; 0 runs them in the server's own thread. */
  graphWorkers: number;
  /** Heap (old generation, MiB) each graph worker may use; 0 leaves Node's own limit. */
  graphWorkerHeapMb: number;
  /** On SIGTERM/SIGINT, seconds runs in flight get to end before they are stopped as shut down. */
  shutdownGraceSeconds: number;
  /** Milliseconds between the cron scheduler's ticks (THREADGATE_CRON_TICK_MS). */
  cronTickMs: number;
  /** Close every SSE stream with `event: end` (the official servers send none; DeerFlow-style frontends want it). */
  streamEndEvent: boolean;
  /** Deepest nesting of objects and arrays a request body may have (the body itself is level 1). */
  maxJsonDepth: number;
  /**
   * Host names answered besides loopback ones while the server listens on a loopback address
   * (lowercase, without port); "*" answers any Host.
   */
  allowedHosts: string[] | "*";
  /** Serve without authentication on an address beyond loopback (refused at start otherwise). */
  allowUnauthenticated: boolean;
  /** How callers are authenticated; "auto": custom when langgraph.json has `auth.path`, else none. */
  authMode: AuthMode | "auto";
  /** Mode jwt: an HS256 secret or a JWKS URL (RS256/ES256), and the audiences and issuers accepted (empty: any). */
  jwt: { secret?: string; jwksUrl?: string; audience: string[]; issuer: string[] };
  /**
   * The system assistants' config and context, by graph id, from `LANGGRAPH_CONFIG` as LangGraph servers
   * read it: a JSON object mapping a graph id to a config (`configurable`, `tags`, ...) whose `context`
   * key, if any, is the assistant's context.
   */
  systemAssistantDefaults: Record<string, { config: Record<string, unknown>; context: Record<string, unknown> }>;
}

/**
 * The default keeps a LangChain message anywhere in a body within the 50 levels LangChain's
 * deserialiser (`@langchain/core/load`) revives: a message in a run's input starts at level 4, and
 * one nested past its limit is checkpointed but can never be read back (the thread's state is a
 * 500 from then on). Past ~3,000 levels any run fails, past ~4,100 JSON.stringify does.
 */
export const DEFAULT_MAX_JSON_DEPTH = 50;
export const MAX_JSON_DEPTH_CEILING = 1000;

function depthFrom(value: string | undefined): number {
  if (value === undefined || value === "") return DEFAULT_MAX_JSON_DEPTH;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_JSON_DEPTH_CEILING)
    throw new Error(`THREADGATE_MAX_JSON_DEPTH must be an integer from 1 to ${MAX_JSON_DEPTH_CEILING}, got "${value}"`);
  return n;
}

/** `a.example, B.example:8443` → `["a.example", "b.example"]`; `*` stays `*`. */
/** A comma-separated setting as its non-empty entries, trimmed (and lowercased, for names). */
function listFrom(value: string | undefined, lowercase = false): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => (lowercase ? s.trim().toLowerCase() : s.trim()))
    .filter(Boolean);
}

function hostsFrom(value: string | undefined): string[] | "*" {
  const entries = listFrom(value, true);
  if (entries.includes("*")) return "*";
  return entries.map((host) =>
    host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d*$/, ""),
  );
}

function corsOriginsFrom(value: string | undefined): string[] | "*" | null {
  const entries = listFrom(value);
  if (entries.length === 0) return null;
  return entries.includes("*") ? "*" : entries;
}

function authModeFrom(value: string | undefined): AuthMode | "auto" {
  if (value === undefined || value === "" || value === "auto") return "auto";
  if ((AUTH_MODES as readonly string[]).includes(value)) return value as AuthMode;
  throw new Error(`THREADGATE_AUTH must be one of auto, ${AUTH_MODES.join(", ")}; got "${value}"`);
}

function flagFrom(value: string | undefined, fallback: boolean, name: string): boolean {
  if (value === undefined || value === "") return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new Error(`${name} must be true or false, got "${value}"`);
}

export const DEFAULT_STREAM_BUFFER_KB = 1024;

function bufferFrom(value: string | undefined): number {
  if (value === undefined || value === "") return DEFAULT_STREAM_BUFFER_KB * 1024;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 16 || n > 1024 * 1024)
    throw new Error(`THREADGATE_STREAM_BUFFER_KB must be an integer from 16 to 1048576 (1 GiB), got "${value}"`);
  return n * 1024;
}

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${value}"`);
  return n;
}

export const DEFAULT_CRON_TICK_MS = 1000;

function cronTickFrom(value: string | undefined): number {
  if (value === undefined || value === "") return DEFAULT_CRON_TICK_MS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 10 || n > 60_000)
    throw new Error(`THREADGATE_CRON_TICK_MS must be an integer from 10 to 60000, got "${value}"`);
  return n;
}

export const DEFAULT_IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

function idempotencyTtlFrom(value: string | undefined): number {
  if (value === undefined || value === "") return DEFAULT_IDEMPOTENCY_TTL_SECONDS;
  const n = Number(value);
  // A year at most: keys are stored rows, and a key kept 0 s would answer no retry.
  if (!Number.isInteger(n) || n < 1 || n > 366 * 24 * 3600)
    throw new Error(`THREADGATE_IDEMPOTENCY_TTL_SECONDS must be an integer from 1 to 31622400, got "${value}"`);
  return n;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function systemAssistantDefaultsFrom(value: string | undefined): ServerConfig["systemAssistantDefaults"] {
  if (value === undefined || value.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    throw new Error(`LANGGRAPH_CONFIG must be JSON (a graph id -> config object): ${(err as Error).message}`);
  }
  if (!isJsonObject(parsed)) throw new Error("LANGGRAPH_CONFIG must be a JSON object mapping graph ids to configs");
  const defaults: ServerConfig["systemAssistantDefaults"] = {};
  for (const [graphId, entry] of Object.entries(parsed)) {
    if (!isJsonObject(entry)) throw new Error(`LANGGRAPH_CONFIG["${graphId}"] must be a config object`);
    const { context, ...config } = entry;
    if (context !== undefined && !isJsonObject(context))
      throw new Error(`LANGGRAPH_CONFIG["${graphId}"].context must be an object`);
    defaults[graphId] = { config, context: context ?? {} };
  }
  return defaults;
}

export function normaliseBasePath(raw: string | undefined): string {
  if (!raw || raw === "/") return "";
  const withSlash = raw.startsWith("/") ? raw : `/${raw}`;
  return withSlash.replace(/\/+$/, "");
}

/** A number above 0, or the default when unset. */
function positiveFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value.trim() === "") return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a number above 0, got "${value}"`);
  return n;
}

/** DATABASE_URL: unset or blank is SQLite; otherwise it must be a postgres:// (or postgresql://) URL. */
function databaseUrlFrom(value: string | undefined): string | null {
  if (!value || value.trim() === "") return null;
  if (!/^postgres(ql)?:\/\//.test(value.trim())) {
    throw new Error(`DATABASE_URL must be a postgres:// URL (the Postgres backend); unset it for SQLite`);
  }
  return value.trim();
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const config: ServerConfig = {
    port: intFrom(env.PORT, DEFAULT_PORT, "PORT"),
    host: env.HOST ?? "127.0.0.1",
    basePath: normaliseBasePath(env.THREADGATE_BASE_PATH),
    graphsConfigPath: path.resolve(env.THREADGATE_GRAPHS ?? "langgraph.json"),
    sqlitePath: env.THREADGATE_SQLITE_PATH ?? path.resolve("data", "threadgate.db"),
    checkpointsPath: env.THREADGATE_CHECKPOINTS_PATH ?? "",
    databaseUrl: databaseUrlFrom(env.DATABASE_URL),
    postgresSchema: env.THREADGATE_POSTGRES_SCHEMA || "public",
    redisUrl: env.REDIS_URL?.trim() || null,
    clusterPollMs: positiveFrom(env.THREADGATE_CLUSTER_POLL_MS, 500, "THREADGATE_CLUSTER_POLL_MS"),
    runLeaseSeconds: positiveFrom(env.THREADGATE_RUN_LEASE_SECONDS, 30, "THREADGATE_RUN_LEASE_SECONDS"),
    runMaxAttempts: Math.floor(positiveFrom(env.THREADGATE_RUN_MAX_ATTEMPTS, 3, "THREADGATE_RUN_MAX_ATTEMPTS")),
    heartbeatSeconds: intFrom(env.THREADGATE_HEARTBEAT_SECONDS, 10, "THREADGATE_HEARTBEAT_SECONDS"),
    logLevel: env.LOG_LEVEL ?? "info",
    corsOrigins: corsOriginsFrom(env.THREADGATE_CORS_ORIGINS),
    corsHeaders: env.THREADGATE_CORS_HEADERS ? listFrom(env.THREADGATE_CORS_HEADERS, true) : null,
    webhookTimeoutMs: intFrom(env.THREADGATE_WEBHOOK_TIMEOUT_MS, 10_000, "THREADGATE_WEBHOOK_TIMEOUT_MS"),
    webhookRetries: intFrom(env.THREADGATE_WEBHOOK_RETRIES, 3, "THREADGATE_WEBHOOK_RETRIES"),
    webhookBackoffMs: intFrom(env.THREADGATE_WEBHOOK_BACKOFF_MS, 1_000, "THREADGATE_WEBHOOK_BACKOFF_MS"),
    webhookAllowedHosts: listFrom(env.THREADGATE_WEBHOOK_ALLOWED_HOSTS),
    streamEventsInMemory: intFrom(env.THREADGATE_STREAM_EVENTS_IN_MEMORY, 10_000, "THREADGATE_STREAM_EVENTS_IN_MEMORY"),
    streamBufferBytes: bufferFrom(env.THREADGATE_STREAM_BUFFER_KB),
    idempotencyTtlSeconds: idempotencyTtlFrom(env.THREADGATE_IDEMPOTENCY_TTL_SECONDS),
    runCacheBytes: intFrom(env.THREADGATE_RUN_CACHE_MB, 16, "THREADGATE_RUN_CACHE_MB") * 1024 * 1024,
    graphWorkers: Math.floor(intFrom(env.THREADGATE_GRAPH_WORKERS, 1, "THREADGATE_GRAPH_WORKERS")),
    graphWorkerHeapMb: Math.floor(intFrom(env.THREADGATE_GRAPH_WORKER_HEAP_MB, 0, "THREADGATE_GRAPH_WORKER_HEAP_MB")),
    shutdownGraceSeconds: intFrom(env.THREADGATE_SHUTDOWN_GRACE_SECONDS, 5, "THREADGATE_SHUTDOWN_GRACE_SECONDS"),
    cronTickMs: cronTickFrom(env.THREADGATE_CRON_TICK_MS),
    streamEndEvent: flagFrom(env.THREADGATE_STREAM_END_EVENT, false, "THREADGATE_STREAM_END_EVENT"),
    maxJsonDepth: depthFrom(env.THREADGATE_MAX_JSON_DEPTH),
    allowedHosts: hostsFrom(env.THREADGATE_ALLOWED_HOSTS),
    allowUnauthenticated: flagFrom(env.THREADGATE_ALLOW_UNAUTHENTICATED, false, "THREADGATE_ALLOW_UNAUTHENTICATED"),
    authMode: authModeFrom(env.THREADGATE_AUTH),
    jwt: {
      secret: env.THREADGATE_JWT_SECRET || undefined,
      jwksUrl: env.THREADGATE_JWT_JWKS_URL || undefined,
      audience: listFrom(env.THREADGATE_JWT_AUDIENCE),
      issuer: listFrom(env.THREADGATE_JWT_ISSUER),
    },
    systemAssistantDefaults: systemAssistantDefaultsFrom(env.LANGGRAPH_CONFIG),
    streamRetentionSeconds: intFrom(
      env.THREADGATE_STREAM_RETENTION_SECONDS,
      7 * 24 * 3600,
      "THREADGATE_STREAM_RETENTION_SECONDS",
    ),
  };
  const merged = { ...config, ...overrides, basePath: normaliseBasePath(overrides.basePath ?? config.basePath) };
  // Beside the database unless given: a test's or a bench's own database gets its own checkpoints.
  if (!merged.checkpointsPath) merged.checkpointsPath = checkpointsPathFor(merged.sqlitePath);
  return merged;
}
