/**
 * Auth mode `jwt`: `Authorization: Bearer <JWT>`, verified with an HS256 secret or the keys of a
 * JWKS URL (RS256/ES256). `sub` is the user id; `exp` is required; `nbf`, `aud` and `iss` are checked.
 * A bad token is a 401 saying what was wrong (RFC 6750 `WWW-Authenticate`, the token never echoed);
 * a JWKS endpoint that is down is not the caller's fault: 503 with Retry-After.
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwksCache,
  jwtVerify,
  type ExportedJWKSCache,
  type JWKSCacheInput,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from "jose";
import { ApiError } from "../http/errors.ts";
import { bearerToken, singleHeader, type AuthUser, type Authenticator, type RequestHeaders } from "./types.ts";

export interface JwtOptions {
  /** HS256 shared secret, its UTF-8 bytes used as they are; at least 32 bytes. */
  secret?: string;
  /** An http(s) URL serving `{"keys": [...]}`; tokens signed RS256 or ES256 by one of them. */
  jwksUrl?: string;
  /** Accepted `aud` values: a token must name one of them. Empty or absent: `aud` is not checked. */
  audience?: string[];
  /** Accepted `iss` values. Empty or absent: `iss` is not checked. */
  issuer?: string[];
  /** Leeway for `exp` and `nbf`, in seconds. Default 30. */
  clockToleranceSeconds?: number;
  /** How long one JWKS fetch may take, in milliseconds. Default 5000. */
  jwksTimeoutMs?: number;
}

export const MIN_SECRET_BYTES = 32;
const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
const JWKS_RETRY_AFTER_SECONDS = 5;
/** After a failed JWKS fetch, how long requests get the cached keys (or a 503) without another attempt. */
const JWKS_FAILURE_BACKOFF_MS = JWKS_RETRY_AFTER_SECONDS * 1000;
/** How long past its last successful fetch a key set still verifies while the endpoint is failing. */
export const JWKS_STALE_MAX_MS = 60 * 60_000;

/** The JWKS could not be had: thrown by the key resolver, answered 503. */
class JwksUnavailable extends Error {}

/**
 * The keys at `url`, as jose's remote set (cached 10 min, refetched for an unknown `kid` at most every
 * 30 s), and two things more: after a failed fetch no other is tried for a few seconds, and while
 * the endpoint fails the last key set fetched keeps verifying for up to JWKS_STALE_MAX_MS.
 */
function remoteKeys(url: URL, timeoutMs: number): JWTVerifyGetKey {
  const cache: Partial<ExportedJWKSCache> = {}; // jose records each successful fetch here
  const remote = createRemoteJWKSet(url, { timeoutDuration: timeoutMs, [jwksCache]: cache as JWKSCacheInput });
  let failedAt = -Infinity;
  let stale: { uat: number; keys: JWTVerifyGetKey } | undefined;
  const staleKeys = (): JWTVerifyGetKey | undefined => {
    if (cache.uat === undefined || !cache.jwks || Date.now() - cache.uat > JWKS_STALE_MAX_MS) return undefined;
    if (stale?.uat !== cache.uat) stale = { uat: cache.uat, keys: createLocalJWKSet(cache.jwks) };
    return stale.keys;
  };
  return async (header, token) => {
    let cause: unknown;
    if (remote.fresh || Date.now() - failedAt >= JWKS_FAILURE_BACKOFF_MS) {
      try {
        return await remote(header, token);
      } catch (err) {
        if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) throw err;
        failedAt = Date.now();
        cause = err;
      }
    }
    const keys = staleKeys();
    if (keys) return keys(header, token);
    const why =
      cause === undefined
        ? "a fetch failed moments ago"
        : cause instanceof errors.JWKSTimeout
          ? `it did not answer within ${timeoutMs} ms`
          : cause instanceof errors.JOSEError
            ? "it did not answer 200 with a usable JSON key set"
            : "the connection failed";
    throw new JwksUnavailable(`the JWKS endpoint could not be reached (${why}); retry shortly`, { cause });
  };
}

function refuse(description: string, error = "invalid_token"): ApiError {
  const safe = description.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, "'");
  return new ApiError(401, description, {
    "WWW-Authenticate": `Bearer error="${error}", error_description="${safe}"`,
  });
}

const CLAIM_REFUSALS: Record<string, string> = {
  nbf: "token not yet valid",
  aud: "token audience is not accepted",
  iss: "token issuer is not accepted",
  sub: "token has no sub",
};

/** What a jose (or key resolver) error says to the caller. Never a 500: an unknown failure is a 401. */
function refusalFor(err: unknown, algorithms: string[]): ApiError {
  if (err instanceof JwksUnavailable) {
    return new ApiError(503, err.message, { "Retry-After": String(JWKS_RETRY_AFTER_SECONDS) });
  }
  if (err instanceof errors.JWTExpired) return refuse("token expired");
  if (err instanceof errors.JWTClaimValidationFailed) {
    const known = CLAIM_REFUSALS[err.claim];
    if (err.reason === "missing") {
      return refuse(
        known && err.claim !== "sub" ? `${known} (the token has no ${err.claim})` : `token has no ${err.claim}`,
      );
    }
    return refuse(known ?? `token claim ${err.claim} is invalid`);
  }
  if (err instanceof errors.JOSEAlgNotAllowed) {
    return refuse(`token algorithm is not accepted (${algorithms.join(" or ")} only)`);
  }
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSMultipleMatchingKeys) {
    return refuse("token signature is invalid");
  }
  if (err instanceof errors.JWKSNoMatchingKey) return refuse("no key of the JWKS matches the token's kid and alg");
  // jose's messages are fixed text, but for those about `crit`, which name the token's own parameters
  const crit =
    err instanceof errors.JOSENotSupported ||
    (err instanceof errors.JWSInvalid && err.message.startsWith("Extension Header Parameter"));
  if (crit) return refuse("malformed token: its crit header is not acceptable");
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid)
    return refuse(`malformed token: ${err.message}`);
  return refuse("token could not be verified");
}

/** `permissions` (strings of an array) or else `scope` (space-separated); neither: `*`. */
function permissionsOf(claims: JWTPayload): string[] {
  const strings = (list: unknown[]) => list.filter((p): p is string => typeof p === "string" && p !== "");
  if (claims.permissions !== undefined) return Array.isArray(claims.permissions) ? strings(claims.permissions) : [];
  if (claims.scope !== undefined) return typeof claims.scope === "string" ? strings(claims.scope.split(/\s+/)) : [];
  return ["*"];
}

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

export class JwtAuthenticator implements Authenticator {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly verifyOptions: JWTVerifyOptions & { algorithms: string[] };

  constructor(options: JwtOptions) {
    const { secret, jwksUrl } = options;
    if ((secret === undefined) === (jwksUrl === undefined)) {
      throw new Error("auth mode jwt needs exactly one of an HS256 secret and a JWKS URL");
    }
    const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
    if (!Number.isFinite(tolerance) || tolerance < 0) {
      throw new Error(`auth mode jwt: the clock tolerance must be a non-negative number of seconds, got ${tolerance}`);
    }
    if (secret !== undefined) {
      this.key = new TextEncoder().encode(secret);
      if (this.key.length < MIN_SECRET_BYTES) {
        throw new Error(
          `auth mode jwt: the HS256 secret must be at least ${MIN_SECRET_BYTES} bytes (256 bits), got ${this.key.length}`,
        );
      }
    } else {
      let url: URL;
      try {
        url = new URL(jwksUrl!);
      } catch {
        throw new Error("auth mode jwt: the JWKS URL is not a valid URL");
      }
      if (url.protocol !== "https:" && url.protocol !== "http:") {
        throw new Error(`auth mode jwt: the JWKS URL must be http(s), got ${url.protocol}`);
      }
      const timeoutMs = options.jwksTimeoutMs ?? 5000;
      if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
        throw new Error(`auth mode jwt: the JWKS timeout must be a positive integer of milliseconds, got ${timeoutMs}`);
      }
      this.key = remoteKeys(url, timeoutMs);
    }
    this.verifyOptions = {
      algorithms: secret !== undefined ? ["HS256"] : ["RS256", "ES256"],
      requiredClaims: ["sub", "exp"],
      clockTolerance: tolerance,
      ...(options.audience?.length ? { audience: [...options.audience] } : {}),
      ...(options.issuer?.length ? { issuer: [...options.issuer] } : {}),
    };
  }

  async authenticate(headers: RequestHeaders): Promise<AuthUser> {
    const token = bearerToken(headers);
    if (token === undefined) {
      const header = singleHeader(headers, "authorization");
      if (header !== undefined && /^Bearer(\s|$)/i.test(header)) {
        throw refuse("malformed Authorization header: expected Bearer <token>", "invalid_request");
      }
      const message =
        header === undefined ? "no bearer token" : "no bearer token (the Authorization scheme is not Bearer)";
      throw new ApiError(401, message, { "WWW-Authenticate": "Bearer" }); // RFC 6750 §3.1: no error code
    }
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, this.key, this.verifyOptions));
    } catch (err) {
      throw refusalFor(err, this.verifyOptions.algorithms);
    }
    const sub = nonEmpty(claims.sub);
    if (sub === undefined) throw refuse("token has no sub");
    return {
      identity: sub,
      display_name: nonEmpty(claims.name) ?? nonEmpty(claims.preferred_username) ?? sub,
      is_authenticated: true,
      permissions: permissionsOf(claims),
      kind: "jwt",
      claims,
    };
  }
}
