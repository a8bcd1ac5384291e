/**
 * `LANGGRAPH_CONFIG`, as LangGraph servers read it: a JSON object mapping a graph id to the config of
 * its system assistant, whose `context` key is the assistant's context. Read once by loadConfig; a
 * value that is not such an object stops the start with a message naming the variable.
 */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";

const defaultsOf = (value: string | undefined) => loadConfig({ LANGGRAPH_CONFIG: value }).systemAssistantDefaults;

describe("LANGGRAPH_CONFIG", () => {
  it("maps graph ids to config and context; unset or empty is none", () => {
    expect(
      defaultsOf(
        JSON.stringify({
          agent: { configurable: { model: "m" }, tags: ["t"], recursion_limit: 5, context: { prompt: "p" } },
          other: { configurable: { x: 1 } },
        }),
      ),
    ).toEqual({
      agent: { config: { configurable: { model: "m" }, tags: ["t"], recursion_limit: 5 }, context: { prompt: "p" } },
      other: { config: { configurable: { x: 1 } }, context: {} },
    });
    expect(defaultsOf(undefined)).toEqual({});
    expect(defaultsOf(" ")).toEqual({});
  });

  it("refuses what is not a map of graph ids to config objects", () => {
    expect(() => defaultsOf("{not json")).toThrow(/LANGGRAPH_CONFIG must be JSON/);
    expect(() => defaultsOf("[1]")).toThrow(/LANGGRAPH_CONFIG must be a JSON object/);
    expect(() => defaultsOf('{"agent": 3}')).toThrow(/LANGGRAPH_CONFIG\["agent"\] must be a config object/);
    expect(() => defaultsOf('{"agent": {"context": []}}')).toThrow(/context must be an object/);
  });
});
