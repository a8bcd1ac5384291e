/**
 * The same small chat as the use-stream page (a text box, send and stop, the thread's messages), written
 * with the newer hook: `useStream` of `@langchain/react`, which speaks protocol v2 over its default SSE
 * transport (`POST /threads/{id}/commands` to start a run, `POST /threads/{id}/stream/events` to follow
 * the thread) or, opened with `?transport=websocket`, over one WebSocket per thread
 * (`ws://<api>/threads/{id}/stream/events`, commands and events alike). Its DOM is the one the browser
 * tests read (test/e2e/harness/chat-page.ts).
 *
 * What differs from the older hook, and why the page is written as it is:
 * - the hook makes up the id of a new thread itself on the first submit and hands it to `onThreadId`
 *   before it sends anything; the page keeps it in `?thread=` as the other page does;
 * - it needs no `reconnectOnMount`: given a thread id it loads the thread's state and, while a run is
 *   still going, follows the thread's events again by itself;
 * - its messages are `@langchain/core` message objects, not plain dicts: their role is `type`
 *   (`human`, `ai`) and their text `text`;
 * - it shows the question at once (its optimistic update is on by default), so the page adds none.
 */
import { StrictMode, useCallback, useState, type FormEvent } from "react";
import { createRoot } from "react-dom/client";
import { HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { useStream } from "@langchain/react";

const params = new URLSearchParams(window.location.search);
const apiUrl = params.get("api") ?? "http://127.0.0.1:8123";
const assistantId = params.get("assistant") ?? "agent";
/** `?transport=websocket` for the hook's WebSocket transport; SSE, its default, without one. */
const transport = transportOf(params.get("transport") ?? "sse");

function transportOf(name: string): "sse" | "websocket" {
  if (name === "sse" || name === "websocket") return name;
  throw new Error(`unknown ?transport=${name}`);
}

/** The thread id as state that follows `?thread=` in the address bar (replaced, not pushed). */
function useThreadIdInUrl(): [string | null, (id: string | null) => void] {
  const [threadId, setThreadId] = useState(() => new URLSearchParams(window.location.search).get("thread"));
  const update = useCallback((id: string | null) => {
    const url = new URL(window.location.href);
    if (id) url.searchParams.set("thread", id);
    else url.searchParams.delete("thread");
    window.history.replaceState(null, "", url);
    setThreadId(id);
  }, []);
  return [threadId, update];
}

function Chat() {
  const [threadId, setThreadId] = useThreadIdInUrl();
  const [draft, setDraft] = useState("");
  const thread = useStream<{ messages: BaseMessage[] }>({
    apiUrl,
    assistantId,
    threadId,
    onThreadId: setThreadId,
    transport,
  });

  const send = (event: FormEvent) => {
    event.preventDefault();
    const text = draft.trim();
    if (!text) return;
    setDraft("");
    void thread.submit({ messages: [new HumanMessage(text)] });
  };

  return (
    <main data-testid="chat" data-loading={String(thread.isLoading)} data-thread-id={threadId ?? ""}>
      <ol data-testid="messages">
        {thread.messages.map((message, index) => (
          <li key={message.id ?? index} data-testid="message" data-role={message.type} data-message-id={message.id}>
            {message.text}
          </li>
        ))}
      </ol>
      {thread.error != null && (
        <p role="alert" data-testid="error">
          {String(thread.error)}
        </p>
      )}
      <form onSubmit={send}>
        <input
          data-testid="input"
          aria-label="Message"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit" data-testid="send" disabled={thread.isLoading}>
          Send
        </button>
        <button type="button" data-testid="stop" disabled={!thread.isLoading} onClick={() => void thread.stop()}>
          Stop
        </button>
      </form>
    </main>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Chat />
  </StrictMode>,
);
