/**
 * The store's settings as LangGraph servers read langgraph.json's `store`:
 * - `ttl`: `refresh_on_read` (default true), `default_ttl` (minutes, for items put without a `ttl`),
 *   `sweep_interval_minutes` (how often expired items are removed);
 * - `index`: `embed` (`"openai:<model>"` or `"./module.ts:export"`), `dims`, `fields` (the paths of a
 *   value embedded, LangGraph's syntax: `text`, `a.b`, `items[*].text`, `$` for the whole value).
 * A known key with a wrong value stops the start naming it; an unknown one is a warning.
 */
import path from "node:path";
import { moduleExport, type ModuleExport } from "../../project/module-export.ts";

/** Where embeddings come from: an OpenAI-compatible endpoint, or a module of the project. */
export type EmbedSource = { kind: "openai"; model: string } | ({ kind: "module" } & ModuleExport);

export interface StoreIndexSettings {
  embed: EmbedSource;
  /** The length of every vector the embeddings give. */
  dims: number;
  /** The paths of a value that are embedded when a put names none. */
  fields: string[];
}

export interface StoreTtlSettings {
  /** Whether a read (get, search) starts an item's time to live anew unless it says otherwise. */
  refreshOnRead: boolean;
  /** Minutes given to items put without a `ttl` of their own (null: they live until deleted). */
  defaultTtlMinutes: number | null;
  sweepIntervalMs: number;
  /** Items removed at most per sweep; the rest go in the next. */
  sweepLimit: number;
}

export interface StoreSettings {
  ttl: StoreTtlSettings;
  index: StoreIndexSettings | null;
}

/** With no `store.ttl`: reads refresh, nothing expires by default, a sweep every 5 minutes (as for threads). */
export const DEFAULT_STORE_SETTINGS: StoreSettings = {
  ttl: { refreshOnRead: true, defaultTtlMinutes: null, sweepIntervalMs: 5 * 60_000, sweepLimit: 1000 },
  index: null,
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function positive(value: unknown, where: string, what: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0)
    throw new Error(`${where} must be ${what}, got ${JSON.stringify(value)}`);
  return value;
}

function readTtl(raw: unknown, file: string, unknownKeys: string[]): StoreTtlSettings {
  const ttl = { ...DEFAULT_STORE_SETTINGS.ttl };
  if (raw === undefined || raw === null) return ttl;
  if (!isObject(raw)) throw new Error(`${file}: "store.ttl" must be an object`);
  for (const key of Object.keys(raw))
    if (!["refresh_on_read", "default_ttl", "sweep_interval_minutes", "sweep_limit"].includes(key))
      unknownKeys.push(`store.ttl.${key}`);
  if (raw.refresh_on_read !== undefined && raw.refresh_on_read !== null) {
    if (typeof raw.refresh_on_read !== "boolean")
      throw new Error(`${file}: "store.ttl.refresh_on_read" must be true or false`);
    ttl.refreshOnRead = raw.refresh_on_read;
  }
  if (raw.default_ttl !== undefined && raw.default_ttl !== null)
    ttl.defaultTtlMinutes = positive(
      raw.default_ttl,
      `${file}: "store.ttl.default_ttl"`,
      "a positive number of minutes",
    );
  if (raw.sweep_interval_minutes !== undefined && raw.sweep_interval_minutes !== null)
    ttl.sweepIntervalMs =
      positive(
        raw.sweep_interval_minutes,
        `${file}: "store.ttl.sweep_interval_minutes"`,
        "a positive number of minutes",
      ) * 60_000;
  if (raw.sweep_limit !== undefined && raw.sweep_limit !== null) {
    if (!Number.isInteger(raw.sweep_limit) || (raw.sweep_limit as number) < 1)
      throw new Error(`${file}: "store.ttl.sweep_limit" must be a positive integer`);
    ttl.sweepLimit = raw.sweep_limit as number;
  }
  return ttl;
}

function readIndex(raw: unknown, file: string, unknownKeys: string[]): StoreIndexSettings | null {
  if (raw === undefined || raw === null) return null;
  if (!isObject(raw)) throw new Error(`${file}: "store.index" must be an object`);
  for (const key of Object.keys(raw))
    if (!["embed", "dims", "fields"].includes(key)) unknownKeys.push(`store.index.${key}`);
  const { embed, dims, fields } = raw;
  if (typeof embed !== "string" || embed === "")
    throw new Error(
      `${file}: "store.index.embed" must be "openai:<model>" or a module path such as "./embed.ts:embeddings"`,
    );
  if (!Number.isInteger(dims) || (dims as number) < 1)
    throw new Error(`${file}: "store.index.dims" must be a positive integer (the length of the embeddings' vectors)`);
  if (
    fields !== undefined &&
    fields !== null &&
    (!Array.isArray(fields) || !fields.every((f) => typeof f === "string" && f))
  )
    throw new Error(`${file}: "store.index.fields" must be a list of paths such as ["text", "items[*].title"]`);
  const source: EmbedSource = embed.startsWith("openai:")
    ? { kind: "openai", model: embed.slice("openai:".length) }
    : { kind: "module", ...moduleExport(embed, path.dirname(file)) };
  if (source.kind === "openai" && source.model === "")
    throw new Error(`${file}: "store.index.embed" names no model after "openai:"`);
  return { embed: source, dims: dims as number, fields: (fields as string[] | undefined | null) ?? ["$"] };
}

/** langgraph.json's `store`, checked; `unknownKeys` gets the keys it does not know. */
export function storeSettingsFrom(raw: unknown, file: string, unknownKeys: string[]): StoreSettings {
  if (raw === undefined || raw === null) return DEFAULT_STORE_SETTINGS;
  if (!isObject(raw)) throw new Error(`${file}: "store" must be an object`);
  for (const key of Object.keys(raw)) if (!["index", "ttl"].includes(key)) unknownKeys.push(`store.${key}`);
  return { ttl: readTtl(raw.ttl, file, unknownKeys), index: readIndex(raw.index, file, unknownKeys) };
}
