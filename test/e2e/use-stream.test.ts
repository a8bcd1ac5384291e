/** The SDK's `useStream` (`@langchain/langgraph-sdk/react`), in the page test/e2e/pages/use-stream/. */
import { describeChatPage } from "./chat-suite.ts";

describeChatPage("use-stream");
