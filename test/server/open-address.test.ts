/**
 * With no authentication (mode none, the default without `auth` in langgraph.json), the server answers
 * anyone who reaches its port. On a loopback address that is the local user, as with `langgraph dev`; on any other address it
 * would be everyone on the network, so the server refuses to start there unless
 * THREADGATE_ALLOW_UNAUTHENTICATED=true says it may run open.
 */
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { http, startServerProcess, startTestServer } from "../helpers/server.ts";
import { cleanupAfterEach } from "../helpers/cleanup.ts";

const cleanup = cleanupAfterEach();
const tempDb = cleanup.tempDb;

describe("an address beyond loopback without authentication", () => {
  it("`npm start` with HOST=0.0.0.0 exits 1 naming THREADGATE_ALLOW_UNAUTHENTICATED, and opens no port", async () => {
    const err: Error = await startServerProcess({ HOST: "0.0.0.0", THREADGATE_SQLITE_PATH: tempDb() }).then(
      async (proc) => {
        await proc.kill();
        throw new Error("the server started open on 0.0.0.0");
      },
      (e: Error) => e,
    );
    expect(err.message).toMatch(/server exited \(1\) before listening/);
    expect(err.message).toContain("0.0.0.0");
    expect(err.message).toContain("THREADGATE_ALLOW_UNAUTHENTICATED=true");
  }, 60_000);

  it("with THREADGATE_ALLOW_UNAUTHENTICATED=true it serves there", async () => {
    const proc = await startServerProcess({
      HOST: "0.0.0.0",
      THREADGATE_ALLOW_UNAUTHENTICATED: "true",
      THREADGATE_SQLITE_PATH: tempDb(),
    });
    cleanup.add(() => proc.kill());
    expect((await http(proc.url, "GET", "/ok")).status).toBe(200);
  }, 60_000);

  it("startServer() refuses :: and a LAN address the same way, before it opens the database", async () => {
    for (const host of ["::", "192.168.1.10"]) {
      const dbPath = tempDb();
      await expect(startTestServer({ host, sqlitePath: dbPath })).rejects.toThrow(/THREADGATE_ALLOW_UNAUTHENTICATED/);
      expect(fs.existsSync(dbPath), `${host}: no database was created`).toBe(false);
    }
  });

  it("loopback addresses need no setting", async () => {
    for (const host of ["127.0.0.1", "localhost", "::1"]) {
      const t = await startTestServer({ host });
      cleanup.add(() => t.close());
      expect((await http(t.url, "GET", "/ok")).status, host).toBe(200);
    }
  });
});

describe("an auth mode the configuration cannot serve", () => {
  it("is refused at start, naming what is missing, before the database opens", async () => {
    const cases: [Parameters<typeof startTestServer>[0], RegExp][] = [
      [{ authMode: "custom" }, /THREADGATE_AUTH=custom needs "auth"/],
      [
        { authMode: "jwt", jwt: { audience: [], issuer: [] } },
        /exactly one of THREADGATE_JWT_SECRET and THREADGATE_JWT_JWKS_URL/,
      ],
      [{ authMode: "jwt", jwt: { secret: "short", audience: [], issuer: [] } }, /32 bytes/],
    ];
    for (const [overrides, message] of cases) {
      const dbPath = tempDb();
      await expect(startTestServer({ ...overrides, sqlitePath: dbPath }), String(message)).rejects.toThrow(message);
    }
  });

  it("an address beyond loopback needs no THREADGATE_ALLOW_UNAUTHENTICATED with an auth mode", async () => {
    const t = await startTestServer({ host: "0.0.0.0", authMode: "api-keys" });
    cleanup.add(() => t.close());
    const res = await http(t.url.replace("0.0.0.0", "127.0.0.1"), "POST", "/threads/search", {});
    expect(res.status).toBe(401);
  });
});
