/** Tag `runs`: create, stream, wait, list, get, cancel and join runs of a thread. */
import type { RunRequest } from "../runtime/run-manager.ts";
import { requireThread } from "../runtime/thread-access.ts";
import type { RunRecord } from "../stores/types.ts";
import type { Services } from "../services.ts";
import type { Context } from "koa";
import type { TagHandlers } from "./types.ts";
import { flag, runWire } from "./wire.ts";
import { cancelIfActive, lastEventId, onClientGone, runLocation, streamRunToClient } from "./run-streaming.ts";

type RunOps =
  | "createRun"
  | "streamRun"
  | "waitRun"
  | "listRuns"
  | "getRun"
  | "cancelRun"
  | "joinRun"
  | "joinRunStream"
  | "controlRunStream";

/** Waits for the run to end; a client that leaves first cancels it if asked to. */
async function endOrDisconnect(ctx: Context, services: Services, run: RunRecord, cancelOnDisconnect: boolean) {
  const ended = services.runs.waitForEnd(run.run_id);
  const gone = onClientGone(ctx).then(() => null);
  const first = await Promise.race([ended, gone]);
  if (first === null && cancelOnDisconnect) await cancelIfActive(services, run);
  return ended;
}

export const runHandlers: TagHandlers<RunOps> = {
  async createRun({ params, body }, services) {
    const run = await services.runs.create(params.thread_id, body as RunRequest);
    return { status: 200, body: runWire(run), headers: { "Content-Location": runLocation(services, run) } };
  },

  async streamRun({ params, body, ctx }, services) {
    const run = await services.runs.create(params.thread_id, body as RunRequest);
    return streamRunToClient(ctx, services, run, {
      afterSeq: -1,
      cancelOnDisconnect: body.on_disconnect === "cancel",
      isCreator: true,
    });
  },

  async waitRun({ params, body, ctx }, services) {
    const run = await services.runs.create(params.thread_id, body as RunRequest);
    const final = await endOrDisconnect(ctx, services, run, body.on_disconnect === "cancel");
    const values = await services.runs.finalValues(final ?? run);
    return {
      status: 200,
      body: values as Record<string, unknown>,
      headers: { "Content-Location": runLocation(services, run) },
    };
  },

  async listRuns({ params, query }, { stores }) {
    await requireThread(stores, params.thread_id);
    const runs = await stores.runs.listByThread(params.thread_id, {
      limit: query.limit ?? 10,
      offset: query.offset ?? 0,
      status: query.status ?? undefined,
    });
    return { status: 200, body: runs.map(runWire) };
  },

  async getRun({ params }, services) {
    return { status: 200, body: runWire(await services.runs.get(params.thread_id, params.run_id)) };
  },

  async cancelRun({ params, query }, services) {
    const wait = flag(query.wait);
    const outcome = await services.runs.cancel(params.thread_id, params.run_id, query.action ?? "interrupt", wait);
    return outcome === "stopped" && wait ? { status: 204 } : { status: 202 };
  },

  async joinRun({ params, query, ctx }, services) {
    const run = await services.runs.get(params.thread_id, params.run_id);
    const final = await endOrDisconnect(ctx, services, run, flag(query.cancel_on_disconnect));
    return { status: 200, body: (await services.runs.finalValues(final ?? run)) as Record<string, unknown> };
  },

  async joinRunStream({ params, query, headers, ctx }, services) {
    const run = await services.runs.get(params.thread_id, params.run_id);
    return streamRunToClient(ctx, services, run, {
      afterSeq: lastEventId(headers),
      cancelOnDisconnect: flag(query.cancel_on_disconnect),
      isCreator: false,
    });
  },

  async controlRunStream({ params, query, headers, ctx }, services) {
    const run = await services.runs.get(params.thread_id, params.run_id);
    if (query.action) {
      // The useStream stop button: cancel, then hand back what is left of the stream.
      await services.runs.cancel(params.thread_id, params.run_id, query.action, flag(query.wait));
    }
    return streamRunToClient(ctx, services, run, {
      afterSeq: lastEventId(headers),
      cancelOnDisconnect: false,
      isCreator: false,
    });
  },
};
