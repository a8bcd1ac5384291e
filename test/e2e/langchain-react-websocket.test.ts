/**
 * `useStream` of `@langchain/react` over its WebSocket transport (`transport: "websocket"`, the page
 * test/e2e/pages/langchain-react/ opened with `?transport=websocket`): the same tests as over its default
 * SSE transport (langchain-react.test.ts).
 *
 * What its client code does then: one socket per thread, `ws://<api>/threads/{id}/stream/events` on the
 * API's own port, carrying `run.start` and the `subscription.subscribe` commands (the root's channels, and
 * lifecycle at every depth), their answers and the thread's events; it stays open once the run is over, and
 * a page reloaded during a run opens a new one and subscribes again. A browser's socket carries no header
 * of the page's, so none is asked of CORS; the API checks the upgrade's Origin instead. Over HTTP go only what
 * the socket does not carry: loading a thread the page is opened on (`GET /threads/{id}/state`,
 * `POST /threads/{id}/history`, with a JSON body) and the stop button
 * (`POST /threads/{id}/runs/{run_id}/cancel`), so Content-Type is again the only header the API must allow.
 */
import { describeChatPage } from "./chat-suite.ts";

describeChatPage("langchain-react", {
  query: { transport: "websocket" },
  webSocket: true,
  corsHeaders: ["content-type"],
  runStreams: /\/stream\/events$/,
  idleStreams: /\/stream\/events$/,
  joinRequest: (threadId) => `WS /threads/${threadId}/stream/events`,
});
