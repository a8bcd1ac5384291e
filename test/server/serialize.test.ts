/**
 * The wire JSON of run output: LangChain messages as `{...data, type}`, errors as
 * `{error, message}`, bigints as digits, everything else exactly as JSON.stringify
 * writes it. Checked against a replacer that states those rules directly.
 */
import { describe, expect, it } from "vitest";
import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { toJson, toPlain } from "../../src/runtime/shared/serialize.ts";

/** The rules as a JSON.stringify replacer (slow, but plainly right): the reference. */
function reference(value: unknown): string {
  return (
    JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
      const raw = (this as Record<string, unknown>)[key];
      if (typeof raw === "object" && raw !== null && typeof (raw as { toDict?: unknown }).toDict === "function") {
        const { type, data } = (raw as { toDict(): { type: string; data: object } }).toDict();
        return { ...data, type };
      }
      if (raw instanceof Error) return { error: raw.name, message: raw.message };
      if (typeof v === "bigint") return v.toString();
      return v;
    }) ?? "null"
  );
}

const ai = new AIMessage({
  content: "hi",
  id: "m2",
  tool_calls: [{ id: "c1", name: "search", args: { q: "x" } }],
  usage_metadata: { input_tokens: 3, output_tokens: 4, total_tokens: 7 },
  response_metadata: { model_name: "fake" },
});
const plainState = { messages: [{ type: "human", content: "a" }], count: 3, nested: { list: [1, "two", null] } };

const cases: Record<string, unknown> = {
  "plain state": plainState,
  "messages in state": { messages: [new HumanMessage({ content: "hello", id: "m1" }), ai], step: 2 },
  "a message at the root": ai,
  "a tool message": new ToolMessage({ content: "result", tool_call_id: "c1" }),
  "messages inside arrays inside objects": { a: [[{ m: ai }], { b: [new HumanMessage("x")] }] },
  "an error": { failure: new TypeError("bad input") },
  "an error at the root": new Error("boom"),
  bigint: { big: 12345678901234567890n, list: [1n] },
  "a date": { at: new Date(Date.UTC(2026, 10, 25, 12, 0, 0)) },
  "toJSON given its key or index": {
    a: { toJSON: (key: string) => `key ${key}` },
    list: [0, { toJSON: (key: string) => `index ${key}` }],
  },
  "toJSON returning an object holding a message": { x: { toJSON: () => ({ inner: ai, n: 1n }) } },
  "toJSON returning an object with its own toJSON": { x: { toJSON: () => ({ toJSON: () => "not called", k: 1 }) } },
  "undefined, functions and symbols": { u: undefined, f: () => 1, s: Symbol("s"), list: [undefined, () => 1] },
  "a class instance": new (class Point {
    constructor(
      public x = 1,
      public y = 2,
    ) {}
  })(),
  "a Map and a Set": { m: new Map([["k", 1]]), s: new Set([1]) },
  "numbers JSON has no form for": { nan: Number.NaN, inf: Infinity, neg: -0 },
  undefined: undefined,
  null: null,
  "a string": "text",
};

describe("wire JSON", () => {
  for (const [name, value] of Object.entries(cases)) {
    it(`writes ${name} as the rules say`, () => {
      expect(toJson(value)).toBe(reference(value));
    });
  }

  it("turns a message into the dict LangGraph Platform clients expect", () => {
    expect(toPlain({ messages: [ai] })).toEqual({
      messages: [
        expect.objectContaining({
          type: "ai",
          content: "hi",
          id: "m2",
          tool_calls: [expect.objectContaining({ id: "c1", name: "search", args: { q: "x" } })],
          usage_metadata: { input_tokens: 3, output_tokens: 4, total_tokens: 7 },
        }),
      ],
    });
  });

  it("leaves the caller's values untouched", () => {
    const state = { messages: [ai], meta: { k: [1, 2] } };
    toJson(state);
    expect(state.messages[0]).toBe(ai);
    expect(state.meta).toEqual({ k: [1, 2] });
  });

  it("throws on a cycle, as JSON.stringify does", () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => toJson(loop)).toThrow();
  });
});
