/**
 * Bad run options: each wrong type or impossible combination answers 4xx JSON
 * naming the field, and nothing is started or written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";

let t: TestServer;
let otherThread: string;
let otherCheckpoint: string;
beforeAll(async () => {
  t = await startTestServer();
  const other = await t.client.threads.create();
  otherThread = other.thread_id;
  await t.client.runs.wait(otherThread, "two_node", { input: { value: [] } });
  otherCheckpoint = (await t.client.threads.getState(otherThread)).checkpoint!.checkpoint_id!;
});
afterAll(async () => {
  await t?.close();
});

const base = { assistant_id: "two_node", input: { value: [] } };

const cases: [string, Record<string, unknown>, string][] = [
  ["assistant_id is not a string", { assistant_id: 42 }, "body.assistant_id"],
  ["assistant_id is missing", { assistant_id: undefined }, "body.assistant_id"],
  ["metadata is not an object", { metadata: "x" }, "body.metadata"],
  ["config is not an object", { config: [1] }, "body.config"],
  ["config.recursion_limit is not an integer", { config: { recursion_limit: 2.5 } }, "body.config.recursion_limit"],
  ["config.tags is not a list of strings", { config: { tags: [1] } }, "body.config.tags.0"],
  ["context is not an object", { context: 3 }, "body.context"],
  ["command is not an object", { command: "resume" }, "body.command"],
  ["checkpoint_id is not a string", { checkpoint_id: 5 }, "body.checkpoint_id"],
  ["checkpoint is not an object", { checkpoint: "abc" }, "body.checkpoint"],
  ["webhook is not a URL", { webhook: "not a url" }, "body.webhook"],
  ["interrupt_before is not a list or *", { interrupt_before: 5 }, "body.interrupt_before"],
  ["interrupt_after is not a list or *", { interrupt_after: { a: 1 } }, "body.interrupt_after"],
  ["on_disconnect is not cancel|continue", { on_disconnect: "explode" }, "body.on_disconnect"],
  ["multitask_strategy is unknown", { multitask_strategy: "shove" }, "body.multitask_strategy"],
  ["stream_mode is not a string or list", { stream_mode: 7 }, "body.stream_mode"],
  ["stream_subgraphs is not a boolean", { stream_subgraphs: "yes" }, "body.stream_subgraphs"],
  ["stream_resumable is not a boolean", { stream_resumable: 1 }, "body.stream_resumable"],
  ["after_seconds is negative", { after_seconds: -1 }, "body.after_seconds"],
  ["after_seconds is not a number", { after_seconds: "soon" }, "body.after_seconds"],
  ["if_not_exists is unknown", { if_not_exists: "maybe" }, "body.if_not_exists"],
  ["on_completion is unknown", { on_completion: "explode" }, "body.on_completion"],
  ["feedback_keys is not a list of strings", { feedback_keys: [1, 2] }, "body.feedback_keys.0"],
  ["durability is unknown", { durability: "forever" }, "body.durability"],
  [
    "checkpoint_id does not exist on the thread",
    { checkpoint_id: "1f000000-0000-6000-8000-000000000000" },
    "body.checkpoint_id",
  ],
];

describe("bad run options", () => {
  for (const [what, patch, field] of cases) {
    it(`${what} → 422 naming ${field}, nothing written`, async () => {
      const thread = await t.client.threads.create();
      for (const route of ["runs", "runs/wait", "runs/stream"]) {
        const res = await http(t.url, "POST", `/threads/${thread.thread_id}/${route}`, { ...base, ...patch });
        expect(res.status, `${route}: ${res.text}`).toBe(422);
        expect(res.headers.get("content-type")).toMatch(/application\/json/);
        const fields = res.json.detail.map((d: { loc: (string | number)[] }) => d.loc.join("."));
        expect(fields).toContain(field);
      }
      expect(await t.client.runs.list(thread.thread_id)).toEqual([]);
      const after = await t.client.threads.get(thread.thread_id);
      expect(after.status).toBe("idle");
      expect(after.metadata).toEqual({});
    });
  }

  it("a checkpoint of another thread → 4xx naming the field, nothing started", async () => {
    const thread = await t.client.threads.create();
    const res = await http(t.url, "POST", `/threads/${thread.thread_id}/runs`, {
      ...base,
      checkpoint: { thread_id: otherThread, checkpoint_ns: "", checkpoint_id: otherCheckpoint },
    });
    expect(res.status).toBe(422);
    expect(res.json.detail[0].loc).toEqual(["body", "checkpoint", "thread_id"]);
    // The same checkpoint id without the thread: it is not on this thread either.
    const byId = await http(t.url, "POST", `/threads/${thread.thread_id}/runs`, {
      ...base,
      checkpoint_id: otherCheckpoint,
    });
    expect(byId.status).toBe(422);
    expect(byId.json.detail[0].loc).toEqual(["body", "checkpoint_id"]);
    expect(await t.client.runs.list(thread.thread_id)).toEqual([]);
  });

  it("stateless routes and batches refuse the same way", async () => {
    const stateless = await http(t.url, "POST", "/runs/wait", { ...base, stream_subgraphs: "yes" });
    expect(stateless.status).toBe(422);
    expect(stateless.json.detail[0].loc).toEqual(["body", "stream_subgraphs"]);
    const before = await t.client.threads.search({ limit: 1000 });
    const batch = await http(t.url, "POST", "/runs/batch", [base, { ...base, after_seconds: -5 }]);
    expect(batch.status).toBe(422);
    expect(batch.json.detail[0].loc).toEqual(["body", 1, "after_seconds"]);
    expect((await t.client.threads.search({ limit: 1000 })).length).toBe(before.length);
    // Checks against the graph happen before anything is written, for every element.
    const late = await http(t.url, "POST", "/runs/batch", [base, { ...base, checkpoint_id: otherCheckpoint }]);
    expect(late.status).toBe(422);
    expect(late.json.detail[0].loc).toEqual(["body", 1, "checkpoint_id"]);
    const single = await http(t.url, "POST", "/runs", { ...base, checkpoint_id: otherCheckpoint });
    expect(single.status).toBe(422);
    const ifNotExists = await http(t.url, "POST", "/threads/22222222-2222-4222-8222-222222222222/runs", {
      ...base,
      if_not_exists: "create",
      checkpoint_id: otherCheckpoint,
    });
    expect(ifNotExists.status).toBe(422);
    expect((await t.client.threads.search({ limit: 1000 })).length).toBe(before.length);
  });
});
