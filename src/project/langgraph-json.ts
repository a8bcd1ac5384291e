/**
 * langgraph.json, read as LangGraph servers read it: once, at start, into one typed `Project` that the
 * graph registry (`graphs`), auth (`auth`), the HTTP door (`http`) and the server (`env`) take their
 * parts of. Paths in it are relative to its folder.
 *
 * Keys of the LangGraph CLI's schema that concern building an image (`dependencies`, `dockerfile_lines`,
 * `node_version`, …) or things this server does not have (`ui`) are accepted and ignored, as
 * are `webhooks` and `encryption`; of `checkpointer`, its `ttl` is read (threads' time to live), and
 * `store` (its `index` and `ttl`: runtime/store/settings.ts). A key of no schema is logged as a warning naming it
 * (`unknownKeys`), never fatal: a newer CLI's key must not stop a server. A known key with a value of the
 * wrong type stops the start, naming the key.
 */
import fs from "node:fs/promises";
import { ttlSettingsFrom, type ThreadTtlSettings } from "../runtime/threads/ttl-settings.ts";
import path from "node:path";
import { readProjectEnv } from "./env.ts";
import { moduleExport, type ModuleExport } from "./module-export.ts";
import { storeSettingsFrom, type StoreSettings } from "../runtime/store/settings.ts";

export { moduleExport, type ModuleExport };

/** One entry of `graphs`: `"./file.ts:graph"` or `{"path": "./file.ts:graph", "description": "…"}`. */
export interface ProjectGraph extends ModuleExport {
  graphId: string;
  description: string | null;
  /** Why the entry names no module (it has no `path`): the graph is a load failure. */
  problem?: string;
}

/** `auth`: the `Auth` object of `@langchain/langgraph-sdk/auth` to use, and `disable_studio_auth`. */
export interface ProjectAuth extends ModuleExport {
  disableStudioAuth: boolean;
}

/** `http.cors`, as LangGraph documents it; a key left out keeps the server's default. */
export interface ProjectCors {
  allowOrigins?: string[];
  allowOriginRegex?: string;
  allowMethods?: string[];
  allowHeaders?: string[];
  allowCredentials: boolean;
  exposeHeaders?: string[];
  maxAge?: number;
}

/** The `http.disable_<group>` keys LangGraph servers know. */
export const DISABLE_GROUPS = [
  "assistants",
  "threads",
  "runs",
  "store",
  "meta",
  "ui",
  "webhooks",
  "mcp",
  "a2a",
] as const;
export type DisableGroup = (typeof DISABLE_GROUPS)[number];

export interface ProjectHttp {
  /** `http.app`: the user's custom routes (a fetch-style handler or an object with `fetch`, e.g. a Hono app). */
  app: ModuleExport | null;
  /** `http.enable_custom_route_auth`: custom routes pass the API's authentication. */
  enableCustomRouteAuth: boolean;
  cors: ProjectCors | null;
  /** The groups whose `http.disable_<group>` is true. */
  disabled: ReadonlySet<DisableGroup>;
}

export interface Project {
  /** Absolute path of langgraph.json. */
  path: string;
  graphs: ProjectGraph[];
  /** `env`'s variables (read from its file, when it names one). */
  env: Record<string, string>;
  /** The `.env` file `env` names, or null. */
  envFile: string | null;
  auth: ProjectAuth | null;
  http: ProjectHttp;
  /** `checkpointer.ttl`: the default time to live of new threads, and how expired ones are swept. */
  threadTtl: ThreadTtlSettings;
  /** `store`: semantic search (`index`) and items' time to live (`ttl`). */
  store: StoreSettings;
  /** Keys of no schema, as `key` or `http.key`: logged as warnings. */
  unknownKeys: string[];
  /** Keys LangGraph servers act on that this one accepts without acting on (`http.mount_prefix`): logged. */
  notApplied: string[];
}

/** Top-level keys of the LangGraph CLI's schema (Python and JS) besides those read here. */
const ACCEPTED_TOP_LEVEL = [
  "$schema",
  "version",
  "_INTERNAL_docker_tag",
  "api_version",
  "base_image",
  "checkpointer",
  "dependencies",
  "dockerfile_lines",
  "encryption",
  "image_distro",
  "keep_pkg_tools",
  "node_version",
  "pip_config_file",
  "pip_installer",
  "python_version",
  "ui",
  "ui_config",
  "webhooks",
];
const READ_TOP_LEVEL = ["graphs", "env", "auth", "http", "store"];

/** `http` keys LangGraph servers act on and this one does not (yet): accepted with a warning saying so. */
const HTTP_NOT_APPLIED = ["configurable_headers", "logging_headers", "middleware_order", "mount_prefix"];
const HTTP_READ = ["app", "cors", "enable_custom_route_auth", ...DISABLE_GROUPS.map((g) => `disable_${g}`)];

const CORS_KEYS = [
  "allow_origins",
  "allow_origin_regex",
  "allow_methods",
  "allow_headers",
  "allow_credentials",
  "expose_headers",
  "max_age",
];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads the fields of one object of langgraph.json, each checked, with errors naming `where`. */
class Fields {
  constructor(
    private readonly configPath: string,
    private readonly where: string,
    private readonly obj: Record<string, unknown>,
  ) {}

  private fail(key: string, what: string): never {
    throw new Error(`${this.configPath}: "${this.where}${key}" must be ${what}`);
  }

  flag(key: string): boolean {
    const v = this.obj[key];
    if (v === undefined || v === null) return false;
    if (typeof v !== "boolean") this.fail(key, "true or false");
    return v;
  }

  text(key: string): string | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string" || v === "") this.fail(key, "a non-empty string");
    return v;
  }

  list(key: string): string[] | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || !v.every((s) => typeof s === "string")) this.fail(key, "a list of strings");
    return v;
  }

  seconds(key: string): number | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) this.fail(key, "a whole number of seconds");
    return v;
  }
}

function readGraphs(raw: unknown, configPath: string, dir: string): ProjectGraph[] {
  if (!isObject(raw)) throw new Error(`${configPath}: "graphs" is missing`);
  return Object.entries(raw).map(([graphId, entry]) => {
    const spec = typeof entry === "string" ? entry : isObject(entry) ? entry.path : undefined;
    const description = isObject(entry) && typeof entry.description === "string" ? entry.description : null;
    if (typeof spec !== "string")
      return {
        graphId,
        file: configPath,
        exportName: "default",
        description,
        problem: `graph "${graphId}" needs a "path"`,
      };
    return { graphId, description, ...moduleExport(spec, dir) };
  });
}

function readAuth(raw: unknown, configPath: string, dir: string): ProjectAuth | null {
  if (raw === undefined || raw === null) return null;
  if (!isObject(raw) || typeof raw.path !== "string" || !raw.path)
    throw new Error(`${configPath}: "auth" needs a "path" such as "./auth.ts:auth"`);
  return { ...moduleExport(raw.path, dir), disableStudioAuth: raw.disable_studio_auth === true };
}

function readCors(raw: unknown, configPath: string, unknownKeys: string[]): ProjectCors | null {
  if (raw === undefined || raw === null) return null;
  if (!isObject(raw)) throw new Error(`${configPath}: "http.cors" must be an object`);
  for (const key of Object.keys(raw)) if (!CORS_KEYS.includes(key)) unknownKeys.push(`http.cors.${key}`);
  const f = new Fields(configPath, "http.cors.", raw);
  const allowOriginRegex = f.text("allow_origin_regex");
  if (allowOriginRegex !== undefined) {
    try {
      new RegExp(allowOriginRegex);
    } catch (err) {
      throw new Error(
        `${configPath}: "http.cors.allow_origin_regex" is not a regular expression: ${(err as Error).message}`,
      );
    }
  }
  return {
    allowOrigins: f.list("allow_origins"),
    allowOriginRegex,
    allowMethods: f.list("allow_methods"),
    allowHeaders: f.list("allow_headers"),
    allowCredentials: f.flag("allow_credentials"),
    exposeHeaders: f.list("expose_headers"),
    maxAge: f.seconds("max_age"),
  };
}

function readHttp(
  raw: unknown,
  configPath: string,
  dir: string,
  unknownKeys: string[],
  notApplied: string[],
): ProjectHttp {
  if (raw !== undefined && raw !== null && !isObject(raw)) throw new Error(`${configPath}: "http" must be an object`);
  const http = raw ?? {};
  for (const key of Object.keys(http)) {
    if (HTTP_NOT_APPLIED.includes(key)) notApplied.push(`http.${key}`);
    else if (!HTTP_READ.includes(key)) unknownKeys.push(`http.${key}`);
  }
  const f = new Fields(configPath, "http.", http);
  const app = f.text("app");
  return {
    app: app === undefined ? null : moduleExport(app, dir),
    enableCustomRouteAuth: f.flag("enable_custom_route_auth"),
    cors: readCors(http.cors, configPath, unknownKeys),
    disabled: new Set(DISABLE_GROUPS.filter((group) => f.flag(`disable_${group}`))),
  };
}

/** Parses the text of langgraph.json (at `configPath`, for relative paths and messages). */
export async function parseProject(text: string, configPath: string): Promise<Project> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${configPath} is not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(raw)) throw new Error(`${configPath} must hold a JSON object`);
  const dir = path.dirname(configPath);
  const unknownKeys = Object.keys(raw).filter((k) => !READ_TOP_LEVEL.includes(k) && !ACCEPTED_TOP_LEVEL.includes(k));
  const notApplied: string[] = [];
  const graphs = readGraphs(raw.graphs, configPath, dir);
  const auth = readAuth(raw.auth, configPath, dir);
  const http = readHttp(raw.http, configPath, dir, unknownKeys, notApplied);
  const env = await readProjectEnv(raw.env, configPath);
  const threadTtl = ttlSettingsFrom(raw.checkpointer, configPath);
  const store = storeSettingsFrom(raw.store, configPath, unknownKeys);
  return {
    path: configPath,
    graphs,
    env: env.vars,
    envFile: env.file,
    auth,
    http,
    threadTtl,
    store,
    unknownKeys,
    notApplied,
  };
}

/** Reads and parses langgraph.json; a missing or unreadable file stops the start, naming it. */
export async function loadProject(configPath: string): Promise<Project> {
  let text: string;
  try {
    text = await fs.readFile(configPath, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      code === "ENOENT"
        ? `${configPath} does not exist (THREADGATE_GRAPHS names the langgraph.json to serve)`
        : `${configPath} cannot be read: ${(err as Error).message}`,
    );
  }
  return parseProject(text, configPath);
}
