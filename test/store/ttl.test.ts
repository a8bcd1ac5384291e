/**
 * Store items' time to live over HTTP: an item past its `ttl` is gone for get, search and namespaces
 * at once; reads refresh it unless told not to (or unless langgraph.json's `store.ttl.refresh_on_read`
 * is false); `store.ttl.default_ttl` applies to items put without one; the sweeper removes expired
 * rows from the database. Expiries are read from the database itself where timing would be guesswork.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@langchain/langgraph-sdk";
import { startTestServer, waitFor, type TestServer } from "../helpers/server.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The item's stored expiry (ISO), or undefined when there is no row. */
function expiryOf(dbPath: string, key: string): string | null | undefined {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("SELECT expires_at FROM store_items WHERE key = ?").get(key) as
      { expires_at: string | null } | undefined;
    return row === undefined ? undefined : row.expires_at;
  } finally {
    db.close();
  }
}

describe("store TTL, default settings", () => {
  let t: TestServer;
  let client: Client;
  beforeAll(async () => {
    t = await startTestServer();
    client = t.client;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("an expired item is gone for get, search and namespaces before any sweep", async () => {
    await client.store.putItem(["ttl", "long"], "stays", { v: 1 }, { ttl: 60 });
    await client.store.putItem(["ttl", "short"], "goes", { v: 2 }, { ttl: 0.002 }); // 120 ms
    await client.store.putItem(["ttl", "none"], "forever", { v: 3 });
    await sleep(250);
    expect(await client.store.getItem(["ttl", "short"], "goes")).toBeNull();
    expect(await client.store.getItem(["ttl", "long"], "stays")).not.toBeNull();
    expect((await client.store.searchItems(["ttl"])).items.map((i) => i.key).sort()).toEqual(["forever", "stays"]);
    expect((await client.store.listNamespaces({ prefix: ["ttl"] })).namespaces).toEqual([
      ["ttl", "long"],
      ["ttl", "none"],
    ]);
    // The row is still there (the sweep runs every 5 minutes by default); a put makes it live again.
    expect(expiryOf(t.dbPath, "goes")).toEqual(expect.any(String));
    expect(expiryOf(t.dbPath, "forever")).toBeNull();
    await client.store.putItem(["ttl", "short"], "goes", { v: 4 }, { ttl: 60 });
    expect((await client.store.getItem(["ttl", "short"], "goes"))!.value).toEqual({ v: 4 });
  });

  it("a read starts the time to live anew unless refresh_ttl is false", async () => {
    await client.store.putItem(["refresh"], "k", { v: 1 }, { ttl: 10 });
    const first = expiryOf(t.dbPath, "k")!;
    await sleep(5);
    await client.store.getItem(["refresh"], "k", { refreshTtl: false });
    await client.store.searchItems(["refresh"], { refreshTtl: false });
    expect(expiryOf(t.dbPath, "k")).toBe(first);
    await client.store.getItem(["refresh"], "k");
    const second = expiryOf(t.dbPath, "k")!;
    expect(second > first).toBe(true);
    await sleep(5);
    await client.store.searchItems(["refresh"]);
    expect(expiryOf(t.dbPath, "k")! > second).toBe(true);
  });
});

describe("store TTL from langgraph.json's store.ttl", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "threadgate-store-ttl-"));
  let t: TestServer;
  beforeAll(async () => {
    const config = path.join(dir, "langgraph.json");
    // default_ttl 0.005 min = 300 ms; a sweep every 0.002 min = 120 ms.
    fs.writeFileSync(
      config,
      JSON.stringify({
        graphs: {},
        store: { ttl: { default_ttl: 0.005, refresh_on_read: false, sweep_interval_minutes: 0.002 } },
      }),
    );
    t = await startTestServer({ graphsConfigPath: config });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("items put without a ttl get default_ttl, reads do not refresh them, and the sweeper removes them", async () => {
    const before = Date.now();
    await t.client.store.putItem(["d"], "defaulted", { v: 1 });
    await t.client.store.putItem(["d"], "own", { v: 2 }, { ttl: 60 });
    const expiry = Date.parse(expiryOf(t.dbPath, "defaulted")!);
    expect(expiry - before).toBeGreaterThanOrEqual(300);
    expect(expiry - Date.now()).toBeLessThanOrEqual(300);
    const stored = expiryOf(t.dbPath, "defaulted");
    await t.client.store.getItem(["d"], "defaulted");
    await t.client.store.searchItems(["d"]);
    expect(expiryOf(t.dbPath, "defaulted")).toBe(stored); // refresh_on_read: false
    // Asked for, a read still refreshes.
    const own = expiryOf(t.dbPath, "own")!;
    await sleep(5);
    await t.client.store.getItem(["d"], "own", { refreshTtl: true });
    expect(expiryOf(t.dbPath, "own")! > own).toBe(true);
    await waitFor(async () => expiryOf(t.dbPath, "defaulted") === undefined, 10_000);
    expect(expiryOf(t.dbPath, "own")).toEqual(expect.any(String));
    expect(await t.client.store.getItem(["d"], "defaulted")).toBeNull();
  });
});
