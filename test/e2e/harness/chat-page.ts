/**
 * A user's view of a chat page of test/e2e/pages/: what they can do (open it, type and send, stop,
 * reload) and what they can see (the messages with their roles, whether it is busy), read from the
 * DOM every page renders:
 *
 * - `[data-testid=chat]` with `data-loading="true|false"` (the hook's `isLoading`);
 * - one `[data-testid=message]` per message, `data-role` its type (`human`, `ai`), its text inside;
 * - `[data-testid=input]`, `[data-testid=send]`, `[data-testid=stop]`;
 * - the thread's id in the address, `?thread=<id>`.
 *
 * A page reads the API's address from `?api=`, and may read options of its own from other parameters
 * (`query`, e.g. the langchain-react page's `?transport=`), which a reload keeps.
 */
import type { Page } from "playwright-core";

export interface ShownMessage {
  role: string;
  text: string;
}

/** What the page shows at one instant (one evaluation in the page, so the parts agree). */
export interface Snapshot {
  loading: boolean;
  messages: ShownMessage[];
}

// A string, not a function: the test files are compiled without the DOM's types.
const SNAPSHOT = `(() => ({
  loading: document.querySelector('[data-testid="chat"]')?.getAttribute("data-loading") === "true",
  messages: [...document.querySelectorAll('[data-testid="message"]')].map((li) => ({
    role: li.getAttribute("data-role") ?? "",
    text: li.textContent ?? "",
  })),
}))()`;

/** Between two looks at the page while waiting for it: a poll interval, not a wait for time to pass. */
const POLL_MS = 15;

export class ChatPage {
  constructor(
    readonly page: Page,
    readonly origin: string,
    readonly apiUrl: string,
    readonly query: Record<string, string> = {},
  ) {}

  /** The page's address, for the API at `apiUrl`, with `query` and, when given, a thread. */
  url(threadId?: string, origin = this.origin): string {
    const url = new URL("/", origin);
    url.searchParams.set("api", this.apiUrl);
    for (const [name, value] of Object.entries(this.query)) url.searchParams.set(name, value);
    if (threadId) url.searchParams.set("thread", threadId);
    return url.href;
  }

  async open(threadId?: string, origin?: string): Promise<void> {
    await this.page.goto(this.url(threadId, origin));
    await this.page.getByTestId("chat").waitFor();
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.page.getByTestId("chat").waitFor();
  }

  async send(text: string): Promise<void> {
    await this.page.getByTestId("input").fill(text);
    await this.page.getByTestId("send").click();
  }

  async stop(): Promise<void> {
    await this.page.getByTestId("stop").click();
  }

  /** `?thread=` of the address bar (null before the first message). */
  threadId(): string | null {
    return new URL(this.page.url()).searchParams.get("thread");
  }

  snapshot(): Promise<Snapshot> {
    return this.page.evaluate<Snapshot>(SNAPSHOT);
  }

  /**
   * Looks at the page until `done` holds for what it shows, calling `seen` with every look; fails
   * after `timeoutMs` naming `what` and the last snapshot.
   */
  async waitUntil(
    what: string,
    done: (s: Snapshot) => boolean,
    { timeoutMs = 15_000, seen }: { timeoutMs?: number; seen?: (s: Snapshot) => void } = {},
  ): Promise<Snapshot> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.snapshot();
      seen?.(s);
      if (done(s)) return s;
      if (Date.now() > deadline)
        throw new Error(`page never showed ${what} in ${timeoutMs} ms; last it showed ${JSON.stringify(s)}`);
      await this.page.waitForTimeout(POLL_MS);
    }
  }
}

/** The text of the last AI message shown (undefined when there is none). */
export function aiText(s: Snapshot): string | undefined {
  return s.messages.filter((m) => m.role === "ai").at(-1)?.text;
}
