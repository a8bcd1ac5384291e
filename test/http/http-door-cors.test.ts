/**
 * CORS request headers: a browser client may send whatever headers it was given (the SDK's
 * `defaultHeaders`, e.g. x-request-id, or a tracing header), so by default a preflight is answered
 * with the headers it asks for; THREADGATE_CORS_HEADERS narrows them to a list. Credentials
 * (cookies) are never allowed, so they are never combined with the default origin `*`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

async function preflight(t: TestServer, headers: string): Promise<Response> {
  const res = await fetch(`${t.url}/threads`, {
    method: "OPTIONS",
    headers: {
      Origin: "http://app.example",
      "Access-Control-Request-Method": "POST",
      "Access-Control-Request-Headers": headers,
    },
  });
  await res.text();
  return res;
}

const listed = (res: Response, name: string) =>
  (res.headers.get(name) ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);

describe("CORS request headers", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  it("by default a preflight for the SDK's defaultHeaders (x-request-id, a tracing header) is allowed", async () => {
    const res = await preflight(t, "content-type,x-request-id,traceparent,authorization");
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(listed(res, "access-control-allow-headers")).toEqual(
      expect.arrayContaining(["content-type", "x-request-id", "traceparent", "authorization"]),
    );
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("a request with x-request-id from an allowed origin gets its answer with the CORS headers", async () => {
    const res = await fetch(`${t.url}/threads`, {
      method: "POST",
      headers: { Origin: "http://app.example", "Content-Type": "application/json", "x-request-id": "r-1" },
      body: "{}",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("THREADGATE_CORS_HEADERS narrows the allowed headers to its list", async () => {
    const narrow = await startTestServer({ corsHeaders: ["content-type", "authorization"] });
    try {
      const res = await preflight(narrow, "content-type,x-request-id");
      const allowed = listed(res, "access-control-allow-headers");
      expect(allowed).toEqual(["content-type", "authorization"]);
      expect(allowed).not.toContain("x-request-id");
    } finally {
      await narrow.close();
    }
  });

  it("reads THREADGATE_CORS_HEADERS as a comma-separated list; unset reflects what the browser asks", () => {
    expect(loadConfig({ THREADGATE_CORS_HEADERS: " Content-Type , X-Api-Key " }).corsHeaders).toEqual([
      "content-type",
      "x-api-key",
    ]);
    expect(loadConfig({}).corsHeaders).toBeNull();
  });
});
