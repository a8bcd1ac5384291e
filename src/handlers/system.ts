/** Tag `system`: liveness and server info. */
import { createRequire } from "node:module";
import type { TagHandlers } from "./types.ts";

const require = createRequire(import.meta.url);
const version = (require("../../package.json") as { version: string }).version;
const langgraphVersion = (require("@langchain/langgraph/package.json") as { version: string }).version;

export const systemHandlers: TagHandlers<"getOk" | "getInfo"> = {
  async getOk() {
    return { status: 200, body: { ok: true } };
  },
  async getInfo() {
    return {
      status: 200,
      body: {
        version,
        langgraph_js_version: langgraphVersion,
        context: "js",
        flags: { assistants: true, crons: false },
      },
    };
  },
};
