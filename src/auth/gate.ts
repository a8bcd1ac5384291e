/**
 * The auth gate every operation passes (src/http/dispatch.ts): `authenticate` before the request is
 * validated (401), `authorize` after it (403, or the Access its handler works within), both driven by the
 * operation's `x-permission` in the spec. One gate per mode:
 *  - none:      one local user who sees and owns everything (loopback only, unless allowed otherwise);
 *  - api-keys:  keys minted by `npm run keys`, `x-api-key` or `Authorization: Bearer`;
 *  - jwt:       bearer tokens checked with jose;
 *  - custom:    langgraph.json's `auth.path`, LangGraph's own `Auth` object.
 * In api-keys and jwt modes a user holds permissions and owns what it creates; in custom mode the
 * `Auth` handlers decide, and their filters are the scope, as on LangGraph Platform.
 */
import { ApiError } from "../http/errors.ts";
import type { Json } from "../stores/types.ts";
import { OPEN_ACCESS, type Access } from "./access.ts";
import type { CustomAuth } from "./custom.ts";
import { authEventOf, grants } from "./permissions.ts";
import { singleHeader, type Authenticator, type AuthMode, type AuthUser, type RequestHeaders } from "./types.ts";

/** The request as the gate sees it. */
export interface GateRequest {
  method: string;
  /** Absolute URL. */
  url: string;
  headers: RequestHeaders;
  /** The body as sent, when there is one. */
  rawBody?: string;
}

export interface AuthGate {
  readonly mode: AuthMode;
  /** The caller, or null in mode none; rejects with 401 (or a custom handler's status). */
  authenticate(request: GateRequest): Promise<AuthUser | null>;
  /**
   * What the caller may see and stamps on what it creates, for an operation needing `permission`;
   * `value` is what the operation acts on (path, query and body fields), which a custom handler may change.
   */
  authorize(user: AuthUser | null, permission: string, value: Json): Promise<Access>;
  close(): Promise<void>;
}

export const openGate: AuthGate = {
  mode: "none",
  authenticate: async () => null,
  authorize: async () => OPEN_ACCESS,
  close: async () => undefined,
};

/** api-keys and jwt: the credential names the user; its permissions must grant the operation's. */
export class OwnerGate implements AuthGate {
  constructor(
    readonly mode: "api-keys" | "jwt",
    private readonly authenticator: Authenticator,
  ) {}

  authenticate(request: GateRequest): Promise<AuthUser> {
    return this.authenticator.authenticate(request.headers);
  }

  async authorize(user: AuthUser | null, permission: string): Promise<Access> {
    if (!user) throw new ApiError(401, "Unauthorized");
    if (!grants(user.permissions, permission)) throw new ApiError(403, `Permission denied: ${permission}`);
    // A run may start the caller's own stored assistants; system assistants have no owner: they are everyone's.
    const owner = user.identity;
    return { user, scope: { owner_id: owner }, owner_id: owner, stamp: { owner }, assistants: { owner_id: owner } };
  }

  async close(): Promise<void> {
    await this.authenticator.close?.();
  }
}

/** Who LangGraph Studio's requests are (`isStudioUser` of the SDK recognises it). */
export const STUDIO_USER: AuthUser = Object.freeze({
  kind: "StudioUser",
  identity: "langgraph-studio-user",
  display_name: "langgraph-studio-user",
  is_authenticated: true,
  permissions: [],
}) as AuthUser;

export class CustomGate implements AuthGate {
  readonly mode = "custom";

  /**
   * `studioWithoutAuth`: a request saying `x-auth-scheme: langsmith` is Studio's and skips `authenticate`.
   * LangGraph Platform has LangSmith check such a request's key first; with no LangSmith here, that holds
   * only where `langgraph dev` allows it too: on a loopback address, and unless `disable_studio_auth`.
   */
  constructor(
    private readonly auth: CustomAuth,
    private readonly studioWithoutAuth: boolean,
  ) {}

  async authenticate(request: GateRequest): Promise<AuthUser> {
    if (this.studioWithoutAuth && singleHeader(request.headers, "x-auth-scheme")?.toLowerCase() === "langsmith")
      return STUDIO_USER;
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
    }
    const hasBody = request.rawBody !== undefined && request.method !== "GET" && request.method !== "HEAD";
    return this.auth.authenticate(
      new Request(request.url, { method: request.method, headers, body: hasBody ? request.rawBody : undefined }),
    );
  }

  async authorize(user: AuthUser | null, permission: string, value: Json): Promise<Access> {
    if (!user) throw new ApiError(401, "Unauthorized");
    const filters = await this.auth.authorize(user, authEventOf(permission), value);
    // Creating a run (or a cron of runs) reads its assistant: that handler has its say too (a filter, or 403).
    const assistantFilters =
      permission === "runs:create" || permission === "crons:create"
        ? await this.auth.authorize(user, "assistants:read", { assistant_id: value.assistant_id ?? null })
        : undefined;
    return {
      user,
      scope: filters ? { filters } : {},
      owner_id: user.identity,
      stamp: filters ?? {},
      assistants: assistantFilters ? { filters: assistantFilters } : {},
    };
  }

  async close(): Promise<void> {}
}
