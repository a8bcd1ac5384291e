/**
 * Cross-cutting properties of the spec (spec/openapi.yaml bundled with the files it $refs, as the
 * server loads it) and the generated operation list; the lint:spec script is tested in lint-spec.test.ts.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { operationIds, operationPermissions, operationRoutes, operationTags } from "../../generated/operation-ids.ts";
import { bundleSpec } from "../../src/http/spec-document.ts";
import { ROOT, run } from "./spec-scripts.ts";

type Json = Record<string, any>;
const spec: Json = await bundleSpec();

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

interface Op {
  method: string;
  path: string;
  op: Json;
  /** Path-level and operation-level parameters. */
  parameters: Json[];
}

function operations(doc: Json): Op[] {
  const out: Op[] = [];
  for (const [p, item] of Object.entries<Json>(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      out.push({
        method: method.toUpperCase(),
        path: p,
        op,
        parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])],
      });
    }
  }
  return out;
}

/** Follows a local `#/...` $ref (one level at a time) until a non-ref object is reached. */
function deref(doc: Json, node: Json): Json {
  let cur = node;
  for (let i = 0; i < 10 && cur && typeof cur.$ref === "string"; i++) {
    const ref: string = cur.$ref;
    expect(ref.startsWith("#/"), `only local refs expected, got ${ref}`).toBe(true);
    cur = ref
      .slice(2)
      .split("/")
      .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce<Json>((acc, key) => acc?.[key], doc);
    expect(cur, `dangling $ref ${ref}`).toBeDefined();
  }
  return cur;
}

const OPS = operations(spec);
const label = (o: Op) => `${o.method} ${o.path}`;

/** The contract the server handlers are written against. */
const EXPECTED: Record<string, [method: string, path: string, tag: string]> = {
  getOk: ["GET", "/ok", "system"],
  getInfo: ["GET", "/info", "system"],
  createAssistant: ["POST", "/assistants", "assistants"],
  searchAssistants: ["POST", "/assistants/search", "assistants"],
  countAssistants: ["POST", "/assistants/count", "assistants"],
  getAssistant: ["GET", "/assistants/{assistant_id}", "assistants"],
  patchAssistant: ["PATCH", "/assistants/{assistant_id}", "assistants"],
  deleteAssistant: ["DELETE", "/assistants/{assistant_id}", "assistants"],
  listAssistantVersions: ["POST", "/assistants/{assistant_id}/versions", "assistants"],
  setLatestAssistantVersion: ["POST", "/assistants/{assistant_id}/latest", "assistants"],
  getAssistantGraph: ["GET", "/assistants/{assistant_id}/graph", "assistants"],
  getAssistantSchemas: ["GET", "/assistants/{assistant_id}/schemas", "assistants"],
  getAssistantSubgraphs: ["GET", "/assistants/{assistant_id}/subgraphs", "assistants"],
  getAssistantSubgraphsByNamespace: ["GET", "/assistants/{assistant_id}/subgraphs/{namespace}", "assistants"],
  createThread: ["POST", "/threads", "threads"],
  searchThreads: ["POST", "/threads/search", "threads"],
  countThreads: ["POST", "/threads/count", "threads"],
  pruneThreads: ["POST", "/threads/prune", "threads"],
  copyThread: ["POST", "/threads/{thread_id}/copy", "threads"],
  patchThreadState: ["PATCH", "/threads/{thread_id}/state", "threads"],
  getThread: ["GET", "/threads/{thread_id}", "threads"],
  patchThread: ["PATCH", "/threads/{thread_id}", "threads"],
  deleteThread: ["DELETE", "/threads/{thread_id}", "threads"],
  getThreadState: ["GET", "/threads/{thread_id}/state", "threads"],
  listThreadHistory: ["GET", "/threads/{thread_id}/history", "threads"],
  searchThreadHistory: ["POST", "/threads/{thread_id}/history", "threads"],
  joinThreadStream: ["GET", "/threads/{thread_id}/stream", "threads"],
  listRuns: ["GET", "/threads/{thread_id}/runs", "runs"],
  createRun: ["POST", "/threads/{thread_id}/runs", "runs"],
  streamRun: ["POST", "/threads/{thread_id}/runs/stream", "runs"],
  waitRun: ["POST", "/threads/{thread_id}/runs/wait", "runs"],
  getRun: ["GET", "/threads/{thread_id}/runs/{run_id}", "runs"],
  cancelRun: ["POST", "/threads/{thread_id}/runs/{run_id}/cancel", "runs"],
  joinRun: ["GET", "/threads/{thread_id}/runs/{run_id}/join", "runs"],
  joinRunStream: ["GET", "/threads/{thread_id}/runs/{run_id}/stream", "runs"],
  controlRunStream: ["POST", "/threads/{thread_id}/runs/{run_id}/stream", "runs"],
  listThreadMessages: ["GET", "/threads/{thread_id}/messages", "audit"],
  listRunMessages: ["GET", "/threads/{thread_id}/runs/{run_id}/messages", "audit"],
  listRunEvents: ["GET", "/threads/{thread_id}/runs/{run_id}/events", "audit"],
  getThreadTokenUsage: ["GET", "/threads/{thread_id}/token-usage", "audit"],
  putRunFeedback: ["PUT", "/threads/{thread_id}/runs/{run_id}/feedback", "audit"],
  createRunFeedback: ["POST", "/threads/{thread_id}/runs/{run_id}/feedback", "audit"],
  listRunFeedback: ["GET", "/threads/{thread_id}/runs/{run_id}/feedback", "audit"],
  deleteRunFeedback: ["DELETE", "/threads/{thread_id}/runs/{run_id}/feedback", "audit"],
  getRunFeedbackStats: ["GET", "/threads/{thread_id}/runs/{run_id}/feedback/stats", "audit"],
  deleteRunFeedbackById: ["DELETE", "/threads/{thread_id}/runs/{run_id}/feedback/{feedback_id}", "audit"],
  updateThreadState: ["POST", "/threads/{thread_id}/state", "threads"],
  getThreadStateAtCheckpoint: ["GET", "/threads/{thread_id}/state/{checkpoint_id}", "threads"],
  readThreadStateAtCheckpoint: ["POST", "/threads/{thread_id}/state/checkpoint", "threads"],
  deleteRun: ["DELETE", "/threads/{thread_id}/runs/{run_id}", "runs"],
  createStatelessRun: ["POST", "/runs", "stateless-runs"],
  streamStatelessRun: ["POST", "/runs/stream", "stateless-runs"],
  waitStatelessRun: ["POST", "/runs/wait", "stateless-runs"],
  createRunBatch: ["POST", "/runs/batch", "stateless-runs"],
  cancelRuns: ["POST", "/runs/cancel", "stateless-runs"],
  joinStatelessRunStream: ["GET", "/runs/{run_id}/stream", "stateless-runs"],
  putStoreItem: ["PUT", "/store/items", "store"],
  getStoreItem: ["GET", "/store/items", "store"],
  deleteStoreItem: ["DELETE", "/store/items", "store"],
  searchStoreItems: ["POST", "/store/items/search", "store"],
  listStoreNamespaces: ["POST", "/store/namespaces", "store"],
  createThreadCron: ["POST", "/threads/{thread_id}/runs/crons", "crons"],
  createCron: ["POST", "/runs/crons", "crons"],
  searchCrons: ["POST", "/runs/crons/search", "crons"],
  countCrons: ["POST", "/runs/crons/count", "crons"],
  getCron: ["GET", "/runs/crons/{cron_id}", "crons"],
  patchCron: ["PATCH", "/runs/crons/{cron_id}", "crons"],
  deleteCron: ["DELETE", "/runs/crons/{cron_id}", "crons"],
  runProtocolCommand: ["POST", "/threads/{thread_id}/commands", "protocol"],
  streamProtocolEvents: ["POST", "/threads/{thread_id}/stream/events", "protocol"],
};

const STREAMING = [
  "streamRun",
  "joinRunStream",
  "controlRunStream",
  "streamStatelessRun",
  "joinStatelessRunStream",
  "streamProtocolEvents",
  "joinThreadStream",
];

describe("the spec", () => {
  it("is OpenAPI 3.1.0", () => {
    expect(spec.openapi).toBe("3.1.0");
  });

  it("gives every operation an operationId, unique also case-insensitively", () => {
    const seen = new Map<string, string>();
    for (const o of OPS) {
      expect(typeof o.op.operationId, `${label(o)} has no operationId`).toBe("string");
      const key = (o.op.operationId as string).toLowerCase();
      expect(
        seen.get(key),
        `operationId ${o.op.operationId} of ${label(o)} is also used by ${seen.get(key)}`,
      ).toBeUndefined();
      seen.set(key, label(o));
    }
  });

  it("has exactly the agreed operations, methods, paths and tags", () => {
    const actual = Object.fromEntries(OPS.map((o) => [o.op.operationId, [o.method, o.path, o.op.tags?.[0]]]));
    expect(actual).toEqual(EXPECTED);
  });

  it("declares a permission on every operation: public only for /ok and /info, runs:cancel for every way to stop a run", () => {
    const permissions = Object.fromEntries(OPS.map((o) => [o.op.operationId, o.op["x-permission"]]));
    for (const o of OPS)
      expect(o.op["x-permission"], `${label(o)} has no x-permission`).toMatch(/^[a-z_]+(:[a-z_]+)?$/);
    const publicOps = Object.keys(permissions).filter((id) => permissions[id] === "public");
    expect(publicOps.sort()).toEqual(["getInfo", "getOk"]);
    // The stop button (POST .../runs/{run_id}/stream?action=...) is a cancel too.
    for (const id of ["cancelRun", "cancelRuns", "controlRunStream"]) expect(permissions[id]).toBe("runs:cancel");
  });

  it("has both GET and POST on /threads/{thread_id}/runs/{run_id}/stream, with different operationIds", () => {
    const item = spec.paths["/threads/{thread_id}/runs/{run_id}/stream"];
    expect(item?.get?.operationId).toBe("joinRunStream");
    expect(item?.post?.operationId).toBe("controlRunStream");
    expect(item.get.operationId).not.toBe(item.post.operationId);
  });

  it("tags every operation with exactly one declared tag", () => {
    const declared = new Set<string>((spec.tags ?? []).map((t: Json) => t.name));
    expect([...declared].sort()).toEqual([
      "assistants",
      "audit",
      "crons",
      "protocol",
      "runs",
      "stateless-runs",
      "store",
      "system",
      "threads",
    ]);
    for (const t of spec.tags) expect(t.description, `tag ${t.name} has no description`).toBeTruthy();
    for (const o of OPS) {
      expect(o.op.tags, `${label(o)} tags`).toHaveLength(1);
      expect(declared.has(o.op.tags[0]), `${label(o)} uses undeclared tag ${o.op.tags[0]}`).toBe(true);
    }
  });

  it("documents every operation and parameter", () => {
    for (const o of OPS) {
      expect(o.op.summary, `${label(o)} summary`).toBeTruthy();
      expect(o.op.description, `${label(o)} description`).toBeTruthy();
      for (const p of o.parameters) expect(deref(spec, p).description, `${label(o)} parameter`).toBeTruthy();
    }
  });

  it("uses the shared error response with the ErrorResponse schema for every 4xx/5xx", () => {
    let count = 0;
    for (const o of OPS) {
      for (const [status, response] of Object.entries<Json>(o.op.responses)) {
        if (!/^[45]/.test(status)) continue;
        count++;
        expect(response.$ref, `${label(o)} ${status} must $ref a shared response`).toMatch(
          /^#\/components\/responses\//,
        );
        const resolved = deref(spec, response);
        expect(Object.keys(resolved.content ?? {}), `${label(o)} ${status} media types`).toEqual(["application/json"]);
        expect(resolved.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/ErrorResponse" });
      }
    }
    expect(count).toBeGreaterThan(0);
    const error = spec.components.schemas.ErrorResponse;
    expect(error.required).toEqual(["detail"]);
    expect(spec.components.schemas.ValidationIssue.required).toEqual(["loc", "msg", "type"]);
  });

  it("declares 422 on every operation with parameters or a request body, and 404 on every one with path parameters", () => {
    for (const o of OPS) {
      if (o.parameters.length > 0 || o.op.requestBody) {
        expect(o.op.responses["422"], `${label(o)} must declare 422`).toBeDefined();
      }
      if (o.parameters.some((p) => deref(spec, p).in === "path")) {
        expect(o.op.responses["404"], `${label(o)} must declare 404`).toBeDefined();
      }
    }
  });

  it("declares 409 where the contract says so", () => {
    for (const id of [
      "createThread",
      "deleteThread",
      "createRun",
      "streamRun",
      "waitRun",
      "cancelRun",
      "controlRunStream",
    ]) {
      const o = OPS.find((x) => x.op.operationId === id)!;
      expect(o.op.responses["409"], `${id} must declare 409`).toBeDefined();
    }
  });

  it("answers 200 text/event-stream (and no JSON) on streaming operations, JSON elsewhere", () => {
    for (const o of OPS) {
      const ok = o.op.responses["200"];
      if (!ok) continue;
      const types = Object.keys(deref(spec, ok).content ?? {});
      if (STREAMING.includes(o.op.operationId)) {
        expect(types, `${o.op.operationId} 200`).toEqual(["text/event-stream"]);
        expect(ok.content["text/event-stream"].schema.type).toBe("string");
      } else {
        expect(types, `${o.op.operationId} 200`).toEqual(["application/json"]);
      }
    }
  });

  it("sets Content-Location on run creation responses", () => {
    for (const id of ["createRun", "streamRun", "waitRun"]) {
      const o = OPS.find((x) => x.op.operationId === id)!;
      expect(o.op.responses["200"].headers?.["Content-Location"]).toEqual({
        $ref: "#/components/headers/ContentLocation",
      });
    }
  });

  it("has no request body on GET operations", () => {
    for (const o of OPS.filter((x) => x.method === "GET")) expect(o.op.requestBody, label(o)).toBeUndefined();
  });

  it("types thread_id and run_id as uuid strings, assistant_id as a uuid or any graph name, a subgraph namespace as a string", () => {
    for (const o of OPS) {
      for (const p of o.parameters.map((x) => deref(spec, x)).filter((x) => x.in === "path")) {
        const schema = deref(spec, p.schema);
        if (p.name === "assistant_id") {
          expect(schema.anyOf.map((s: Json) => [s.type, s.format])).toEqual([
            ["string", "uuid"],
            ["string", undefined],
          ]);
          continue;
        }
        expect(schema.type).toBe("string");
        // A subgraph's namespace is the name of its node (`parent|child`), no id.
        if (p.name === "namespace") continue;
        expect(schema.format, `${label(o)} ${p.name}`).toBe("uuid");
      }
    }
  });

  it("never closes request bodies to unknown properties", () => {
    const closed: string[] = [];
    const walk = (node: unknown, where: string, seen: Set<unknown>): void => {
      if (!node || typeof node !== "object" || seen.has(node)) return;
      seen.add(node);
      const n = node as Json;
      if (n.additionalProperties === false) closed.push(where);
      if (typeof n.$ref === "string") walk(deref(spec, n), n.$ref, seen);
      for (const [k, v] of Object.entries(n)) if (k !== "$ref") walk(v, `${where}/${k}`, seen);
    };
    for (const o of OPS) if (o.op.requestBody) walk(o.op.requestBody, `${label(o)} requestBody`, new Set());
    expect(closed).toEqual([]);
  });

  it("lets RunCreate.stream_mode be any string or list of strings", () => {
    const sm = spec.components.schemas.RunCreate.properties.stream_mode;
    const branches: Json[] = sm.anyOf.map((b: Json) => deref(spec, b));
    expect(branches.some((b) => b.type === "string" && b.enum === undefined)).toBe(true);
    expect(branches.some((b) => b.type === "array" && b.items?.type === "string" && b.items.enum === undefined)).toBe(
      true,
    );
  });
});

describe("generated/operation-ids.ts", () => {
  it("lists exactly the spec's operationIds, sorted", () => {
    const fromSpec = OPS.map((o) => o.op.operationId as string).sort();
    expect([...operationIds]).toEqual(fromSpec);
    expect([...operationIds]).toEqual([...operationIds].sort());
  });

  it("maps each operation to its tag, route and permission", () => {
    for (const o of OPS) {
      const id = o.op.operationId as keyof typeof operationTags;
      expect(operationTags[id]).toBe(o.op.tags[0]);
      expect(operationRoutes[id]).toEqual({ method: o.method, path: o.path });
      expect(operationPermissions[id]).toBe(o.op["x-permission"]);
    }
  });

  it("is up to date (generate --check)", async () => {
    const r = await run([path.join(ROOT, "scripts", "generate.ts"), "--check"]);
    expect(r.code, r.output).toBe(0);
  }, 60_000);
});
