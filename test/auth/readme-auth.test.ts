/**
 * README's custom auth example works as printed: its langgraph.json (with the graph pointed at the repo's
 * example agent) and its src/auth.ts, saved in a folder of their own, are what a server starts with, and
 * the behaviour README describes holds through the SDK.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@langchain/langgraph-sdk";
import { startTestServer, type TestServer } from "../helpers/server.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

function customSection() {
  const start = README.indexOf("**custom**:");
  const section = README.slice(start, README.indexOf("**api-keys**:", start));
  return {
    config: /```json\n([\s\S]*?)```/.exec(section)?.[1],
    authFile: /```ts\n(\/\/ src\/auth\.ts\n[\s\S]*?)```/.exec(section)?.[1],
    client: /```ts\n(const alice = [\s\S]*?)```/.exec(section)?.[1],
  };
}

let t: TestServer;
let dir: string;
beforeAll(async () => {
  const { config, authFile } = customSection();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "threadgate-readme-auth-"));
  fs.mkdirSync(path.join(dir, "src"));
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  const json = JSON.parse(config!) as { graphs: Record<string, string>; auth: { path: string } };
  json.graphs.agent = path.join(ROOT, "src/agents/chat-agent.ts") + ":graph"; // the repo's example agent
  fs.writeFileSync(path.join(dir, "langgraph.json"), JSON.stringify(json));
  fs.writeFileSync(path.join(dir, json.auth.path.split(":")[0]), authFile!);
  t = await startTestServer({ graphsConfigPath: path.join(dir, "langgraph.json") });
});
afterAll(async () => {
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("README's custom auth example", () => {
  const as = (token: string) =>
    new Client({
      apiUrl: t.url,
      defaultHeaders: { Authorization: `Bearer ${token}` },
      callerOptions: { maxRetries: 0 },
    });

  it("its client line is the one the test uses, and the server runs in mode custom", () => {
    expect(customSection().client).toContain(`defaultHeaders: { Authorization: "Bearer alice-token" }`);
    expect(t.server.services.config.authMode).toBe("auto");
  });

  it("alice runs the agent; bob does not see her thread and may not delete his own; no token is a 401", async () => {
    const alice = as("alice-token");
    const bob = as("bob-token");
    const thread = await alice.threads.create();
    expect(thread.metadata).toMatchObject({ owner: "alice" });
    const values = (await alice.runs.wait(thread.thread_id, "agent", {
      input: { messages: [{ role: "user", content: "hello" }] },
    })) as { messages: unknown[] };
    expect(values.messages.length).toBe(2);
    expect((await alice.assistants.search({})).map((a) => a.graph_id)).toEqual(["agent"]);

    expect(
      (await fetch(`${t.url}/threads/${thread.thread_id}`, { headers: { authorization: "Bearer bob-token" } })).status,
    ).toBe(404);
    expect(await bob.threads.search()).toEqual([]);
    const own = await bob.threads.create();
    const del = await fetch(`${t.url}/threads/${own.thread_id}`, {
      method: "DELETE",
      headers: { authorization: "Bearer bob-token" },
    });
    expect(del.status).toBe(403);
    await alice.threads.delete(thread.thread_id); // alice is an admin

    const anonymous = await fetch(`${t.url}/threads/search`, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ detail: "Invalid token" });
  });
});
