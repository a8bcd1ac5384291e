/** Records as the API shows them: server-internal columns stay inside. */
import type { RunRecord, ThreadRecord } from "../stores/types.ts";

export function threadWire(thread: ThreadRecord) {
  const { owner_id: _owner, ...wire } = thread;
  return wire;
}

export function runWire(run: RunRecord) {
  const { owner_id: _owner, ...wire } = run;
  return wire;
}

/** Query flags arrive as booleans or as the SDK's "0"/"1" and "true"/"false". */
export function flag(value: unknown, fallback = false): boolean {
  if (value === undefined || value === null || value === "") return fallback;
  if (typeof value === "boolean") return value;
  return value === "1" || value === "true";
}
