/**
 * The SDK's `useStream` (`@langchain/langgraph-sdk/react`), in the page test/e2e/pages/use-stream/. The
 * newer hook of `@langchain/react` has its page and file beside these (langchain-react.test.ts).
 *
 * This hook sends JSON (Content-Type) and rejoins a run with Last-Event-ID, so without that header the
 * preflight of the join is refused. It opens a stream only for a run (`POST /threads/{id}/runs/stream`),
 * and a reload joins the run at `GET /threads/{id}/runs/{run_id}/stream` (`reconnectOnMount`).
 */
import { describeChatPage } from "./chat-suite.ts";

describeChatPage("use-stream", {
  corsHeaders: ["content-type", "last-event-id"],
  runStreams: /\/runs\/stream$/,
  joinRequest: (threadId, runId) => `GET /threads/${threadId}/runs/${runId}/stream`,
});
