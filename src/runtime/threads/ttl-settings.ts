/**
 * Thread time to live as LangGraph servers read it from langgraph.json's `checkpointer.ttl`
 * (`strategy`, `default_ttl`, `sweep_interval_minutes`, `sweep_limit`), and as a request asks for it.
 * The sweeper that applies it is in ttl.ts.
 */
import type { ThreadTtl, ThreadTtlStrategy } from "../../stores/types.ts";

export type TtlSpec = Pick<ThreadTtl, "strategy" | "minutes">;

export interface ThreadTtlSettings {
  /** Given to threads created without a `ttl` of their own (null: such threads live forever). */
  defaultTtl: TtlSpec | null;
  /** Between two sweeps. */
  sweepIntervalMs: number;
  /** Threads swept at most per sweep (the rest wait for the next). */
  sweepLimit: number;
}

/** LangGraph's defaults: a sweep every 5 minutes, no default TTL. */
export const DEFAULT_TTL_SETTINGS: ThreadTtlSettings = {
  defaultTtl: null,
  sweepIntervalMs: 5 * 60_000,
  sweepLimit: 1000,
};

const STRATEGIES: readonly ThreadTtlStrategy[] = ["delete", "keep_latest"];

function positive(value: unknown, where: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0)
    throw new Error(`${where} must be a positive number of minutes, got ${JSON.stringify(value)}`);
  return value;
}

/** `checkpointer.ttl` of a parsed langgraph.json, checked (an error names the key at fault). */
export function ttlSettingsFrom(checkpointer: unknown, file: string): ThreadTtlSettings {
  const ttl = (checkpointer as { ttl?: unknown } | null | undefined)?.ttl;
  if (ttl === undefined || ttl === null) return DEFAULT_TTL_SETTINGS;
  if (typeof ttl !== "object") throw new Error(`${file}: "checkpointer.ttl" must be an object`);
  const { strategy = "delete", default_ttl, sweep_interval_minutes, sweep_limit } = ttl as Record<string, unknown>;
  if (!STRATEGIES.includes(strategy as ThreadTtlStrategy))
    throw new Error(`${file}: "checkpointer.ttl.strategy" must be one of ${STRATEGIES.join(", ")}`);
  const settings = { ...DEFAULT_TTL_SETTINGS };
  if (default_ttl !== undefined && default_ttl !== null) {
    const minutes = positive(default_ttl, `${file}: "checkpointer.ttl.default_ttl"`);
    settings.defaultTtl = { strategy: strategy as ThreadTtlStrategy, minutes };
  }
  if (sweep_interval_minutes !== undefined && sweep_interval_minutes !== null) {
    settings.sweepIntervalMs =
      positive(sweep_interval_minutes, `${file}: "checkpointer.ttl.sweep_interval_minutes"`) * 60_000;
  }
  if (sweep_limit !== undefined && sweep_limit !== null) {
    if (!Number.isInteger(sweep_limit) || (sweep_limit as number) < 1)
      throw new Error(`${file}: "checkpointer.ttl.sweep_limit" must be a positive integer`);
    settings.sweepLimit = sweep_limit as number;
  }
  return settings;
}

/** A request's `ttl` (`{ttl: minutes, strategy?}`) as stored; `strategy` defaults to `delete`, as LangGraph's does. */
export function ttlOfRequest(ttl: { ttl: number; strategy?: ThreadTtlStrategy } | null): TtlSpec | null {
  return ttl === null ? null : { strategy: ttl.strategy ?? "delete", minutes: ttl.ttl };
}
