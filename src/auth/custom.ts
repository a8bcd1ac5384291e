/**
 * LangGraph custom auth: the `Auth` object of `@langchain/langgraph-sdk/auth` that langgraph.json names
 * as `"auth": {"path": "./auth.ts:auth"}`, used as LangGraph servers use it. `authenticate(request)`
 * tells who is calling; the `.on(...)` handler of the most specific matching event (`resource:action`,
 * then `resource`, then `*:action`, then `*`) allows (`true`, nothing), refuses (`false`: 403) or returns
 * filters; an `HTTPException` it throws sets the status and headers.
 */
import { pathToFileURL } from "node:url";
import { ApiError } from "../http/errors.ts";
import type { Logger } from "../logger.ts";
import { filterConditions, type AuthFilters } from "../stores/access.ts";
import type { AuthUser } from "./types.ts";
import type { ProjectAuth } from "../project/langgraph-json.ts";

type Callback = (request: Record<string, unknown>) => unknown;

/** The part of the SDK's `Auth` a server reads: what `.authenticate` and `.on` recorded. */
interface AuthObject {
  "~handlerCache": { authenticate?: (request: Request) => unknown; callbacks?: Record<string, Callback> };
}

/** langgraph.json's `auth`: the `Auth` file and export (`./auth.ts:auth`, resolved) and `disable_studio_auth`. */
export type CustomAuthSettings = ProjectAuth;

/** An error carrying an HTTP status as the SDK's HTTPException does (matched by shape: the user's copy of the SDK may not be ours). */
function asHttpException(err: unknown): ApiError | null {
  if (!(err instanceof Error)) return null;
  const { status, headers } = err as Error & { status?: unknown; headers?: unknown };
  if (typeof status !== "number" || !Number.isInteger(status) || status < 400 || status > 599) return null;
  const plain: Record<string, string> = {};
  if (headers && typeof headers === "object") {
    for (const [k, v] of Object.entries(headers as Record<string, unknown>)) if (typeof v === "string") plain[k] = v;
  }
  return new ApiError(status, err.message, plain);
}

/** The user `authenticate` reported, as LangGraph completes it (a string is an identity). */
function toUser(result: unknown): AuthUser {
  if (typeof result === "string" && result) {
    return { identity: result, display_name: result, is_authenticated: true, permissions: [] };
  }
  const user = result as Partial<AuthUser> | null;
  if (!user || typeof user !== "object" || typeof user.identity !== "string" || !user.identity)
    throw new ApiError(500, "the auth file's authenticate returned no identity (a string, or an object with identity)");
  return {
    ...user,
    identity: user.identity,
    display_name: typeof user.display_name === "string" ? user.display_name : user.identity,
    is_authenticated: user.is_authenticated ?? true,
    permissions: Array.isArray(user.permissions) ? user.permissions.filter((p) => typeof p === "string") : [],
  };
}

export class CustomAuth {
  private constructor(
    private readonly auth: AuthObject,
    readonly settings: CustomAuthSettings,
    private readonly logger: Logger,
  ) {}

  static async load(settings: CustomAuthSettings, logger: Logger): Promise<CustomAuth> {
    const { file, exportName } = settings;
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const auth = mod[exportName] as AuthObject | undefined;
    if (!auth || typeof auth !== "object" || !("~handlerCache" in auth))
      throw new Error(
        `${file} exports no Auth object as "${exportName}" (new Auth() of @langchain/langgraph-sdk/auth)`,
      );
    if (typeof auth["~handlerCache"].authenticate !== "function")
      throw new Error(`${file}: the Auth object "${exportName}" has no .authenticate(...) handler`);
    return new CustomAuth(auth, settings, logger);
  }

  /** Who the request is from; 401 (or the HTTPException's status) otherwise. */
  async authenticate(request: Request): Promise<AuthUser> {
    let result: unknown;
    try {
      result = await this.auth["~handlerCache"].authenticate!(request);
    } catch (err) {
      const http = asHttpException(err);
      if (http) throw http;
      // A bug in the handler, not the caller's fault, but never a 5xx the SDK would retry blindly.
      this.logger.error({ err }, "the auth file's authenticate threw");
      throw new ApiError(401, "Unauthorized: authentication failed");
    }
    return toUser(result);
  }

  /** The handler for `event`, most specific first, as LangGraph picks it. */
  private handlerFor(event: string): Callback | undefined {
    const callbacks = this.auth["~handlerCache"].callbacks ?? {};
    const [resource, action] = event.split(":");
    return callbacks[event] ?? callbacks[resource] ?? callbacks[`*:${action}`] ?? callbacks["*"];
  }

  /**
   * Runs the event's handler on `value` (which it may change: a create's `value.metadata` is what gets
   * stored). Resolves with its filters, or undefined when it allowed everything (or there is none).
   */
  async authorize(user: AuthUser, event: string, value: Record<string, unknown>): Promise<AuthFilters | undefined> {
    const handler = this.handlerFor(event);
    if (!handler) return undefined;
    const [resource, action] = event.split(":");
    let result: unknown;
    try {
      result = await handler({ event, resource, action, value, user, permissions: user.permissions });
    } catch (err) {
      const http = asHttpException(err);
      if (http) throw http;
      this.logger.error({ err, event }, "an auth handler threw");
      throw new ApiError(403, `Forbidden: the auth handler for ${event} failed`);
    }
    if (result === undefined || result === null || result === true) return undefined;
    if (result === false) throw new ApiError(403, `Forbidden: ${event} is not allowed`);
    if (typeof result !== "object" || Array.isArray(result))
      throw new ApiError(500, `the auth handler for ${event} returned neither a boolean nor a filter object`);
    try {
      filterConditions(result as AuthFilters);
    } catch (err) {
      throw new ApiError(
        500,
        `the auth handler for ${event} returned a filter this server cannot apply: ${(err as Error).message}`,
      );
    }
    return Object.keys(result).length ? (result as AuthFilters) : undefined;
  }
}
