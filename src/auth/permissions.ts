/**
 * Permissions as the spec declares them (`x-permission: resource:action` on every operation) and as
 * users hold them, and how they name LangGraph's auth events for a custom `Auth` handler.
 */

/** Whether holding `granted` (`*`, `resource:*` or `resource:action`) allows `permission`. */
export function grants(granted: readonly string[], permission: string): boolean {
  const resource = permission.slice(0, permission.indexOf(":"));
  return granted.some((g) => g === "*" || g === permission || g === `${resource}:*`);
}

/**
 * The LangGraph auth event (`@langchain/langgraph-sdk/auth`) an operation's permission raises. LangGraph
 * has no run resource: a run is created with `threads:create_run`, read and listed as part of its thread,
 * stopped (or given feedback) as an update of it and deleted as a delete on it (its value carries the `run_id`). Everything
 * else is named alike: crons are LangGraph's resource `crons` (`crons:create`, `crons:read`, `crons:search`,
 * `crons:update`, `crons:delete`), listed here to say so.
 */
const EVENT_OF: Record<string, string> = {
  "runs:create": "threads:create_run",
  "runs:read": "threads:read",
  "runs:search": "threads:read",
  "runs:cancel": "threads:update",
  "runs:update": "threads:update",
  "runs:delete": "threads:delete",
  "crons:create": "crons:create",
  "crons:read": "crons:read",
  "crons:search": "crons:search",
  "crons:update": "crons:update",
  "crons:delete": "crons:delete",
};

export function authEventOf(permission: string): string {
  return EVENT_OF[permission] ?? permission;
}
