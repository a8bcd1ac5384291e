/**
 * Tag `threads`: a thread's stream across its runs (`GET /threads/{id}/stream`), open until the
 * client leaves. What it carries and its ids: runtime/streams/thread-stream.ts.
 */
import { SseWriter } from "../http/streaming/sse.ts";
import {
  DEFAULT_THREAD_STREAM_MODES,
  pinStart,
  startAfter,
  threadStreamFrames,
} from "../runtime/streams/thread-stream.ts";
import { requireThread } from "../runtime/threads/access.ts";
import { STREAMED, type TagHandlers } from "./types.ts";

export const threadStreamHandlers: TagHandlers<"joinThreadStream"> = {
  async joinThreadStream({ params, query, headers, ctx, access }, services) {
    // `stream_modes` is the official name, `stream_mode` what the JS SDK sends: together they add up.
    const asked = [...(query.stream_modes ?? []), ...(query.stream_mode ?? [])];
    const modes = new Set(asked.length > 0 ? asked : DEFAULT_THREAD_STREAM_MODES);
    const thread = await requireThread(services.stores, params.thread_id, access);
    const sent = headers["last-event-id"];
    // Pinned before the headers go out: whatever is published once the client has them is in the stream.
    const start = await pinStart(services, thread.thread_id, startAfter(Array.isArray(sent) ? sent[0] : sent));
    const writer = new SseWriter(ctx, {
      heartbeatMs: services.config.heartbeatSeconds * 1000,
      // Where the JS SDK reconnects (with the last id it got) when the connection drops.
      headers: { Location: `${services.config.basePath}/threads/${thread.thread_id}/stream` },
      withIds: true,
    });
    try {
      for await (const frame of threadStreamFrames(services, thread, modes, start, writer.signal)) {
        await writer.send({ event: frame.event, data: frame.data, seq: frame.id });
      }
    } finally {
      await writer.end();
    }
    return STREAMED;
  },
};
