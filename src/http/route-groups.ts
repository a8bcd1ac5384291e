/**
 * The groups of operations langgraph.json's `http.disable_<group>` removes, by the spec's tags: a
 * disabled operation is left out of the route table, so it answers 404 as a path that does not exist
 * (and a custom app may answer it instead). `/ok` stays whatever is disabled: health checks need it.
 */
import type { Operation } from "openapi-backend";
import type { DisableGroup } from "../project/langgraph-json.ts";

/**
 * The group of each spec tag (null: no `disable_*` key removes it). Every tag of the spec is listed
 * (test/http/route-groups.test.ts): a new tag has to say where it belongs.
 */
export const GROUP_OF_TAG: Record<string, DisableGroup | "by-path" | null> = {
  system: "meta",
  assistants: "assistants",
  threads: "threads",
  runs: "runs",
  "stateless-runs": "runs",
  // Audit data of a thread goes with threads, of a run with runs (both are under /threads/{thread_id}).
  audit: "by-path",
  store: "store",
  // Crons schedule runs: LangGraph servers serve them with the runs (`disable_runs`).
  crons: "runs",
  // Protocol v2 starts and streams runs: it goes with them.
  protocol: "runs",
};

/** Operations no `disable_*` key removes. */
const ALWAYS_SERVED = new Set(["getOk"]);

/** The `disable_*` group an operation belongs to, or null when none removes it. */
export function groupOf(operation: Pick<Operation, "operationId" | "tags" | "path">): DisableGroup | null {
  if (ALWAYS_SERVED.has(operation.operationId ?? "")) return null;
  const group = GROUP_OF_TAG[operation.tags?.[0] ?? ""] ?? null;
  if (group === "by-path") return /\/runs(\/|$)/.test(operation.path) ? "runs" : "threads";
  return group;
}

/** Whether an operation is served with these groups disabled. */
export function isServed(operation: Operation, disabled: ReadonlySet<DisableGroup>): boolean {
  const group = groupOf(operation);
  return group === null || !disabled.has(group);
}
