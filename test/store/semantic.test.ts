/**
 * Semantic search (langgraph.json `store.index`, with the offline topic embedding of fixtures/embed.ts):
 * items are embedded on put (the configured fields, or `index` per put), a search with `query` ranks
 * by similarity with a `score`, within the prefix and filter, and a graph's store searches the same way.
 */
import fs from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@langchain/langgraph-sdk";
import { http, startTestServer, type TestServer } from "../helpers/server.ts";
import { embedText } from "./fixtures/embed.ts";

const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
const STORE_GRAPHS = path.join(FIXTURES, "langgraph.json");

const cosine = (a: number[], b: number[]) =>
  a.reduce((sum, x, i) => sum + x * b[i], 0) / (Math.hypot(...a) * Math.hypot(...b));

describe("semantic search", () => {
  let t: TestServer;
  let client: Client;
  beforeAll(async () => {
    t = await startTestServer({ graphsConfigPath: STORE_GRAPHS });
    client = t.client;
    await client.store.putItem(["pets", "notes"], "cat", { text: "my cat naps; the kitten plays" });
    await client.store.putItem(["pets", "notes"], "dog", { text: "the dog and the puppy bark" });
    await client.store.putItem(["food"], "pizza", { text: "pizza with cheese and tomato" });
    await client.store.putItem(["weather"], "rain", { text: "rain again", tags: ["umbrella", "storm"] });
    // Only `tags` is indexed: its two texts are two vectors, and the closer one counts.
    await client.store.putItem(["weather"], "mixed", { text: "pizza", tags: ["sunny beach", "cat"] });
    // No indexed field: found by plain search, never by `query`.
    await client.store.putItem(["pets", "notes"], "untexted", { title: "kitten kitten kitten" });
    // `index: false`: not embedded at all.
    await client.store.putItem(["pets", "notes"], "hidden", { text: "kitten" }, { index: false });
    // `index` per put: these paths instead of the configured ones.
    await client.store.putItem(["pets", "notes"], "titled", { title: "a puppy", text: "pizza" }, { index: ["title"] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("ranks by similarity, best first, each with its score", async () => {
    const { items } = await client.store.searchItems([], { query: "kitten", limit: 10 });
    expect(items[0].key).toBe("cat");
    const keys = items.map((i) => i.key);
    expect(keys).not.toContain("untexted");
    expect(keys).not.toContain("hidden");
    const scores = items.map((i) => (i as unknown as { score: number }).score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // The score is the cosine similarity of the query's vector to the item's closest field.
    const expected = cosine(embedText("kitten"), embedText("my cat naps; the kitten plays"));
    expect(scores[0]).toBeCloseTo(expected, 5);
    const mixed = items.find((i) => i.key === "mixed") as unknown as { score: number };
    expect(mixed.score).toBeCloseTo(cosine(embedText("kitten"), embedText("cat")), 5);

    const puppies = await client.store.searchItems(["pets"], { query: "puppy", limit: 2 });
    expect(puppies.items.map((i) => i.key).sort()).toEqual(["dog", "titled"]);
    expect((await client.store.searchItems([], { query: "umbrella storm", limit: 1 })).items[0].key).toBe("rain");
  });

  it("keeps to the prefix, the filter and the page", async () => {
    const keys = async (prefix: string[], options: Parameters<Client["store"]["searchItems"]>[1]) =>
      (await client.store.searchItems(prefix, options)).items.map((i) => i.key);
    expect(await keys(["food"], { query: "kitten" })).toEqual(["pizza"]);
    expect((await keys([], { query: "cheese", filter: { text: "pizza" } })).sort()).toEqual(["mixed", "titled"]);
    const all = await keys([], { query: "kitten", limit: 10 });
    expect(await keys([], { query: "kitten", limit: 2, offset: 1 })).toEqual(all.slice(1, 3));
    // Without a query: every item, the newest first, no score.
    const plain = (await client.store.searchItems(["pets"], { limit: 10 })).items;
    expect(plain.map((i) => i.key)).toEqual(["titled", "hidden", "untexted", "dog", "cat"]);
    expect(plain.every((i) => !("score" in i))).toBe(true);
  });

  it("a put replaces the item's vectors; a delete removes them", async () => {
    await client.store.putItem(["swap"], "k", { text: "kitten" });
    expect((await client.store.searchItems(["swap"], { query: "cat" })).items.map((i) => i.key)).toEqual(["k"]);
    await client.store.putItem(["swap"], "k", { text: "guitar song" });
    const { items } = await client.store.searchItems(["swap"], { query: "cat" });
    expect((items[0] as unknown as { score: number }).score).toBeCloseTo(0, 5);
    await client.store.putItem(["swap"], "k", { text: "guitar song" }, { index: false });
    expect((await client.store.searchItems(["swap"], { query: "music" })).items).toEqual([]);
    await client.store.putItem(["swap"], "k", { text: "melody" });
    await client.store.deleteItem(["swap"], "k");
    expect((await client.store.searchItems(["swap"], { query: "music" })).items).toEqual([]);
    expect((await http(t.url, "POST", "/store/items/search", { namespace_prefix: ["swap"], query: "x" })).json).toEqual(
      {
        items: [],
      },
    );
  });

  it("a graph's store searches by meaning too", async () => {
    const thread = await client.threads.create();
    await client.store.putItem(["memories", "zoe"], "likes", { text: "zoe loves her kitten" });
    await client.store.putItem(["memories", "zoe"], "money", { text: "the bank raised the price" });
    const out = (await client.runs.wait(thread.thread_id, "memory", {
      input: { user: "zoe", note: "summer at the beach", query: "cats" },
    })) as { hits: { key: string; score: number }[] };
    expect(out.hits[0].key).toBe("likes");
    expect(out.hits[0].score).toBeGreaterThan(0.9);
    // What the graph put was embedded (its `text`: none; the default fields are `text` and `tags[*]`).
    const graphs = await client.store.searchItems(["memories", "zoe"], { query: "beach" });
    expect(graphs.items.map((i) => i.key)).not.toContain("from-graph");
  });
});

describe("store.index settings", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "threadgate-index-"));
  const write = (index: unknown) => {
    const file = path.join(dir, `langgraph-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(
      file,
      JSON.stringify({ graphs: {}, store: { index } }).replaceAll("./embed.ts", path.join(FIXTURES, "embed.ts")),
    );
    return file;
  };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("takes an embedding function as well as an Embeddings object", async () => {
    const t = await startTestServer({ graphsConfigPath: write({ embed: "./embed.ts:embed", dims: 8 }) });
    try {
      // The default field is `$`: the whole value.
      await t.client.store.putItem(["f"], "a", { note: "a song on the piano" });
      await t.client.store.putItem(["f"], "b", { note: "taxes and the budget" });
      expect((await t.client.store.searchItems(["f"], { query: "music" })).items[0].key).toBe("a");
    } finally {
      await t.close();
    }
  });

  it('"openai:<model>" embeds through the OpenAI embeddings API at OPENAI_BASE_URL', async () => {
    // An OpenAI-compatible endpoint on loopback answering with the offline topic embedding.
    const requests: { model: string; input: string | string[]; dimensions?: number }[] = [];
    const endpoint = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        const parsed = JSON.parse(body) as { model: string; input: string | string[]; encoding_format?: string };
        requests.push(parsed);
        const data = [parsed.input].flat().map((text, index) => {
          const v = embedText(text);
          const embedding =
            parsed.encoding_format === "base64" ? Buffer.from(Float32Array.from(v).buffer).toString("base64") : v;
          return { object: "embedding", index, embedding };
        });
        res.setHeader("content-type", "application/json");
        res.end(
          JSON.stringify({ object: "list", data, model: parsed.model, usage: { prompt_tokens: 1, total_tokens: 1 } }),
        );
      });
    });
    await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
    const saved = { key: process.env.OPENAI_API_KEY, url: process.env.OPENAI_BASE_URL };
    process.env.OPENAI_API_KEY = "sk-test";
    process.env.OPENAI_BASE_URL = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/v1`;
    let t: TestServer | undefined;
    try {
      t = await startTestServer({
        graphsConfigPath: write({ embed: "openai:text-embedding-3-small", dims: 8, fields: ["text"] }),
      });
      await t.client.store.putItem(["o"], "cat", { text: "a kitten" });
      await t.client.store.putItem(["o"], "rain", { text: "a storm" });
      expect((await t.client.store.searchItems(["o"], { query: "cats" })).items.map((i) => i.key)).toEqual([
        "cat",
        "rain",
      ]);
      expect(requests.map((r) => [r.input].flat())).toEqual([["a kitten"], ["a storm"], ["cats"]]);
      expect(requests.every((r) => r.model === "text-embedding-3-small" && r.dimensions === 8)).toBe(true);
    } finally {
      await t?.close();
      endpoint.close();
      if (saved.key === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved.key;
      if (saved.url === undefined) delete process.env.OPENAI_BASE_URL;
      else process.env.OPENAI_BASE_URL = saved.url;
    }
  });

  it("an export that is no embeddings, or settings that are wrong, stop the start naming the cause", async () => {
    await expect(startTestServer({ graphsConfigPath: write({ embed: "./embed.ts:DIMS", dims: 8 }) })).rejects.toThrow(
      /exports no "DIMS" that is an Embeddings object or a function/,
    );
    await expect(startTestServer({ graphsConfigPath: write({ embed: "./embed.ts:embed" }) })).rejects.toThrow(
      /"store.index.dims" must be a positive integer/,
    );
    await expect(startTestServer({ graphsConfigPath: write({ embed: "openai:", dims: 8 }) })).rejects.toThrow(
      /names no model/,
    );
  });

  it("a vector of another length than dims fails the put, and nothing is written", async () => {
    const t = await startTestServer({ graphsConfigPath: write({ embed: "./embed.ts:embedWrong", dims: 8 }) });
    try {
      const res = await http(t.url, "PUT", "/store/items", { namespace: ["w"], key: "k", value: { text: "x" } });
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(JSON.stringify(res.json)).not.toContain("    at "); // no stack trace
      expect(await t.client.store.getItem(["w"], "k")).toBeNull();
    } finally {
      await t.close();
    }
  });
});
