/**
 * `useStream` of `@langchain/react` (protocol v2, its default SSE transport), in the page
 * test/e2e/pages/langchain-react/: the same tests as the SDK's older hook (use-stream.test.ts).
 *
 * What its client code sends: JSON bodies (Content-Type) and `Accept: text/event-stream`, which CORS lets
 * through without asking; it picks up a stream where it was with `since` in the body, not Last-Event-ID, so
 * Content-Type is the only header the API must allow. A run starts with a `run.start` command
 * (`POST /threads/{id}/commands`); the thread's events come on `POST /threads/{id}/stream/events`, two of
 * them (the root's channels, and lifecycle at every depth), which stay open once the run is over. A page
 * reloaded during a run follows it again on the same path.
 */
import { describeChatPage } from "./chat-suite.ts";

describeChatPage("langchain-react", {
  corsHeaders: ["content-type"],
  runStreams: /\/stream\/events$/,
  idleStreams: /\/stream\/events$/,
  joinRequest: (threadId) => `POST /threads/${threadId}/stream/events`,
});
