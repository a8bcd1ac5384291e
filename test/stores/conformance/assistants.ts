/**
 * AssistantStore: create, get, patch (versions), setLatest, listVersions, delete, search and count
 * with shared (system) assistants, each within a scope. Run by `describeStoreConformance` (index.ts)
 * on a fresh set of stores per test.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { AssistantRecord, NewAssistant } from "../../../src/stores/assistants.ts";
import type { Stores } from "../../../src/stores/types.ts";
import { ISO_MS, sleep } from "./helpers.ts";

function newAssistant(extra: Partial<NewAssistant> = {}): NewAssistant {
  return {
    assistant_id: randomUUID(),
    graph_id: "agent",
    name: "Untitled",
    description: null,
    config: { configurable: { model: "m" } },
    context: { tone: "dry" },
    metadata: { team: "a" },
    owner_id: null,
    ...extra,
  };
}

const SYSTEM: AssistantRecord = {
  assistant_id: "00000000-0000-5000-8000-000000000001",
  graph_id: "agent",
  name: "agent",
  description: null,
  config: { tags: ["system"] },
  context: {},
  metadata: { created_by: "system" },
  version: 1,
  created_at: "2000-01-01T00:00:00.000Z",
  updated_at: "2000-01-01T00:00:00.000Z",
  owner_id: null,
};

export function describeAssistantStore(stores: () => Stores): void {
  describe("AssistantStore", () => {
    let s: Stores;
    beforeEach(() => {
      s = stores();
    });

    it("create returns the record at version 1; an existing id is null and changes nothing", async () => {
      const a = newAssistant({ owner_id: "alice", description: "d" });
      const created = await s.assistants.create(a);
      expect(created).toEqual({
        ...a,
        version: 1,
        created_at: expect.stringMatching(ISO_MS),
        updated_at: created!.created_at,
      });
      expect(await s.assistants.get(a.assistant_id)).toEqual(created);
      expect(await s.assistants.create({ ...a, name: "again", owner_id: "bob" })).toBeNull();
      expect(await s.assistants.get(a.assistant_id)).toEqual(created);
      expect(await s.assistants.listVersions(a.assistant_id, { limit: 10, offset: 0 })).toEqual([
        {
          assistant_id: a.assistant_id,
          version: 1,
          graph_id: "agent",
          name: "Untitled",
          description: "d",
          config: a.config,
          context: a.context,
          metadata: a.metadata,
          created_at: created!.created_at,
        },
      ]);
    });

    it("get, patch, delete, versions and setLatest see nothing outside the scope", async () => {
      const a = newAssistant({ owner_id: "alice", metadata: { owner: "alice" } });
      await s.assistants.create(a);
      const id = a.assistant_id;
      for (const scope of [{ owner_id: "bob" }, { filters: { owner: "bob" } }]) {
        expect(await s.assistants.get(id, scope)).toBeNull();
        expect(await s.assistants.patch(id, { name: "bob's" }, scope)).toBeNull();
        expect(await s.assistants.listVersions(id, { limit: 10, offset: 0 }, scope)).toBeNull();
        expect(await s.assistants.setLatest(id, 1, scope)).toBeNull();
        expect(await s.assistants.delete(id, scope)).toBe(false);
      }
      const record = await s.assistants.get(id, { owner_id: "alice", filters: { owner: "alice" } });
      expect(record).toMatchObject({ version: 1, name: "Untitled" });
      expect(await s.assistants.listVersions(id, { limit: 10, offset: 0 })).toHaveLength(1);
    });

    it("patch writes version max+1 and makes it latest: fields replaced, metadata merged", async () => {
      const a = newAssistant({ owner_id: "alice" });
      const v1 = (await s.assistants.create(a))!;
      await sleep(2);
      const v2 = await s.assistants.patch(
        a.assistant_id,
        { name: "two", metadata: { more: 1 } },
        { owner_id: "alice" },
      );
      expect(v2).toMatchObject({ version: 2, name: "two", metadata: { team: "a", more: 1 }, config: a.config });
      expect(v2!.created_at).toBe(v1.created_at);
      expect(v2!.updated_at > v1.updated_at).toBe(true);
      const v3 = await s.assistants.patch(a.assistant_id, {
        config: { tags: ["x"] },
        context: {},
        description: "three",
        graph_id: "other",
      });
      expect(v3).toMatchObject({ version: 3, name: "two", config: { tags: ["x"] }, context: {}, graph_id: "other" });
      expect(await s.assistants.patch(randomUUID(), { name: "x" })).toBeNull();

      const versions = await s.assistants.listVersions(a.assistant_id, { limit: 10, offset: 0 });
      expect(versions!.map((v) => v.version)).toEqual([3, 2, 1]);
      expect(versions![2]).toMatchObject({ name: "Untitled", graph_id: "agent", metadata: { team: "a" } });
      expect((await s.assistants.listVersions(a.assistant_id, { limit: 1, offset: 1 }))!.map((v) => v.version)).toEqual(
        [2],
      );
      const withMore = await s.assistants.listVersions(a.assistant_id, { metadata: { more: 1 }, limit: 10, offset: 0 });
      expect(withMore!.map((v) => v.version)).toEqual([3, 2]);
    });

    it("setLatest copies a version into the latest; a missing version changes nothing", async () => {
      const a = newAssistant();
      await s.assistants.create(a);
      await s.assistants.patch(a.assistant_id, { name: "two" });
      const back = await s.assistants.setLatest(a.assistant_id, 1);
      expect(back).toMatchObject({ version: 1, name: "Untitled" });
      expect(await s.assistants.get(a.assistant_id)).toEqual(back);
      expect(await s.assistants.setLatest(a.assistant_id, 9)).toBe("no-version");
      expect(await s.assistants.get(a.assistant_id)).toEqual(back);
      expect(await s.assistants.setLatest(randomUUID(), 1)).toBeNull();
      expect(await s.assistants.patch(a.assistant_id, { name: "three" })).toMatchObject({ version: 3 });
    });

    it("delete removes the assistant and every version", async () => {
      const a = newAssistant({ owner_id: "alice" });
      await s.assistants.create(a);
      await s.assistants.patch(a.assistant_id, { name: "two" });
      expect(await s.assistants.delete(a.assistant_id, { owner_id: "alice" })).toBe(true);
      expect(await s.assistants.get(a.assistant_id)).toBeNull();
      expect(await s.assistants.listVersions(a.assistant_id, { limit: 10, offset: 0 })).toBeNull();
      expect(await s.assistants.delete(a.assistant_id)).toBe(false);
      // The id can be used again, from version 1.
      expect(await s.assistants.create(a)).toMatchObject({ version: 1 });
    });

    it("search and count cover the stored assistants in scope and the shared ones, filtered, sorted and paged", async () => {
      for (const [name, owner, graph_id, team] of [
        ["Beta", "alice", "agent", "x"],
        ["alpha", "alice", "other", "y"],
        ["Gamma", "bob", "agent", "x"],
      ]) {
        await s.assistants.create(newAssistant({ name, owner_id: owner, graph_id, metadata: { team, owner } }));
        await sleep(2);
      }
      const names = async (q: Parameters<Stores["assistants"]["search"]>[0]) =>
        (await s.assistants.search(q, [SYSTEM])).items.map((a) => a.name);
      const page = { limit: 10, offset: 0 };
      expect(await names(page)).toEqual(["Gamma", "alpha", "Beta", "agent"]);
      expect(await names({ ...page, scope: { owner_id: "alice" } })).toEqual(["alpha", "Beta", "agent"]);
      expect(await names({ ...page, scope: { filters: { owner: "bob" } } })).toEqual(["Gamma"]);
      expect(await names({ ...page, scope: { filters: { created_by: "system" } } })).toEqual(["agent"]);
      expect(await names({ ...page, graph_id: "agent", scope: { owner_id: "alice" } })).toEqual(["Beta", "agent"]);
      expect(await names({ ...page, name: "A" })).toEqual(["Gamma", "alpha", "Beta", "agent"]);
      expect(await names({ ...page, name: "amm" })).toEqual(["Gamma"]);
      expect(await names({ ...page, metadata: { team: "x" } })).toEqual(["Gamma", "Beta"]);
      expect(await names({ ...page, sort_by: "name", sort_order: "asc" })).toEqual(["Beta", "Gamma", "agent", "alpha"]);
      expect(await names({ ...page, sort_by: "created_at", sort_order: "asc" })).toEqual([
        "agent",
        "Beta",
        "alpha",
        "Gamma",
      ]);
      expect(await names({ limit: 2, offset: 1, sort_by: "name", sort_order: "desc" })).toEqual(["agent", "Gamma"]);

      const found = await s.assistants.search({ limit: 1, offset: 0, scope: { owner_id: "alice" } }, [SYSTEM]);
      expect(found.total).toBe(3);
      expect(found.items).toHaveLength(1);
      const shared = (await s.assistants.search({ ...page, name: "agent" }, [SYSTEM])).items[0];
      expect(shared).toEqual(SYSTEM);

      expect(await s.assistants.count({}, [SYSTEM])).toBe(4);
      expect(await s.assistants.count({ scope: { owner_id: "bob" } }, [SYSTEM])).toBe(2);
      expect(await s.assistants.count({ metadata: { team: "x" }, scope: { owner_id: "alice" } }, [SYSTEM])).toBe(1);
      expect(await s.assistants.count({}, [])).toBe(3);
    });
  });
}
