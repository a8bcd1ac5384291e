import { createHmac, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  base64url,
  CompactSign,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from "jose";
import { JWKS_STALE_MAX_MS, JwtAuthenticator, type JwtOptions } from "../../src/auth/jwt.ts";
import { ApiError } from "../../src/http/errors.ts";

/**
 * Auth mode `jwt` with real crypto and a real JWKS endpoint (node:http on 127.0.0.1): what a token
 * resolves to, and the 401 (or 503) each way a token or the endpoint can fail answers.
 */

const SECRET = randomBytes(32).toString("hex");
const now = () => Math.floor(Date.now() / 1000);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const invalidToken = (description: string) => `Bearer error="invalid_token", error_description="${description}"`;

interface SignOptions {
  alg?: string;
  kid?: string;
  /** Claims set as given: `sub` and `exp` (5 min from now) are added unless present, `undefined` drops one. */
  claims?: Record<string, unknown>;
}

async function sign(
  key: CryptoKey | Uint8Array,
  { alg = "HS256", kid, claims = {} }: SignOptions = {},
): Promise<string> {
  const payload: Record<string, unknown> = { sub: "user-1", exp: now() + 300, ...claims };
  for (const name of Object.keys(payload)) if (payload[name] === undefined) delete payload[name];
  return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg, typ: "JWT", ...(kid ? { kid } : {}) }).sign(key);
}

const hs = (claims?: Record<string, unknown>, secret = SECRET) => sign(new TextEncoder().encode(secret), { claims });

/** `header.payload.` with `alg: none`: no signature at all. */
function unsecured(claims: Record<string, unknown> = {}): string {
  const part = (value: unknown) => base64url.encode(JSON.stringify(value));
  return `${part({ alg: "none", typ: "JWT" })}.${part({ sub: "user-1", exp: now() + 300, ...claims })}.`;
}

/** The refusal `authenticate` rejects with; it must not carry the credential anywhere. */
async function refusal(auth: JwtAuthenticator, headers: Record<string, string>): Promise<ApiError> {
  const error = await auth.authenticate(headers).then(
    () => expect.unreachable("authenticated"),
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ApiError);
  const apiError = error as ApiError;
  const told = `${apiError.message} ${JSON.stringify(apiError.detail)} ${JSON.stringify(apiError.headers)}`;
  const credential = (headers.authorization ?? "").replace(/^\S+\s+/, "");
  for (const part of [credential, ...credential.split(".")].filter((p) => p.length >= 8)) {
    expect(told).not.toContain(part);
  }
  return apiError;
}

async function expect401(auth: JwtAuthenticator, headers: Record<string, string>, message: string, www: string) {
  const error = await refusal(auth, headers);
  expect(error.status).toBe(401);
  expect(error.detail).toBe(message);
  expect(error.headers["WWW-Authenticate"]).toBe(www);
}

/** A JWKS endpoint whose answer the test sets: `{keys}` with 200, another status, or no answer at all. */
interface JwksEndpoint {
  url: string;
  keys: JWK[];
  status: number;
  hang: boolean;
  requests: number;
  close(): Promise<void>;
}

async function startJwks(keys: JWK[]): Promise<JwksEndpoint> {
  const server: Server = createServer((req, res) => {
    endpoint.requests++;
    if (endpoint.hang) return;
    res.writeHead(endpoint.status, { "content-type": "application/json" });
    res.end(JSON.stringify({ keys: endpoint.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint: JwksEndpoint = {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    keys,
    status: 200,
    hang: false,
    requests: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return endpoint;
}

async function keyPair(alg: "RS256" | "ES256", kid: string) {
  const { publicKey, privateKey } = await generateKeyPair(alg);
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { publicKey, privateKey, jwk, kid, alg };
}

describe("jwt auth with an HS256 secret", () => {
  const auth = new JwtAuthenticator({ secret: SECRET });

  it("resolves a valid token to its sub, claims and permissions", async () => {
    const token = await hs({ sub: "alice", name: "Alice A.", iat: now() });
    const user = await auth.authenticate(bearer(token));
    expect(user).toMatchObject({
      identity: "alice",
      display_name: "Alice A.",
      is_authenticated: true,
      permissions: ["*"],
      kind: "jwt",
      claims: { sub: "alice", name: "Alice A." },
    });
    // the scheme is case-insensitive
    expect((await auth.authenticate({ authorization: `bearer ${token}` })).identity).toBe("alice");
  });

  it("names the user by name, else preferred_username, else sub", async () => {
    const named = async (claims: Record<string, unknown>) =>
      (await auth.authenticate(bearer(await hs(claims)))).display_name;
    expect(await named({ preferred_username: "al" })).toBe("al");
    expect(await named({ name: "", preferred_username: "al" })).toBe("al");
    expect(await named({ name: 7 })).toBe("user-1");
  });

  it("takes permissions from a permissions claim, else from scope; non-strings ignored", async () => {
    const permissions = async (claims: Record<string, unknown>) =>
      (await auth.authenticate(bearer(await hs(claims)))).permissions;
    expect(await permissions({ permissions: ["threads:read", 7, null, "runs:*"] })).toEqual(["threads:read", "runs:*"]);
    expect(await permissions({ scope: " threads:read  runs:create\tassistants:* " })).toEqual([
      "threads:read",
      "runs:create",
      "assistants:*",
    ]);
    expect(await permissions({ permissions: ["threads:read"], scope: "runs:create" })).toEqual(["threads:read"]);
    expect(await permissions({ permissions: [] })).toEqual([]);
    // a claim of the wrong shape grants nothing, rather than everything
    expect(await permissions({ permissions: "threads:read" })).toEqual([]);
    expect(await permissions({ scope: ["threads:read"] })).toEqual([]);
    expect(await permissions({})).toEqual(["*"]);
  });

  it("refuses a request with no bearer token", async () => {
    await expect401(auth, {}, "no bearer token", "Bearer");
    const basic = { authorization: `Basic ${Buffer.from(`user:${SECRET}`).toString("base64")}` };
    await expect401(auth, basic, "no bearer token (the Authorization scheme is not Bearer)", "Bearer");
    const description = "malformed Authorization header: expected Bearer <token>";
    const www = `Bearer error="invalid_request", error_description="${description}"`;
    await expect401(auth, { authorization: "Bearer" }, description, www);
    await expect401(auth, { authorization: `Bearer ${await hs()} extra` }, description, www);
  });

  it("refuses a malformed token", async () => {
    const token = "not-a-jwt-at-all";
    await expect401(
      auth,
      bearer(token),
      "malformed token: Invalid Compact JWS",
      invalidToken("malformed token: Invalid Compact JWS"),
    );
    const noAlg = "eyJub3QiOiJqc29uIn0.cGF5bG9hZC1ub3QtanNvbg.c2lnbmF0dXJlLWhlcmU"; // header {"not":"json"}
    const message = 'malformed token: JWS "alg" (Algorithm) Header Parameter missing or invalid';
    // the description's quotes become apostrophes: a quoted-string cannot hold them unescaped
    await expect401(auth, bearer(noAlg), message, invalidToken(message.replaceAll('"', "'")));
    const badHeader = "!!!!!!!!.payload-part.signature-part";
    const header = "malformed token: JWS Protected Header is invalid";
    await expect401(auth, bearer(badHeader), header, invalidToken(header));
    // well signed, but the payload is no claims set
    const signed = await new CompactSign(new TextEncoder().encode("not json at all"))
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode(SECRET));
    const claims = "malformed token: JWT Claims Set must be a top-level JSON object";
    await expect401(auth, bearer(signed), claims, invalidToken(claims));
    // a critical extension jose does not know, or one it knows but missing: neither is named back
    for (const crit of [["x-secret-ext"], ["b64"]]) {
      const head = base64url.encode(JSON.stringify({ alg: "HS256", crit, "x-secret-ext": 1 }));
      const body = base64url.encode(JSON.stringify({ sub: "user-1", exp: now() + 300 }));
      const mac = createHmac("sha256", SECRET).update(`${head}.${body}`).digest("base64url");
      const critical = "malformed token: its crit header is not acceptable";
      const error = await refusal(auth, bearer(`${head}.${body}.${mac}`));
      expect([error.status, error.detail, error.headers["WWW-Authenticate"]]).toEqual([
        401,
        critical,
        invalidToken(critical),
      ]);
      expect(error.message).not.toContain("x-secret-ext");
    }
  });

  it("refuses an expired token, allowing 30 s of clock skew", async () => {
    const expired = await hs({ exp: now() - 120 });
    await expect401(auth, bearer(expired), "token expired", invalidToken("token expired"));
    expect((await auth.authenticate(bearer(await hs({ exp: now() - 10 })))).identity).toBe("user-1");
    const strict = new JwtAuthenticator({ secret: SECRET, clockToleranceSeconds: 0 });
    await expect401(strict, bearer(await hs({ exp: now() - 10 })), "token expired", invalidToken("token expired"));
  });

  it("refuses a token whose nbf is in the future", async () => {
    const early = await hs({ nbf: now() + 120 });
    await expect401(auth, bearer(early), "token not yet valid", invalidToken("token not yet valid"));
  });

  it("refuses a token signed with another secret", async () => {
    const forged = await hs({}, randomBytes(32).toString("hex"));
    await expect401(auth, bearer(forged), "token signature is invalid", invalidToken("token signature is invalid"));
  });

  it("refuses a token with no sub, or an empty or non-string one", async () => {
    const message = "token has no sub";
    for (const sub of [undefined, "", 42]) {
      await expect401(auth, bearer(await hs({ sub })), message, invalidToken(message));
    }
  });

  it("refuses a token with no exp", async () => {
    const forever = await hs({ exp: undefined });
    await expect401(auth, bearer(forever), "token has no exp", invalidToken("token has no exp"));
    const textual = await hs({ exp: "tomorrow" });
    await expect401(auth, bearer(textual), "token claim exp is invalid", invalidToken("token claim exp is invalid"));
  });

  it("refuses alg none and asymmetric algorithms", async () => {
    const message = "token algorithm is not accepted (HS256 only)";
    await expect401(auth, bearer(unsecured()), message, invalidToken(message));
    const rsa = await keyPair("RS256", "rsa-1");
    const rs256 = await sign(rsa.privateKey, { alg: "RS256", kid: rsa.kid });
    await expect401(auth, bearer(rs256), message, invalidToken(message));
  });
});

describe("jwt auth with audience and issuer", () => {
  const auth = new JwtAuthenticator({
    secret: SECRET,
    audience: ["threadgate", "threadgate-staging"],
    issuer: ["https://issuer.example/"],
  });
  const good = { aud: "threadgate-staging", iss: "https://issuer.example/" };

  it("accepts a token naming an accepted audience (string or array) and issuer", async () => {
    expect((await auth.authenticate(bearer(await hs(good)))).identity).toBe("user-1");
    const many = await hs({ ...good, aud: ["other", "threadgate"] });
    expect((await auth.authenticate(bearer(many))).identity).toBe("user-1");
  });

  it("refuses a wrong or missing audience", async () => {
    const message = "token audience is not accepted";
    await expect401(auth, bearer(await hs({ ...good, aud: "other-api" })), message, invalidToken(message));
    const missing = "token audience is not accepted (the token has no aud)";
    await expect401(auth, bearer(await hs({ ...good, aud: undefined })), missing, invalidToken(missing));
  });

  it("refuses a wrong or missing issuer", async () => {
    const message = "token issuer is not accepted";
    await expect401(auth, bearer(await hs({ ...good, iss: "https://evil.example/" })), message, invalidToken(message));
    const missing = "token issuer is not accepted (the token has no iss)";
    await expect401(auth, bearer(await hs({ ...good, iss: undefined })), missing, invalidToken(missing));
  });

  it("checks neither when the lists are empty", async () => {
    const open = new JwtAuthenticator({ secret: SECRET, audience: [], issuer: [] });
    expect((await open.authenticate(bearer(await hs({ aud: "anything" })))).identity).toBe("user-1");
  });
});

describe("jwt auth with a JWKS URL", () => {
  let rsa: Awaited<ReturnType<typeof keyPair>>;
  let ec: Awaited<ReturnType<typeof keyPair>>;
  let jwks: JwksEndpoint;
  let auth: JwtAuthenticator;
  const extra: JwksEndpoint[] = [];

  beforeAll(async () => {
    rsa = await keyPair("RS256", "rsa-1");
    ec = await keyPair("ES256", "ec-1");
    jwks = await startJwks([rsa.jwk, ec.jwk]);
    auth = new JwtAuthenticator({ jwksUrl: jwks.url, audience: ["threadgate"] });
  });
  afterEach(async () => {
    vi.useRealTimers();
    for (const endpoint of extra.splice(0)) await endpoint.close();
  });
  afterAll(() => jwks.close());

  it("accepts RS256 and ES256 tokens signed by keys of the set", async () => {
    const rs = await sign(rsa.privateKey, {
      alg: "RS256",
      kid: rsa.kid,
      claims: { sub: "rs-user", aud: "threadgate" },
    });
    const es = await sign(ec.privateKey, { alg: "ES256", kid: ec.kid, claims: { sub: "es-user", aud: "threadgate" } });
    expect(await auth.authenticate(bearer(rs))).toMatchObject({ identity: "rs-user", kind: "jwt" });
    expect(await auth.authenticate(bearer(es))).toMatchObject({ identity: "es-user", kind: "jwt" });
    // no kid: the one key of the token's type still matches
    const noKid = await sign(ec.privateKey, { alg: "ES256", claims: { aud: "threadgate" } });
    expect((await auth.authenticate(bearer(noKid))).identity).toBe("user-1");
    expect(jwks.requests).toBe(1); // the set is cached
  });

  it("refuses a token signed by a key not in the set", async () => {
    const stranger = await keyPair("RS256", "rsa-1");
    const forged = await sign(stranger.privateKey, { alg: "RS256", kid: "rsa-1", claims: { aud: "threadgate" } });
    await expect401(auth, bearer(forged), "token signature is invalid", invalidToken("token signature is invalid"));
    const unknownKid = await sign(stranger.privateKey, { alg: "RS256", kid: "rsa-9", claims: { aud: "threadgate" } });
    const message = "no key of the JWKS matches the token's kid and alg";
    await expect401(auth, bearer(unknownKid), message, invalidToken(message));
  });

  it("refuses HS256 tokens, including one keyed with the public key (alg confusion), and alg none", async () => {
    const message = "token algorithm is not accepted (RS256 or ES256 only)";
    const pem = new TextEncoder().encode(await exportSPKI(rsa.publicKey));
    const confused = await sign(pem, { alg: "HS256", kid: rsa.kid, claims: { aud: "threadgate" } });
    await expect401(auth, bearer(confused), message, invalidToken(message));
    await expect401(auth, bearer(await hs({ aud: "threadgate" })), message, invalidToken(message));
    await expect401(auth, bearer(unsecured({ aud: "threadgate" })), message, invalidToken(message));
  });

  it("checks the claims of a well-signed token", async () => {
    const expired = await sign(ec.privateKey, {
      alg: "ES256",
      kid: ec.kid,
      claims: { aud: "threadgate", exp: now() - 60 },
    });
    await expect401(auth, bearer(expired), "token expired", invalidToken("token expired"));
    const elsewhere = await sign(rsa.privateKey, { alg: "RS256", kid: rsa.kid, claims: { aud: "other" } });
    const message = "token audience is not accepted";
    await expect401(auth, bearer(elsewhere), message, invalidToken(message));
  });

  it("answers 503 with Retry-After, not 401, when the endpoint is down", async () => {
    const gone = await startJwks([rsa.jwk]);
    await gone.close();
    const down = new JwtAuthenticator({ jwksUrl: gone.url });
    const token = await sign(rsa.privateKey, { alg: "RS256", kid: rsa.kid });
    const error = await refusal(down, bearer(token));
    expect(error.status).toBe(503);
    expect(error.detail).toBe("the JWKS endpoint could not be reached (the connection failed); retry shortly");
    expect(error.headers).toEqual({ "Retry-After": "5" });
  });

  it("answers 503 when the endpoint times out", async () => {
    const slow = await startJwks([rsa.jwk]);
    extra.push(slow);
    slow.hang = true;
    const waiting = new JwtAuthenticator({ jwksUrl: slow.url, jwksTimeoutMs: 200 });
    const error = await refusal(waiting, bearer(await sign(rsa.privateKey, { alg: "RS256", kid: rsa.kid })));
    expect(error.status).toBe(503);
    expect(error.detail).toBe(
      "the JWKS endpoint could not be reached (it did not answer within 200 ms); retry shortly",
    );
    expect(error.headers).toEqual({ "Retry-After": "5" });
  });

  it("answers 503 for an error status, waits before fetching again, then recovers", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const flaky = await startJwks([rsa.jwk]);
    extra.push(flaky);
    flaky.status = 500;
    const recovering = new JwtAuthenticator({ jwksUrl: flaky.url });
    const token = await sign(rsa.privateKey, { alg: "RS256", kid: rsa.kid });
    const first = await refusal(recovering, bearer(token));
    expect([first.status, first.detail]).toEqual([
      503,
      "the JWKS endpoint could not be reached (it did not answer 200 with a usable JSON key set); retry shortly",
    ]);
    flaky.status = 200;
    const second = await refusal(recovering, bearer(token));
    expect([second.status, second.detail, second.headers["Retry-After"]]).toEqual([
      503,
      "the JWKS endpoint could not be reached (a fetch failed moments ago); retry shortly",
      "5",
    ]);
    expect(flaky.requests).toBe(1);
    vi.setSystemTime(Date.now() + 5_000);
    expect((await recovering.authenticate(bearer(token))).identity).toBe("user-1");
    expect(flaky.requests).toBe(2);
  });

  it("keeps verifying with the last key set while the endpoint is down, for up to an hour", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const fetchedAt = Date.now();
    const brief = await startJwks([ec.jwk]);
    const cached = new JwtAuthenticator({ jwksUrl: brief.url });
    const es = () => sign(ec.privateKey, { alg: "ES256", kid: ec.kid });
    expect((await cached.authenticate(bearer(await es()))).identity).toBe("user-1");
    await brief.close();
    vi.setSystemTime(fetchedAt + 11 * 60_000); // past jose's 10 min cache: it fetches again, and fails
    expect((await cached.authenticate(bearer(await es()))).identity).toBe("user-1");
    vi.setSystemTime(fetchedAt + JWKS_STALE_MAX_MS + 1000);
    const error = await refusal(cached, bearer(await es()));
    expect([error.status, error.headers["Retry-After"]]).toEqual([503, "5"]);
  });
});

describe("jwt auth options", () => {
  it("needs exactly one of a secret and a JWKS URL", () => {
    expect(() => new JwtAuthenticator({})).toThrow(/exactly one of an HS256 secret and a JWKS URL/);
    const both: JwtOptions = { secret: SECRET, jwksUrl: "https://issuer.example/jwks.json" };
    expect(() => new JwtAuthenticator(both)).toThrow(/exactly one of/);
  });

  it("refuses an HS256 secret shorter than 32 bytes, without echoing it", () => {
    const short = "s3cret-but-only-31-bytes-long!!";
    expect(() => new JwtAuthenticator({ secret: short })).toThrow(/at least 32 bytes \(256 bits\), got 31$/);
    expect(() => new JwtAuthenticator({ secret: "é".repeat(15) })).toThrow(/got 30$/); // bytes, not characters
    try {
      new JwtAuthenticator({ secret: short });
    } catch (err) {
      expect((err as Error).message).not.toContain(short);
    }
    expect(() => new JwtAuthenticator({ secret: "x".repeat(32) })).not.toThrow();
  });

  it("needs an http(s) JWKS URL", () => {
    expect(() => new JwtAuthenticator({ jwksUrl: "not a url" })).toThrow(/JWKS URL is not a valid URL/);
    expect(() => new JwtAuthenticator({ jwksUrl: "file:///etc/jwks.json" })).toThrow(/must be http\(s\), got file:/);
    expect(() => new JwtAuthenticator({ jwksUrl: "http://127.0.0.1:1/jwks" })).not.toThrow();
  });

  it("refuses a negative clock tolerance and a bad JWKS timeout", () => {
    expect(() => new JwtAuthenticator({ secret: SECRET, clockToleranceSeconds: -1 })).toThrow(/clock tolerance/);
    const url = "https://issuer.example/jwks.json";
    expect(() => new JwtAuthenticator({ jwksUrl: url, jwksTimeoutMs: 0 })).toThrow(/JWKS timeout/);
  });
});
