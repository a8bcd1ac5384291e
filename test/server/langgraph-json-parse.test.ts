/**
 * Reading langgraph.json into the typed Project the server starts from (src/project/langgraph-json.ts):
 * what each key becomes, which keys are unknown, and the real environment winning over `env`.
 * The same behaviour over HTTP, with servers: langgraph-json.test.ts.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { moduleExport, parseProject } from "../../src/project/langgraph-json.ts";
import { applyProjectEnv } from "../../src/project/env.ts";

const CONFIG = path.resolve("/srv/app/langgraph.json");
const parse = (project: unknown) => parseProject(JSON.stringify(project), CONFIG);

describe("langgraph.json", () => {
  it("reads graphs, auth and http into one typed object, paths resolved against its folder", async () => {
    const project = await parse({
      graphs: { a: "./a.ts:graph", b: { path: "./b.ts", description: "B" }, c: { description: "no path" } },
      auth: { path: "./auth.ts:auth", disable_studio_auth: true },
      env: { A: "1", N: 2, B: true },
      http: {
        app: "./app.ts:app",
        enable_custom_route_auth: true,
        disable_threads: true,
        disable_mcp: true,
        cors: { allow_origins: ["http://a.example"], allow_credentials: true, max_age: 5 },
      },
    });
    expect(project.graphs).toEqual([
      { graphId: "a", file: "/srv/app/a.ts", exportName: "graph", description: null },
      { graphId: "b", file: "/srv/app/b.ts", exportName: "default", description: "B" },
      {
        graphId: "c",
        file: CONFIG,
        exportName: "default",
        description: "no path",
        problem: 'graph "c" needs a "path"',
      },
    ]);
    expect(project.auth).toEqual({ file: "/srv/app/auth.ts", exportName: "auth", disableStudioAuth: true });
    expect(project.env).toEqual({ A: "1", N: "2", B: "true" });
    expect(project.http.app).toEqual({ file: "/srv/app/app.ts", exportName: "app" });
    expect(project.http.enableCustomRouteAuth).toBe(true);
    expect([...project.http.disabled].sort()).toEqual(["mcp", "threads"]);
    expect(project.http.cors).toMatchObject({ allowOrigins: ["http://a.example"], allowCredentials: true, maxAge: 5 });
    expect(project.unknownKeys).toEqual([]);
  });

  it("lists unknown keys (top level, http, http.cors) and accepts LangGraph's others without a word", async () => {
    const project = await parse({
      graphs: {},
      node_version: "20",
      dependencies: ["."],
      checkpointer: { ttl: { default_ttl: 1 } },
      store: {},
      webhooks: {},
      encryption: {},
      surprise: 1,
      http: { mount_prefix: "/x", disable_ui: true, shiny: true, cors: { allow_everything: true } },
    });
    expect(project.unknownKeys).toEqual(["surprise", "http.shiny", "http.cors.allow_everything"]);
    expect(project.notApplied).toEqual(["http.mount_prefix"]);
  });

  it("refuses known keys of the wrong type, naming them", async () => {
    await expect(parse({})).rejects.toThrow('"graphs" is missing');
    await expect(parse({ graphs: {}, env: 3 })).rejects.toThrow(/"env" must be the path of a .env file or an object/);
    await expect(parse({ graphs: {}, env: { A: {} } })).rejects.toThrow(/env.A must be a string/);
    await expect(parse({ graphs: {}, http: { cors: { allow_origins: "*" } } })).rejects.toThrow(
      /"http.cors.allow_origins" must be a list of strings/,
    );
    await expect(parse({ graphs: {}, http: { cors: { allow_origin_regex: "(" } } })).rejects.toThrow(
      /allow_origin_regex" is not a regular expression/,
    );
    await expect(parseProject("{nope", CONFIG)).rejects.toThrow(/is not valid JSON/);
  });

  it("store: index and ttl read (paths resolved, LangGraph's defaults), unknown keys listed, wrong values named", async () => {
    const defaults = await parse({ graphs: {} });
    expect(defaults.store).toEqual({
      ttl: { refreshOnRead: true, defaultTtlMinutes: null, sweepIntervalMs: 300_000, sweepLimit: 1000 },
      index: null,
    });
    const project = await parse({
      graphs: {},
      store: {
        index: { embed: "./embed.ts:e", dims: 3, fields: ["text"], ann: true },
        ttl: { refresh_on_read: false, default_ttl: 2, sweep_interval_minutes: 0.5, sweep_limit: 7, odd: 1 },
        extra: {},
      },
    });
    expect(project.store).toEqual({
      index: { embed: { kind: "module", file: "/srv/app/embed.ts", exportName: "e" }, dims: 3, fields: ["text"] },
      ttl: { refreshOnRead: false, defaultTtlMinutes: 2, sweepIntervalMs: 30_000, sweepLimit: 7 },
    });
    expect(project.unknownKeys).toEqual(["store.extra", "store.ttl.odd", "store.index.ann"]);
    const openai = await parse({
      graphs: {},
      store: { index: { embed: "openai:text-embedding-3-small", dims: 1536 } },
    });
    expect(openai.store.index).toEqual({
      embed: { kind: "openai", model: "text-embedding-3-small" },
      dims: 1536,
      fields: ["$"],
    });
    for (const [store, message] of [
      [[], /"store" must be an object/],
      [{ ttl: { default_ttl: 0 } }, /"store.ttl.default_ttl" must be a positive number of minutes/],
      [{ ttl: { refresh_on_read: "yes" } }, /"store.ttl.refresh_on_read" must be true or false/],
      [{ ttl: { sweep_interval_minutes: -1 } }, /"store.ttl.sweep_interval_minutes"/],
      [{ index: { dims: 3 } }, /"store.index.embed" must be/],
      [{ index: { embed: "./e.ts", dims: 1.5 } }, /"store.index.dims" must be a positive integer/],
      [{ index: { embed: "./e.ts", dims: 3, fields: [""] } }, /"store.index.fields" must be a list of paths/],
    ] as const)
      await expect(parse({ graphs: {}, store }), JSON.stringify(store)).rejects.toThrow(message);
  });

  it("module references: the export after the last colon, `default` without one", () => {
    expect(moduleExport("./x.ts:app", "/d")).toEqual({ file: "/d/x.ts", exportName: "app" });
    expect(moduleExport("./x.ts", "/d")).toEqual({ file: "/d/x.ts", exportName: "default" });
  });

  it("env: the real environment wins, even an empty value; undo removes only what it set", () => {
    const env: NodeJS.ProcessEnv = { SET: "real", EMPTY: "" };
    const applied = applyProjectEnv({ SET: "file", EMPTY: "file", NEW: "file" }, env);
    expect(env).toEqual({ SET: "real", EMPTY: "", NEW: "file" });
    expect(applied.applied).toEqual(["NEW"]);
    applied.undo();
    expect(env).toEqual({ SET: "real", EMPTY: "" });
  });
});
