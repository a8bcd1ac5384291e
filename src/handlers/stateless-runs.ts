/** Tag `stateless-runs`: runs on temporary threads, batches, cancelling many, joining by run id. */
import { NO_FEEDBACK } from "../stores/feedback.ts";
import type { TagHandlers } from "./types.ts";
import { flag, idempotencyKey, runWire } from "./shared/wire.ts";
import { lastEventId, runLocation, streamRunToClient, valuesAtEnd } from "./shared/run-streaming.ts";

type StatelessOps =
  | "createStatelessRun"
  | "streamStatelessRun"
  | "waitStatelessRun"
  | "createRunBatch"
  | "cancelRuns"
  | "joinStatelessRunStream";

export const statelessRunHandlers: TagHandlers<StatelessOps> = {
  async createStatelessRun({ body, headers, access }, services) {
    const run = await services.runs.createStateless(body, access, { idempotencyKey: idempotencyKey(headers) });
    return {
      status: 200,
      body: runWire(run, NO_FEEDBACK),
      headers: { "Content-Location": runLocation(services, run) },
    };
  },

  async streamStatelessRun({ body, headers, ctx, access }, services) {
    const run = await services.runs.createStateless(body, access, { idempotencyKey: idempotencyKey(headers) });
    // LangGraph Platform writes no `id:` lines on stateless streams; joining by run id does.
    return streamRunToClient(ctx, services, run, {
      afterSeq: -1,
      cancelOnDisconnect: body.on_disconnect === "cancel",
      isCreator: true,
      withIds: false,
    });
  },

  async waitStatelessRun({ body, headers, ctx, access }, services) {
    const run = await services.runs.createStateless(body, access, { idempotencyKey: idempotencyKey(headers) });
    const values = await valuesAtEnd(ctx, services, run, body.on_disconnect === "cancel");
    return { status: 200, body: values, headers: { "Content-Location": runLocation(services, run) } };
  },

  async createRunBatch({ body, headers, access }, services) {
    const runs = await services.runs.createBatch(body, access, idempotencyKey(headers));
    // Runs just made have no feedback yet.
    return { status: 200, body: runs.map((run) => runWire(run, NO_FEEDBACK)) };
  },

  async cancelRuns({ body, query, access }, services) {
    await services.runs.cancelMany(body, query.action ?? "interrupt", access);
    return { status: 204 };
  },

  async joinStatelessRunStream({ params, query, headers, ctx, access }, services) {
    const run = await services.runs.getById(params.run_id, access);
    return streamRunToClient(ctx, services, run, {
      afterSeq: lastEventId(headers),
      cancelOnDisconnect: flag(query.cancel_on_disconnect),
      isCreator: false,
    });
  },
};
