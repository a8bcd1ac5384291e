/**
 * One UUID is one id: thread, run, checkpoint and assistant ids are taken in any case and as
 * `urn:uuid:` URNs (as the uuid format allows) and stored and answered in the lowercase canonical
 * form, wherever they enter (path, query, body, lists of ids).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const upper = (id: string) => id.toUpperCase();
const urn = (id: string) => `urn:uuid:${id}`;
const URN = (id: string) => `URN:UUID:${id.toUpperCase()}`;

describe("thread ids", () => {
  it("lowercase, UPPERCASE, urn:uuid: and URN:UUID: forms of one UUID are one thread", async () => {
    const id = randomUUID();
    const created = await t.client.threads.create({ threadId: upper(id), metadata: { forms: true } });
    expect(created.thread_id).toBe(id);
    for (const form of [id, urn(id), URN(id), upper(id)]) {
      const again = await http(t.url, "POST", "/threads", { thread_id: form });
      expect(again.status, form).toBe(409);
      const same = await t.client.threads.create({ threadId: form, ifExists: "do_nothing" });
      expect(same.thread_id, form).toBe(id);
    }
    const fetched = await t.client.threads.get(URN(id));
    expect(fetched.thread_id).toBe(id);
    expect(fetched.metadata).toEqual({ forms: true });
    const raw = await http(t.url, "GET", `/threads/${urn(upper(id))}`);
    expect(raw.status).toBe(200);
    expect(raw.json.thread_id).toBe(id);

    const found = await t.client.threads.search({ ids: [upper(id), urn(id)] });
    expect(found.map((th) => th.thread_id)).toEqual([id]);
    const rawSearch = await http(t.url, "POST", "/threads/search", { ids: [URN(id)] });
    expect(rawSearch.json.map((th: { thread_id: string }) => th.thread_id)).toEqual([id]);
  });

  it("PATCH and DELETE by another form reach the same thread", async () => {
    const thread = await t.client.threads.create();
    const patched = await t.client.threads.update(upper(thread.thread_id), { metadata: { patched: 1 } });
    expect(patched.thread_id).toBe(thread.thread_id);
    expect((await t.client.threads.get(thread.thread_id)).metadata).toEqual({ patched: 1 });
    const deleted = await http(t.url, "DELETE", `/threads/${URN(thread.thread_id)}`);
    expect(deleted.status).toBe(204);
    expect((await http(t.url, "GET", `/threads/${thread.thread_id}`)).status).toBe(404);
  });
});

describe("run, checkpoint and assistant ids", () => {
  it("runs are found by any form of their ids, path and body (run_ids, thread_id)", async () => {
    const thread = await t.client.threads.create();
    const run = await t.client.runs.create(upper(thread.thread_id), "echo", { input: {}, afterSeconds: 600 });
    expect(run.thread_id).toBe(thread.thread_id);
    const got = await t.client.runs.get(urn(thread.thread_id), URN(run.run_id));
    expect(got.run_id).toBe(run.run_id);
    const listed = await t.client.runs.list(URN(thread.thread_id));
    expect(listed.map((r) => r.run_id)).toEqual([run.run_id]);

    const cancel = await http(t.url, "POST", "/runs/cancel", {
      run_ids: [URN(run.run_id)],
      thread_id: upper(thread.thread_id),
    });
    expect(cancel.status).toBe(204);
    expect((await t.client.runs.get(thread.thread_id, run.run_id)).status).toBe("interrupted");
  });

  it("checkpoint ids in the path and in bodies are taken in any form", async () => {
    const thread = await t.client.threads.create();
    await t.client.runs.wait(thread.thread_id, "two_node", { input: { value: [] } });
    const state = await t.client.threads.getState(thread.thread_id);
    const checkpointId = state.checkpoint.checkpoint_id!;

    const byPath = await t.client.threads.getState(URN(thread.thread_id), URN(checkpointId));
    expect(byPath.checkpoint.checkpoint_id).toBe(checkpointId);
    expect(byPath.values).toEqual(state.values);

    const byBody = await http(t.url, "POST", `/threads/${thread.thread_id}/state/checkpoint`, {
      checkpoint: { checkpoint_id: upper(checkpointId), thread_id: urn(thread.thread_id) },
    });
    expect(byBody.status).toBe(200);
    expect(byBody.json.checkpoint.checkpoint_id).toBe(checkpointId);

    const all = await t.client.threads.getHistory(thread.thread_id);
    const older = all.map((s) => s.checkpoint.checkpoint_id).filter((id) => id! < checkpointId);
    expect(older.length).toBeGreaterThan(0);
    for (const before of [{ checkpoint_id: upper(checkpointId) }, URN(checkpointId)]) {
      const history = await http(t.url, "POST", `/threads/${thread.thread_id}/history`, { before });
      expect(history.status).toBe(200);
      expect(history.json.map((s: { checkpoint: { checkpoint_id: string } }) => s.checkpoint.checkpoint_id)).toEqual(
        older,
      );
    }
    const rawHistory = await http(t.url, "GET", `/threads/${thread.thread_id}/history?before=${URN(checkpointId)}`);
    expect(rawHistory.status).toBe(200);
    expect(rawHistory.json.map((s: { checkpoint: { checkpoint_id: string } }) => s.checkpoint.checkpoint_id)).toEqual(
      older,
    );

    // A run forked from the checkpoint by an UPPERCASE id starts from it.
    const forked = await http(t.url, "POST", `/threads/${thread.thread_id}/runs/wait`, {
      assistant_id: "two_node",
      input: { value: [] },
      checkpoint_id: upper(checkpointId),
    });
    expect(forked.status).toBe(200);
    expect(forked.json.value).toEqual(["first", "second", "first", "second"]);
  });

  it("an assistant UUID is taken in any form; a graph name stays a name", async () => {
    const [assistant] = await t.client.assistants.search({ graphId: "echo" });
    const byUpper = await t.client.assistants.get(upper(assistant.assistant_id));
    expect(byUpper.assistant_id).toBe(assistant.assistant_id);
    expect((await http(t.url, "GET", `/assistants/${URN(assistant.assistant_id)}`)).status).toBe(200);
    expect((await http(t.url, "GET", "/assistants/ECHO")).status).toBe(404);

    const thread = await t.client.threads.create();
    const run = await t.client.runs.create(thread.thread_id, URN(assistant.assistant_id), {
      input: {},
      afterSeconds: 600,
    });
    expect(run.assistant_id).toBe(assistant.assistant_id);
    await t.client.runs.cancel(thread.thread_id, run.run_id, true);
  });
});
