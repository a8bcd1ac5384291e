/**
 * Auth modes api-keys and jwt: the credential names the user, its permissions must grant each operation's
 * x-permission, and each user owns what it creates. Through the SDK Client with defaultHeaders.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { SignJWT } from "jose";
import { fileURLToPath } from "node:url";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { mintApiKey } from "../../src/auth/api-keys.ts";

const AUTH_GRAPHS = fileURLToPath(new URL("./fixtures/langgraph.json", import.meta.url));
const SECRET = "a-test-secret-of-at-least-32-bytes!!";

const client = (t: TestServer, headers: Record<string, string>) =>
  new Client({ apiUrl: t.url, defaultHeaders: headers, callerOptions: { maxRetries: 0 } });
const post = (t: TestServer, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${t.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

/** A full run through the SDK: a thread, a streamed run of `whoami`, its final state. */
async function fullRun(c: Client) {
  const thread = await c.threads.create({ metadata: { owner: "someone-else" } });
  const events: string[] = [];
  for await (const part of c.runs.stream(thread.thread_id, "whoami", {
    input: {},
    config: { configurable: { langgraph_auth_user_id: "someone-else" } },
  }))
    events.push(part.event);
  const state = await c.threads.getState(thread.thread_id);
  return { thread: await c.threads.get(thread.thread_id), events, values: state.values as Record<string, unknown> };
}

describe("auth mode api-keys", () => {
  let t: TestServer;
  let alice: string;
  let reader: string;
  beforeAll(async () => {
    t = await startTestServer({ graphsConfigPath: AUTH_GRAPHS, authMode: "api-keys" });
    alice = (await mintApiKey(t.server.services.stores.apiKeys, { user: "alice" })).key;
    reader = (
      await mintApiKey(t.server.services.stores.apiKeys, {
        user: "rita",
        permissions: ["threads:read", "threads:search"],
      })
    ).key;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("401 without a key, with a malformed one and with one never minted", async () => {
    for (const headers of [
      {} as Record<string, string>,
      { "x-api-key": "nonsense" },
      { "x-api-key": alice.slice(0, -1) + (alice.endsWith("0") ? "1" : "0") },
    ]) {
      const res = await post(t, "/threads/search", {}, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
      expect(JSON.stringify(await res.json())).not.toContain(alice.slice(20));
    }
  });

  it("the SDK with x-api-key in defaultHeaders drives a full run, which acts as the key's user", async () => {
    const { thread, events, values } = await fullRun(client(t, { "x-api-key": alice }));
    expect(events[0]).toBe("metadata");
    expect(events).toContain("values");
    expect(thread.metadata).toMatchObject({ owner: "alice" }); // stamped over the client's
    expect(values).toMatchObject({ user_id: "alice", user_identity: "alice", permissions: ["*"] });
  });

  it("Authorization: Bearer carries a key too", async () => {
    const res = await post(t, "/threads/search", {}, { authorization: `Bearer ${alice}` });
    expect(res.status).toBe(200);
  });

  it("a key without the operation's permission gets 403 and nothing is written", async () => {
    const search = await post(t, "/threads/search", {}, { "x-api-key": reader });
    expect(search.status).toBe(200);
    const total = search.headers.get("x-pagination-total");
    const create = await post(t, "/threads", {}, { "x-api-key": reader });
    expect(create.status).toBe(403);
    expect(await create.json()).toEqual({ detail: "Permission denied: threads:create" });
    const cancel = await post(t, "/runs/cancel", { status: "all" }, { "x-api-key": reader });
    expect(cancel.status).toBe(403);
    expect((await post(t, "/threads/search", {}, { "x-api-key": reader })).headers.get("x-pagination-total")).toBe(
      total,
    );
  });

  it("a revoked key stops working on the very next request", async () => {
    const { key, record } = await mintApiKey(t.server.services.stores.apiKeys, { user: "alice" });
    expect((await post(t, "/threads/search", {}, { "x-api-key": key })).status).toBe(200);
    expect(await t.server.services.stores.apiKeys.revoke(record.key_id)).toBe(true);
    const res = await post(t, "/threads/search", {}, { "x-api-key": key });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ detail: "API key revoked" });
  });
});

describe("auth mode jwt (HS256)", () => {
  let t: TestServer;
  const sign = (claims: Record<string, unknown>, opts: { exp?: string | number; aud?: string; nbf?: string } = {}) => {
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256" })
      .setIssuedAt()
      .setAudience(opts.aud ?? "threadgate");
    if (opts.exp !== undefined) jwt.setExpirationTime(opts.exp);
    if (opts.nbf) jwt.setNotBefore(opts.nbf);
    return jwt.sign(new TextEncoder().encode(SECRET));
  };
  beforeAll(async () => {
    t = await startTestServer({
      graphsConfigPath: AUTH_GRAPHS,
      authMode: "jwt",
      jwt: { secret: SECRET, audience: ["threadgate"], issuer: [] },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("401 with no, a malformed, an expired, a not-yet-valid or a wrong-audience token", async () => {
    const cases: [string | null, RegExp][] = [
      [null, /no bearer token/],
      ["not.a.jwt", /malformed token/],
      [await sign({ sub: "alice" }, { exp: Math.floor(Date.now() / 1000) - 3600 }), /token expired/],
      [await sign({ sub: "alice" }, { exp: "1h", nbf: "10m" }), /not yet valid/],
      [await sign({ sub: "alice" }, { exp: "1h", aud: "someone-else" }), /audience/],
    ];
    for (const [token, message] of cases) {
      const res = await post(t, "/threads/search", {}, token ? { authorization: `Bearer ${token}` } : {});
      expect(res.status, String(message)).toBe(401);
      expect(((await res.json()) as { detail: string }).detail).toMatch(message);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
  });

  it("the SDK with a bearer token in defaultHeaders drives a full run as the token's sub", async () => {
    const token = await sign({ sub: "alice" }, { exp: "1h" });
    const { thread, events, values } = await fullRun(client(t, { Authorization: `Bearer ${token}` }));
    expect(events).toContain("values");
    expect(thread.metadata).toMatchObject({ owner: "alice" });
    expect(values).toMatchObject({ user_id: "alice", user_identity: "alice" });
  });

  it("another sub does not see the thread, and a token's permissions claim limits it", async () => {
    const alice = client(t, { Authorization: `Bearer ${await sign({ sub: "alice" }, { exp: "1h" })}` });
    const thread = await alice.threads.create();
    const bobToken = await sign({ sub: "bob", permissions: ["threads:read", "threads:search"] }, { exp: "1h" });
    const res = await fetch(`${t.url}/threads/${thread.thread_id}`, {
      headers: { authorization: `Bearer ${bobToken}` },
    });
    expect(res.status).toBe(404);
    const create = await post(t, "/threads", {}, { authorization: `Bearer ${bobToken}` });
    expect(create.status).toBe(403);
  });
});
