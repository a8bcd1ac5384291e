/**
 * ThreadStore: `state_updated_at` (moves only with the cached values) and the TTL columns (the expiry
 * is the last update plus the minutes; `expired` finds idle expired threads; `clearExpiry` is
 * conditional). Run by `describeStoreConformance` (index.ts) on a fresh set of stores per test.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { Stores } from "../../../src/stores/types.ts";
import { sleep } from "./helpers.ts";

const MINUTE = 60_000;

export function describeThreadLifecycleColumns(stores: () => Stores): void {
  describe("ThreadStore lifecycle columns", () => {
    let s: Stores;
    beforeEach(() => {
      s = stores();
    });

    it("state_updated_at moves when values are written, not with other updates", async () => {
      const t = await s.threads.create({ thread_id: "t1", metadata: {} });
      await sleep(3);
      const patched = await s.threads.update("t1", { metadata: { a: 1 }, status: "busy" });
      expect(patched!.updated_at > t!.updated_at).toBe(true);
      expect(patched!.state_updated_at).toBe(t!.state_updated_at);
      await sleep(3);
      const ran = await s.threads.update("t1", { values: { n: 1 }, status: "idle" });
      expect(ran!.state_updated_at).toBe(ran!.updated_at);
      expect(ran!.state_updated_at > patched!.updated_at).toBe(true);
      await sleep(3);
      const cleared = await s.threads.update("t1", { values: null });
      expect(cleared!.state_updated_at).toBe(cleared!.updated_at);
    });

    it("a ttl expires its minutes after the last update; an update moves it; null removes it", async () => {
      const t = await s.threads.create({ thread_id: "t1", metadata: {}, ttl: { strategy: "keep_latest", minutes: 2 } });
      expect(t!.ttl).toEqual({
        strategy: "keep_latest",
        minutes: 2,
        expires_at: new Date(Date.parse(t!.created_at) + 2 * MINUTE).toISOString(),
      });
      await sleep(3);
      const u = await s.threads.update("t1", { metadata: { a: 1 } });
      expect(u!.ttl!.expires_at).toBe(new Date(Date.parse(u!.updated_at) + 2 * MINUTE).toISOString());
      const changed = await s.threads.update("t1", { ttl: { strategy: "delete", minutes: 0.5 } });
      expect(changed!.ttl).toMatchObject({ strategy: "delete", minutes: 0.5 });
      expect((await s.threads.update("t1", { ttl: null }))!.ttl).toBeNull();
      expect((await s.threads.get("t1"))!.ttl).toBeNull();
    });

    it("expired: idle threads whose expiry has passed, longest expired first, up to the limit", async () => {
      await s.threads.create({ thread_id: "a", metadata: {}, ttl: { strategy: "delete", minutes: 1 } });
      await sleep(3);
      await s.threads.create({ thread_id: "b", metadata: {}, ttl: { strategy: "delete", minutes: 1 } });
      await s.threads.create({
        thread_id: "busy",
        metadata: {},
        status: "busy",
        ttl: { strategy: "delete", minutes: 1 },
      });
      await s.threads.create({ thread_id: "later", metadata: {}, ttl: { strategy: "delete", minutes: 60 } });
      await s.threads.create({ thread_id: "none", metadata: {} });
      const at = new Date(Date.now() + 2 * MINUTE).toISOString();
      expect((await s.threads.expired(at, 10)).map((t) => t.thread_id)).toEqual(["a", "b"]);
      expect((await s.threads.expired(at, 1)).map((t) => t.thread_id)).toEqual(["a"]);
      expect(await s.threads.expired(new Date().toISOString(), 10)).toEqual([]);
    });

    it("clearExpiry clears only the expiry it names, and leaves updated_at", async () => {
      const t = await s.threads.create({ thread_id: "t1", metadata: {}, ttl: { strategy: "keep_latest", minutes: 1 } });
      expect(await s.threads.clearExpiry("t1", "2000-01-01T00:00:00.000Z")).toBe(false);
      expect(await s.threads.clearExpiry("t1", t!.ttl!.expires_at!)).toBe(true);
      const after = await s.threads.get("t1");
      expect(after!.ttl).toEqual({ strategy: "keep_latest", minutes: 1, expires_at: null });
      expect(after!.updated_at).toBe(t!.updated_at);
      expect(await s.threads.expired(new Date(Date.now() + 2 * MINUTE).toISOString(), 10)).toEqual([]);
      const again = await s.threads.update("t1", { metadata: { a: 1 } });
      expect(again!.ttl!.expires_at).not.toBeNull();
    });

    it("search sorts by state_updated_at", async () => {
      await s.threads.create({ thread_id: "t1", metadata: {} });
      await sleep(3);
      await s.threads.create({ thread_id: "t2", metadata: {} });
      await sleep(3);
      await s.threads.update("t1", { values: { n: 1 } });
      const desc = await s.threads.search({ sort_by: "state_updated_at", sort_order: "desc", limit: 10, offset: 0 });
      expect(desc.items.map((t) => t.thread_id)).toEqual(["t1", "t2"]);
    });
  });
}
