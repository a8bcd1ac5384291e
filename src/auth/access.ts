/**
 * What one request may do and see, decided once by the auth gate before its handler runs, and handed to
 * every store read and every create the handler makes.
 */
import { stampFilters, type AccessScope, type AuthFilters } from "../stores/access.ts";
import type { Json } from "../stores/types.ts";
import type { AuthUser } from "./types.ts";

export interface Access {
  /** The caller; null when the server runs without authentication. */
  user: AuthUser | null;
  /** Applied inside every store query the request makes: what lies outside it does not exist for the caller. */
  scope: AccessScope;
  /** Stamped on what the caller creates (threads, runs). */
  owner_id: string | null;
  /**
   * Metadata written over what the client sent on a create: the owner (api-keys, jwt) or a custom handler's
   * filters, so that what a user makes is what its own filters see and no client can claim another's.
   */
  stamp: AuthFilters;
  /**
   * Where a run's assistant is looked up: a run may only start an assistant its creator may read
   * (custom auth runs the `assistants:read` handler on run creation, as LangGraph Platform does).
   */
  assistants: AccessScope;
}

/** No authentication: one local user who sees and owns everything. */
export const OPEN_ACCESS: Access = Object.freeze({
  user: null,
  scope: {},
  owner_id: null,
  stamp: {},
  assistants: {},
}) as Access;

/** The metadata a create stores: the client's, with the caller's stamp over it. */
export function stampedMetadata(access: Access, metadata: Json | null | undefined): Json {
  return stampFilters({ ...(metadata ?? {}) }, access.stamp);
}

/** Keys of `configurable` (and of `context`) only the server writes: who the run acts for. */
export const AUTH_CONFIG_KEYS = ["langgraph_auth_user", "langgraph_auth_user_id", "langgraph_auth_permissions"];

function withoutAuthKeys(value: unknown): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  const copy: Json = { ...(value as Json) };
  for (const key of AUTH_CONFIG_KEYS) delete copy[key];
  return copy;
}

/** A client's config and context with the server's auth keys removed, whatever it sent in them. */
export function clientConfig(config: Json | null | undefined): Json {
  const copy: Json = { ...(config ?? {}) };
  if (copy.configurable !== undefined) copy.configurable = withoutAuthKeys(copy.configurable);
  return copy;
}

export function clientContext(context: unknown): unknown {
  return typeof context === "object" && context !== null && !Array.isArray(context)
    ? withoutAuthKeys(context)
    : context;
}

/**
 * The run's config as its graph sees it: the client's (auth keys removed) with the caller as LangGraph
 * Platform gives it, `configurable.langgraph_auth_user` (plain data: it crosses to graph workers),
 * `langgraph_auth_user_id` and `langgraph_auth_permissions`.
 */
export function runConfigFor(access: Access, config: Json | null | undefined): Json {
  const copy = clientConfig(config);
  if (!access.user) return copy;
  const user = JSON.parse(JSON.stringify(access.user)) as Json;
  copy.configurable = {
    ...((copy.configurable as Json | undefined) ?? {}),
    langgraph_auth_user: user,
    langgraph_auth_user_id: access.user.identity,
    langgraph_auth_permissions: access.user.permissions,
  };
  return copy;
}
