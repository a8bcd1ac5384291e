/**
 * langgraph.json's `http.disable_*` keys by the spec's tags: every tag of the spec says which key removes
 * its operations (or that none does), so a new tag cannot slip past them; `/ok` is never removed.
 */
import { describe, expect, it } from "vitest";
import { loadSpec } from "../../src/http/spec-document.ts";
import { GROUP_OF_TAG, groupOf } from "../../src/http/route-groups.ts";

const METHODS = ["get", "put", "post", "delete", "patch"];

async function specOperations() {
  const doc = (await loadSpec()) as { tags?: { name: string }[]; paths: Record<string, Record<string, any>> };
  const operations: { operationId: string; path: string; tags: string[] }[] = [];
  for (const [path, item] of Object.entries(doc.paths))
    for (const method of METHODS)
      if (item[method]) operations.push({ operationId: item[method].operationId, path, tags: item[method].tags ?? [] });
  return { tags: (doc.tags ?? []).map((t) => t.name), operations };
}

describe("the groups http.disable_* removes", () => {
  it("every tag of the spec, and every operation's tag, has its group", async () => {
    const { tags, operations } = await specOperations();
    for (const tag of [...tags, ...operations.flatMap((op) => op.tags)])
      expect(Object.keys(GROUP_OF_TAG)).toContain(tag);
  });

  it("assistants, threads, runs (stateless too), store and meta; audit by whose data it is; /ok by none", async () => {
    const { operations } = await specOperations();
    const group = (id: string) => groupOf(operations.find((op) => op.operationId === id)!);
    expect(group("getOk")).toBeNull();
    expect(group("getInfo")).toBe("meta");
    expect(group("searchAssistants")).toBe("assistants");
    expect(group("getAssistantGraph")).toBe("assistants");
    expect(group("createThread")).toBe("threads");
    expect(group("copyThread")).toBe("threads");
    expect(group("createRun")).toBe("runs");
    expect(group("createStatelessRun")).toBe("runs");
    expect(group("runProtocolCommand")).toBe("runs");
    expect(group("streamProtocolEvents")).toBe("runs");
    expect(group("listThreadMessages")).toBe("threads");
    expect(group("getThreadTokenUsage")).toBe("threads");
    expect(group("putStoreItem")).toBe("store");
    expect(group("listStoreNamespaces")).toBe("store");
    expect(group("listRunMessages")).toBe("runs");
    expect(group("listRunEvents")).toBe("runs");
    for (const op of operations) if (op.operationId !== "getOk") expect(groupOf(op), op.operationId).not.toBeNull();
  });
});
