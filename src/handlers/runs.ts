/** Tag `runs`: create, stream, wait, list, get, cancel and join runs of a thread. */
import { requireThread } from "../runtime/threads/access.ts";
import { NO_FEEDBACK } from "../stores/feedback.ts";
import { JsonText, type TagHandlers } from "./types.ts";
import { flag, idempotencyKey, runWire } from "./shared/wire.ts";
import { lastEventId, runLocation, streamRunToClient, valuesAtEnd } from "./shared/run-streaming.ts";

type RunOps =
  | "createRun"
  | "streamRun"
  | "waitRun"
  | "listRuns"
  | "getRun"
  | "deleteRun"
  | "cancelRun"
  | "joinRun"
  | "joinRunStream"
  | "controlRunStream";

export const runHandlers: TagHandlers<RunOps> = {
  async createRun({ params, body, headers, access }, services) {
    // A retry with the request's key answers the run its first attempt made, the same way.
    const run = await services.runs.create(params.thread_id, body, access, { idempotencyKey: idempotencyKey(headers) });
    // A run just made has no feedback yet: nothing to count.
    return {
      status: 200,
      body: runWire(run, NO_FEEDBACK),
      headers: { "Content-Location": runLocation(services, run) },
    };
  },

  async streamRun({ params, body, headers, ctx, access }, services) {
    // A retry with the key streams the first attempt's run from its first event, as a join from -1.
    const run = await services.runs.create(params.thread_id, body, access, { idempotencyKey: idempotencyKey(headers) });
    return streamRunToClient(ctx, services, run, {
      afterSeq: -1,
      cancelOnDisconnect: body.on_disconnect === "cancel",
      isCreator: true,
    });
  },

  async waitRun({ params, body, headers, ctx, access }, services) {
    const run = await services.runs.create(params.thread_id, body, access, { idempotencyKey: idempotencyKey(headers) });
    const values = await valuesAtEnd(ctx, services, run, body.on_disconnect === "cancel");
    return { status: 200, body: values, headers: { "Content-Location": runLocation(services, run) } };
  },

  async listRuns({ params, query, access }, { stores }) {
    await requireThread(stores, params.thread_id, access);
    const runs = await stores.runs.listByThread(params.thread_id, {
      limit: query.limit ?? 10,
      offset: query.offset ?? 0,
      status: query.status ?? undefined,
    });
    const feedback = await stores.feedback.statsForRuns(runs.map((run) => run.run_id));
    return { status: 200, body: runs.map((run) => runWire(run, feedback.get(run.run_id) ?? NO_FEEDBACK)) };
  },

  async getRun({ params, access }, services) {
    // The store serialises the run itself, feedback counts included: a run is polled often, and this skips
    // building and re-encoding it.
    return { status: 200, body: new JsonText(await services.runs.getJson(params.thread_id, params.run_id, access)) };
  },

  async deleteRun({ params, access }, services) {
    await services.runs.delete(params.thread_id, params.run_id, access);
    return { status: 204 };
  },

  async cancelRun({ params, query, access }, services) {
    const wait = flag(query.wait);
    const outcome = await services.runs.cancel(
      params.thread_id,
      params.run_id,
      query.action ?? "interrupt",
      wait,
      access,
    );
    return outcome === "stopped" && wait ? { status: 204 } : { status: 202 };
  },

  async joinRun({ params, query, ctx, access }, services) {
    const run = await services.runs.get(params.thread_id, params.run_id, access);
    return { status: 200, body: await valuesAtEnd(ctx, services, run, flag(query.cancel_on_disconnect)) };
  },

  async joinRunStream({ params, query, headers, ctx, access }, services) {
    const run = await services.runs.get(params.thread_id, params.run_id, access);
    return streamRunToClient(ctx, services, run, {
      afterSeq: lastEventId(headers),
      cancelOnDisconnect: flag(query.cancel_on_disconnect),
      isCreator: false,
    });
  },

  async controlRunStream({ params, query, headers, ctx, access }, services) {
    const run = await services.runs.get(params.thread_id, params.run_id, access);
    if (query.action) {
      // The useStream stop button: cancel, then hand back what is left of the stream.
      await services.runs.cancel(params.thread_id, params.run_id, query.action, flag(query.wait), access);
    }
    return streamRunToClient(ctx, services, run, {
      afterSeq: lastEventId(headers),
      cancelOnDisconnect: false,
      isCreator: false,
    });
  },
};
