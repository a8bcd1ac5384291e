/**
 * The SDK's `useStream` (`@langchain/langgraph-sdk/react`), in the page test/e2e/pages/use-stream/.
 * Another hook (`@langchain/react` once protocol v2 lands) gets a page of its own beside it, with the DOM
 * harness/chat-page.ts reads, and a file like this one.
 */
import { describeChatPage } from "./chat-suite.ts";

describeChatPage("use-stream");
