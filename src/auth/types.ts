/** How callers are authenticated (THREADGATE_AUTH); see src/auth/gate.ts. */
export const AUTH_MODES = ["none", "custom", "api-keys", "jwt"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/**
 * Who is calling, as every authentication mode reports it. The shape is LangGraph's own `BaseUser`
 * (`@langchain/langgraph-sdk/auth`): graphs see it as `config.configurable.langgraph_auth_user`, and a
 * custom `Auth` handler gets it as `user`.
 */
export interface AuthUser {
  /** The user id: what owns the threads and runs this caller creates. */
  identity: string;
  display_name: string;
  is_authenticated: boolean;
  /**
   * What the caller may do, as `resource:action` (the spec's `x-permission` values), `resource:*` or `*`.
   * Checked against each operation's `x-permission` in the api-keys and jwt modes.
   */
  permissions: string[];
  /** Anything else an authenticator reports (claims of a token, fields of a custom user object). */
  [extra: string]: unknown;
}

/** The request headers an authenticator reads (Node's, lowercase names). */
export type RequestHeaders = Record<string, string | string[] | undefined>;

/**
 * One way of telling who is calling. `authenticate` resolves with the user, or rejects with an
 * `ApiError` (401, with a `WWW-Authenticate` header where one applies) naming what was wrong without
 * echoing the credential.
 */
export interface Authenticator {
  authenticate(headers: RequestHeaders): Promise<AuthUser>;
  close?(): Promise<void>;
}

/** The one header value of `name`, or undefined (a repeated header is not a credential). */
export function singleHeader(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === "string" ? value : undefined;
}

/** The token of `Authorization: Bearer <token>` (scheme case-insensitive), or undefined. */
export function bearerToken(headers: RequestHeaders): string | undefined {
  const value = singleHeader(headers, "authorization");
  const match = value === undefined ? null : /^Bearer[ \t]+([^ \t]+)[ \t]*$/i.exec(value);
  return match ? match[1] : undefined;
}
