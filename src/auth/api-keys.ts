/**
 * Auth mode `api-keys`: keys minted by the `keys` command (scripts/keys.ts), sent as `x-api-key: <key>`
 * or `Authorization: Bearer <key>`.
 *
 * A key reads `tg_<key_id>_<secret>`: the key_id is public (listed, revoked by), the secret is only ever
 * in the key itself, and the store keeps its SHA-256. Both parts are lowercase hex, so the key splits
 * one way only and a double click selects all of it. A fast hash is enough: the secret is 256 random
 * bits, not a password, so there is nothing to guess from the hash.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { ApiError } from "../http/errors.ts";
import type { ApiKeyRecord, ApiKeyStore } from "../stores/api-keys.ts";
import { bearerToken, singleHeader, type Authenticator, type AuthUser, type RequestHeaders } from "./types.ts";

export const API_KEY_PREFIX = "tg_";
/** Random bytes of a key_id (hex: twice as many characters). */
const KEY_ID_BYTES = 8;
/** Random bytes of a secret: 256 bits. */
const SECRET_BYTES = 32;
const KEY_FORMAT = new RegExp(`^${API_KEY_PREFIX}([0-9a-f]{${2 * KEY_ID_BYTES}})_([0-9a-f]{${2 * SECRET_BYTES}})$`);
const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** `*`, `resource:*` or `resource:action`, as the spec's `x-permission` values read. */
const PERMISSION = /^(\*|[a-z_-]+:(\*|[a-z_-]+))$/;

/** What a caller asked to mint was not valid (a user, name or permission): the caller's mistake. */
export class ApiKeyInputError extends Error {}

export interface MintApiKeyOptions {
  /** The identity requests made with the key act as (what owns the threads and runs they create). */
  user: string;
  /** A label to tell keys apart in `list`. */
  name?: string | null;
  /** Default `["*"]`: everything the user may do. */
  permissions?: string[];
}

export interface MintedApiKey {
  /** The key itself: shown once, never stored. */
  key: string;
  record: ApiKeyRecord;
}

/** Hex SHA-256 of a key's secret part (its characters as they appear in the key), as the store keeps it. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** The key_id and secret of a well-formed key, or null. */
export function parseApiKey(key: string): { keyId: string; secret: string } | null {
  const match = KEY_FORMAT.exec(key);
  return match ? { keyId: match[1], secret: match[2] } : null;
}

/** The permissions as given, or an ApiKeyInputError naming the first that is not `*`, `resource:*` or `resource:action`. */
export function validatePermissions(permissions: readonly string[]): string[] {
  if (permissions.length === 0) throw new ApiKeyInputError("a key needs at least one permission");
  for (const p of permissions) {
    if (!PERMISSION.test(p))
      throw new ApiKeyInputError(
        `invalid permission ${JSON.stringify(p)}: expected "*", "resource:*" or "resource:action" ` +
          "(lowercase letters, _ and -)",
      );
  }
  return [...permissions];
}

// Control characters would garble `list` output and logs; surrounding spaces make ids that look alike.
function checkLabel(what: string, value: string): string {
  if (value.length === 0 || value.trim() !== value || /\p{Cc}/u.test(value))
    throw new ApiKeyInputError(`${what} must be non-empty, without surrounding spaces or control characters`);
  return value;
}

/** The options with their defaults, or an ApiKeyInputError: what `mintApiKey` checks, for callers to check first. */
export function validateMintOptions(opts: MintApiKeyOptions): Required<MintApiKeyOptions> {
  return {
    user: checkLabel("user", opts.user),
    name: opts.name === undefined || opts.name === null ? null : checkLabel("name", opts.name),
    permissions: validatePermissions(opts.permissions ?? ["*"]),
  };
}

/** Makes a new key for `user` and stores its hash. The key is in the result only. */
export async function mintApiKey(store: ApiKeyStore, opts: MintApiKeyOptions): Promise<MintedApiKey> {
  const { user: user_id, name, permissions } = validateMintOptions(opts);
  const keyId = randomBytes(KEY_ID_BYTES).toString("hex");
  const secret = randomBytes(SECRET_BYTES).toString("hex");
  const record = await store.insert({ key_id: keyId, user_id, name, permissions, secret_hash: hashSecret(secret) });
  return { key: `${API_KEY_PREFIX}${keyId}_${secret}`, record };
}

/** The user a valid key acts as. */
export interface ApiKeyUser extends AuthUser {
  kind: "api-key";
  key_id: string;
}

// Compared against when no key has the id, so an unknown id costs the same hash and comparison as a
// wrong secret (its result is then ignored: an unknown id never authenticates).
const DUMMY_HASH = createHash("sha256").update(randomBytes(32)).digest();

const CHALLENGE = { "WWW-Authenticate": "Bearer" };

/** The 401s. Their messages are fixed text: nothing of what was sent is ever echoed. */
const missing = () =>
  new ApiError(401, "Missing API key: send it as x-api-key: <key> or Authorization: Bearer <key>", CHALLENGE);
const invalid = () => new ApiError(401, "Invalid API key", CHALLENGE);
const revoked = () => new ApiError(401, "API key revoked", CHALLENGE);

/**
 * Checks a key against the store on every request (no cache), so a key revoked by the `keys` command,
 * from another process too, is refused from the next request on.
 */
export class ApiKeyAuthenticator implements Authenticator {
  constructor(private readonly store: ApiKeyStore) {}

  async authenticate(headers: RequestHeaders): Promise<ApiKeyUser> {
    // x-api-key wins when both are sent: a proxy in front may use Authorization for itself.
    const credential = singleHeader(headers, "x-api-key") ?? bearerToken(headers);
    if (credential === undefined) throw missing();
    const parsed = parseApiKey(credential);
    if (!parsed) throw invalid();

    const stored = await this.store.find(parsed.keyId);
    const storedHash = stored && HEX_SHA256.test(stored.secret_hash) ? Buffer.from(stored.secret_hash, "hex") : null;
    const given = createHash("sha256").update(parsed.secret, "utf8").digest();
    // Always one comparison of two 32-byte digests, whether the id was found or not.
    const secretMatches = timingSafeEqual(given, storedHash ?? DUMMY_HASH) && storedHash !== null;
    if (!stored || !secretMatches) throw invalid();
    // Only after the secret matched: whether a key is revoked is told to its holder alone.
    if (stored.revoked_at !== null) throw revoked();

    return {
      identity: stored.user_id,
      display_name: stored.user_id,
      is_authenticated: true,
      permissions: [...stored.permissions],
      kind: "api-key",
      key_id: stored.key_id,
    };
  }
}
