/**
 * Tag `protocol`: protocol v2 over HTTP. Commands answer the protocol's success or error envelope
 * (the classic API's errors stay HTTP errors); a thread's events stream as SSE, filtered by the body.
 * The WebSocket transport of the same protocol is http/streaming/protocol-socket.ts.
 */
import { SseWriter } from "../http/streaming/sse.ts";
import { ProtocolFailure } from "../runtime/protocol/failure.ts";
import { matches, parseFilter } from "../runtime/protocol/filter.ts";
import { checkThreadAccess, threadFrames } from "../runtime/protocol/events.ts";
import { STREAMED, type TagHandlers } from "./types.ts";

export const protocolHandlers: TagHandlers<"runProtocolCommand" | "streamProtocolEvents"> = {
  async runProtocolCommand({ params, body, access }, services) {
    try {
      const result = await services.protocol.execute(params.thread_id, body, access);
      return { status: 200, body: { type: "success", id: body.id, result } };
    } catch (err) {
      if (!(err instanceof ProtocolFailure)) throw err;
      return { status: 200, body: { type: "error", id: body.id, error: err.code, message: err.message } };
    }
  },

  async streamProtocolEvents({ params, body, ctx, access }, services) {
    const filter = parseFilter(body);
    // A thread that is someone else's is a 404 before the stream starts.
    const exists = await checkThreadAccess(services.stores, params.thread_id, access);
    const writer = new SseWriter(ctx, { heartbeatMs: services.config.heartbeatSeconds * 1000, withIds: true });
    try {
      const frames = threadFrames(services, params.thread_id, access, {
        exists,
        signal: writer.signal,
        ...(typeof body.since === "number" ? { since: body.since } : {}),
      });
      for await (const frame of frames) {
        if (!matches(filter, frame.method, frame.namespace, frame.data)) continue;
        await writer.send({ event: frame.method, data: frame.json, seq: frame.eventId });
      }
    } finally {
      await writer.end();
    }
    return STREAMED;
  },
};
