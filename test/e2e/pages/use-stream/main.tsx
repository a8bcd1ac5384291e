/**
 * The smallest chat a user of `useStream` (`@langchain/langgraph-sdk/react`) would write against
 * Threadgate: a text box, a send and a stop button, and the thread's messages. The thread id lives in
 * the URL (`?thread=<id>`), so a reload finds the thread, and `reconnectOnMount` lets a reload in the
 * middle of a run join it again. The API's address comes from `?api=` (the page and the API are two
 * origins, so every request is a CORS request). The DOM is the contract the browser tests read: see
 * `test/e2e/chat-page.ts`.
 */
import { StrictMode, useCallback, useState, type FormEvent } from "react";
import { createRoot } from "react-dom/client";
import type { Message } from "@langchain/langgraph-sdk";
import { useStream } from "@langchain/langgraph-sdk/react";

const params = new URLSearchParams(window.location.search);
const apiUrl = params.get("api") ?? "http://127.0.0.1:8123";
const assistantId = params.get("assistant") ?? "agent";

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

function textOf(message: Message): string {
  const { content } = message;
  if (typeof content === "string") return content;
  return content.map((part) => ("text" in part && typeof part.text === "string" ? part.text : "")).join("");
}

function Chat() {
  const [threadId, setThreadId] = useThreadIdInUrl();
  const [draft, setDraft] = useState("");
  const thread = useStream<{ messages: Message[] }>({
    apiUrl,
    assistantId,
    threadId,
    onThreadId: setThreadId,
    messagesKey: "messages",
    reconnectOnMount: true,
    fetchStateHistory: true,
  });

  const send = (event: FormEvent) => {
    event.preventDefault();
    const text = draft.trim();
    if (!text) return;
    setDraft("");
    const message: Message = { type: "human", content: text };
    void thread.submit(
      { messages: [message] },
      { optimisticValues: (prev) => ({ ...prev, messages: [...(prev.messages ?? []), message] }) },
    );
  };

  return (
    <main data-testid="chat" data-loading={String(thread.isLoading)} data-thread-id={threadId ?? ""}>
      <ol data-testid="messages">
        {thread.messages.map((message, index) => (
          <li key={message.id ?? index} data-testid="message" data-role={message.type} data-message-id={message.id}>
            {textOf(message)}
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
