/**
 * The long-lived answers about a run: its event stream (from after
 * `Last-Event-ID`, or the start, live until it ends) and its final
 * values (`wait`, `join`). A client that leaves first cancels the run when the
 * run (or the joiner) asked for that.
 */
import type { Context } from "koa";
import { SseWriter, pipeEvents } from "../../http/streaming/sse.ts";
import type { RunRecord } from "../../stores/types.ts";
import type { Services } from "../../services.ts";
import { STREAMED, type Streamed } from "../types.ts";

/** Where a run lives: `/threads/<tid>/runs/<rid>`, or `/runs/<rid>` for a stateless run. */
export function runLocation(services: Services, run: RunRecord): string {
  const stateless = (run.kwargs as { temporary?: boolean }).temporary === true;
  return stateless
    ? `${services.config.basePath}/runs/${run.run_id}`
    : `${services.config.basePath}/threads/${run.thread_id}/runs/${run.run_id}`;
}

/** `Last-Event-ID`: a number resumes after it; absent or `-1` replays from the start. */
export function lastEventId(headers: Record<string, string | string[] | undefined>): number {
  const raw = headers["last-event-id"];
  const value = Array.isArray(raw) ? raw[0] : raw;
  const n = value === undefined ? -1 : Number.parseInt(value, 10);
  return Number.isFinite(n) && n >= -1 ? n : -1;
}

export async function streamRunToClient(
  ctx: Context,
  services: Services,
  run: RunRecord,
  opts: { afterSeq: number; cancelOnDisconnect: boolean; isCreator: boolean; withIds?: boolean },
): Promise<Streamed> {
  const location = runLocation(services, run);
  const writer = new SseWriter(ctx, {
    heartbeatMs: services.config.heartbeatSeconds * 1000,
    headers: opts.isCreator ? { "Content-Location": location, Location: `${location}/stream` } : {},
    withIds: opts.withIds ?? true,
    endEvent: services.config.streamEndEvent,
  });
  await pipeEvents(writer, services.streams.read(run.run_id, opts.afterSeq, writer.signal));
  if (writer.disconnected && opts.cancelOnDisconnect) await services.runs.cancelOnDisconnect(run.run_id);
  return STREAMED;
}

/** Waits for the run to end and returns what `wait`/`join` answer: the final values, or `{__error__}`. */
export async function valuesAtEnd(ctx: Context, services: Services, run: RunRecord, cancelOnDisconnect: boolean) {
  const ended = services.runs.waitForEnd(run.run_id);
  const gone = onClientGone(ctx).then(() => "gone" as const);
  if ((await Promise.race([ended, gone])) === "gone" && cancelOnDisconnect) {
    await services.runs.cancelOnDisconnect(run.run_id);
  }
  return ((await ended)?.values ?? {}) as Record<string, unknown>;
}

/** Resolves when the response closes before it was finished (the client left). */
function onClientGone(ctx: Context): Promise<void> {
  return new Promise((resolve) => {
    ctx.res.on("close", () => {
      if (!ctx.res.writableFinished) resolve();
    });
  });
}
