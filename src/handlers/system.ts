/** Tag `system`: liveness and server info. */
import { createRequire } from "node:module";
import type { Schema } from "../contract.ts";
import type { TagHandlers } from "./types.ts";

const require = createRequire(import.meta.url);
const version = (require("../../package.json") as { version: string }).version;
const langgraphVersion = (require("@langchain/langgraph/package.json") as { version: string }).version;

type ServerInfo = Schema<"ServerInfo">;

/**
 * What this server has, as `/info` flags it. Studio and the SDK call only the endpoints of a feature
 * flagged `true`, so each flag is `true` only once its feature works; this is the one place to flip.
 */
export const SERVER_FEATURES: Readonly<ServerInfo["flags"]> = Object.freeze({
  assistants: true,
  // The cron endpoints, and the scheduler that fires them (src/runtime/crons/).
  crons: true,
  // Runs are not traced to LangSmith: `langsmith_tracer` is accepted and ignored, no run has a
  // `langsmith_session_name`, so Studio must not look for traces.
  langsmith: false,
  langsmith_tracing_replicas: false,
  langsmith_tracing_session_on_runs: false,
});

/** Always self-hosted: none of LangSmith's deployment ids apply. */
const HOST: Readonly<ServerInfo["host"]> = Object.freeze({
  kind: "self-hosted",
  project_id: null,
  host_revision_id: null,
  revision_id: null,
  tenant_id: null,
});

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
        flags: SERVER_FEATURES,
        host: HOST,
      },
    };
  },
};
