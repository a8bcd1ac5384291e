/**
 * What a user of a chat page sees, held for each page of test/e2e/pages/ (one per React hook): the
 * answer streams in word by word, the stop button stops the run on the server, a reload shows the
 * thread again, a reload in the middle of an answer picks the stream up and sees it to its end, and the
 * conversation goes on after a stop and after a reload. In every test the page logs no error, no
 * request or WebSocket fails and no CORS check refuses anything.
 *
 * Against a real Threadgate (in this process, a fresh SQLite file) serving the root langgraph.json's
 * `agent`, whose offline model streams a word every THREADGATE_OFFLINE_TOKEN_DELAY_MS (set by
 * vitest.e2e.config.ts so that an answer takes about two seconds), and a page served on an origin of
 * its own, the only one the API allows.
 */
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { defaultOfflineReply } from "../../src/agents/offline-chat-model.ts";
import { startTestServer, waitFor, type TestServer } from "../helpers/server.ts";
import { saveFailure } from "./harness/artifacts.ts";
import { aiText, ChatPage, type Snapshot } from "./harness/chat-page.ts";
import { launchChromium, type Browser } from "./harness/chromium.ts";
import { servePage, type ServedPage } from "./harness/page-server.ts";
import { watchPage, type PageWatch } from "./harness/page-watch.ts";

const LANGGRAPH_JSON = fileURLToPath(new URL("../../langgraph.json", import.meta.url));

const QUESTION = "Tell me how a thread keeps its messages";
const ANSWER = defaultOfflineReply(QUESTION);
/** A few words in: the answer has begun and is far from done. */
const begun = (s: Snapshot) => (aiText(s) ?? "").split(" ").length >= 3 && aiText(s) !== ANSWER;
const idleWith = (answer: string) => (s: Snapshot) => !s.loading && aiText(s) === answer;

/**
 * What a page's hook sends and keeps open, which differs from hook to hook and which the suite cannot
 * guess: each test file says it for its page, read from the hook's client code.
 */
export interface HookWire {
  /** Query parameters the page is opened with besides `api` and `thread`: its options (a transport). */
  query?: Record<string, string>;
  /**
   * Set for a hook that follows the thread over a WebSocket to the API, `/threads/{id}/stream/events`
   * (its path is then among the streams below, and `WS <path>` its join request). CORS does not cover a
   * socket: the API checks its Origin, and refuses the upgrade of a page it does not allow with a 403.
   */
  webSocket?: boolean;
  /**
   * The request headers, beyond the CORS-safelisted ones, the hook sends: the API allows these and no
   * other, so a header the hook needs and the README does not name fails the preflight.
   */
  corsHeaders: string[];
  /** Paths of the streams (or socket) the hook has open during a run, which a stop or a reload may drop. */
  runStreams: RegExp;
  /**
   * Paths of the streams the hook keeps open once the run is over (a reload of an idle page drops them);
   * left out for a hook that opens a stream only for a run.
   */
  idleStreams?: RegExp;
  /**
   * `METHOD /path` of the request by which a page reloaded in the middle of a run follows it again
   * (`WS /path` for a socket).
   */
  joinRequest(threadId: string, runId: string): string;
}

export function describeChatPage(pageName: string, wire: HookWire): void {
  const options = wire.query ? ` (?${new URLSearchParams(wire.query)})` : "";
  const label = `the ${pageName} page${options}`;
  describe(label, () => {
    let site: ServedPage;
    let api: TestServer;
    let browser: Browser;
    beforeAll(async () => {
      site = await servePage(pageName);
      // Only the page's origin, and only the request headers README says the page's hook needs.
      api = await startTestServer({
        graphsConfigPath: LANGGRAPH_JSON,
        corsOrigins: [site.origin],
        corsHeaders: wire.corsHeaders,
      });
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await api?.close();
      await site?.close();
    });

    let page: Page;
    let watch: PageWatch;
    let chat: ChatPage;
    beforeEach(async () => {
      page = await browser.context.newPage();
      watch = await watchPage(page, api.url);
      chat = new ChatPage(page, site.origin, api.url, wire.query);
    });
    afterEach(async (context) => {
      const problems = [...watch.problems];
      if (context.task.result?.state === "fail" || problems.length > 0)
        await saveFailure(page, `${label} ${context.task.name}`, watch.log);
      await page.close();
      expect(watch.corsProblems(), "CORS refusals").toEqual([]);
      expect(problems, "console errors, page errors, failed requests and sockets, HTTP errors").toEqual([]);
    });

    /** The runs of the page's thread (newest first, as the API lists them), once they have these statuses. */
    const runsWith = (threadId: string, ...statuses: string[]) =>
      waitFor(async () => {
        const runs = await api.client.runs.list(threadId);
        return JSON.stringify(runs.map((r) => r.status)) === JSON.stringify(statuses) && runs;
      }).catch(async () => {
        const runs = await api.client.runs.list(threadId);
        throw new Error(`expected runs ${statuses}, the thread has ${JSON.stringify(runs.map((r) => r.status))}`);
      });

    it("streams the answer word by word as it is written, then shows it whole", async () => {
      await chat.open();
      await chat.send(QUESTION);
      // Every text of the answer the page showed before it had the whole answer.
      const partial: string[] = [];
      const last = await chat.waitUntil("the whole answer, not busy", idleWith(ANSWER), {
        seen: (s) => {
          const text = aiText(s);
          if (text && text !== ANSWER && text !== partial.at(-1)) partial.push(text);
        },
      });
      expect(partial.length, `partial answers seen: ${JSON.stringify(partial)}`).toBeGreaterThanOrEqual(3);
      for (const [i, text] of partial.entries()) {
        expect(ANSWER.startsWith(text), `"${text}" begins the answer`).toBe(true);
        if (i > 0) expect(text.length, "each look shows more of it").toBeGreaterThan(partial[i - 1].length);
      }
      expect(last.messages).toEqual([
        { role: "human", text: QUESTION },
        { role: "ai", text: ANSWER },
      ]);
      const threadId = chat.threadId();
      expect(threadId, "the thread's id is in the address").toMatch(/^[0-9a-f-]{36}$/);
      await runsWith(threadId!, "success");
      // Every answer the page read came with the CORS header naming its origin, and each socket it opened
      // to the API (another origin) said on its upgrade that it came from that origin, the one the API allows.
      // (Over a WebSocket a new thread's first run needs no HTTP request at all.)
      expect(wire.webSocket ? watch.socketOrigins.length : watch.allowOrigins.length).toBeGreaterThan(0);
      expect(new Set([...watch.allowOrigins, ...watch.socketOrigins])).toEqual(new Set([site.origin]));
    });

    it("stop ends the run on the server (interrupted), the page stops loading, and the user may go on", async () => {
      watch.allowAborted(wire.runStreams); // the hook may drop its stream when it stops
      await chat.open();
      await chat.send(QUESTION);
      await chat.waitUntil("the answer begun", begun);
      await chat.stop();
      const threadId = chat.threadId()!;
      await runsWith(threadId, "interrupted");
      const after = await chat.waitUntil("not busy", (s) => !s.loading);
      // The hook shows what the server kept: the question, and no answer (the node was stopped before it
      // returned one), or the beginning of one.
      expect(after.messages[0]).toEqual({ role: "human", text: QUESTION });
      expect(aiText(after), "the answer was cut short").not.toBe(ANSWER);
      expect(ANSWER.startsWith(aiText(after) ?? "")).toBe(true);
      expect(await page.getByTestId("stop").isEnabled()).toBe(false);
      // The conversation goes on on the same thread.
      expect(await page.getByTestId("send").isEnabled(), "the user may send again").toBe(true);
      await chat.send("again");
      const next = defaultOfflineReply("again");
      const again = await chat.waitUntil(
        "the next answer",
        (s) => !s.loading && s.messages.some((m) => m.role === "ai" && m.text === next),
      );
      // The new exchange, in order. The cut-short answer may stay on the page: `@langchain/react` keeps a
      // streamed message the server never stored (no later state says it was removed) after the ones it did.
      const at = again.messages.findIndex((m) => m.role === "human" && m.text === "again");
      expect(again.messages.slice(at, at + 2)).toEqual([
        { role: "human", text: "again" },
        { role: "ai", text: next },
      ]);
      const rest = [...again.messages.slice(0, at), ...again.messages.slice(at + 2)];
      expect(rest[0]).toEqual({ role: "human", text: QUESTION });
      for (const m of rest.slice(1)) expect(m.role === "ai" && ANSWER.startsWith(m.text), m.text).toBe(true);
      expect(rest.length).toBeLessThanOrEqual(2);
      expect(chat.threadId()).toBe(threadId);
      await runsWith(threadId, "success", "interrupted");
    });

    it("a reload shows the thread again, and the conversation goes on from there", async () => {
      if (wire.idleStreams) watch.allowAborted(wire.idleStreams); // the reload drops what the hook held open
      await chat.open();
      await chat.send(QUESTION);
      await chat.waitUntil("the whole answer, not busy", idleWith(ANSWER));
      const threadId = chat.threadId()!;
      const expected = [
        { role: "human", text: QUESTION },
        { role: "ai", text: ANSWER },
      ];
      await chat.reload();
      expect(chat.threadId()).toBe(threadId);
      expect((await chat.waitUntil("the thread's messages", idleWith(ANSWER))).messages).toEqual(expected);
      // The address alone is enough: a new tab (no session storage) shows the same.
      const second = new ChatPage(await browser.context.newPage(), site.origin, api.url, wire.query);
      const secondWatch = await watchPage(second.page, api.url);
      try {
        await second.open(threadId);
        expect((await second.waitUntil("the thread's messages", idleWith(ANSWER))).messages).toEqual(expected);
        expect(secondWatch.problems).toEqual([]);
      } finally {
        await second.page.close();
      }
      // And the conversation goes on from the reloaded page, on the same thread.
      await chat.send("and then?");
      const next = await chat.waitUntil("the next answer", idleWith(defaultOfflineReply("and then?")));
      expect(next.messages).toEqual([
        ...expected,
        { role: "human", text: "and then?" },
        { role: "ai", text: defaultOfflineReply("and then?") },
      ]);
      await runsWith(threadId, "success", "success");
    });

    it("a reload in the middle of the answer joins the run again and sees it to its end", async () => {
      watch.allowAborted(wire.runStreams); // the reload drops the stream the page had open
      await chat.open();
      await chat.send(QUESTION);
      await chat.waitUntil("the answer begun", begun);
      const threadId = chat.threadId()!;
      const [run] = await runsWith(threadId, "running");
      const sentBefore = watch.apiRequests.length;
      await chat.reload();
      // After the reload the page shows the answer growing again: it rejoined the run (the join replays the
      // run's events from its first, then follows it live) while the run was still going.
      const partial: string[] = [];
      const last = await chat.waitUntil("the whole answer, not busy", idleWith(ANSWER), {
        seen: (s) => {
          const text = aiText(s);
          if (s.loading && text && text !== ANSWER && text !== partial.at(-1)) partial.push(text);
        },
      });
      expect(partial.length, `partial answers after the reload: ${JSON.stringify(partial)}`).toBeGreaterThan(0);
      expect(last.messages).toEqual([
        { role: "human", text: QUESTION },
        { role: "ai", text: ANSWER },
      ]);
      expect(watch.apiRequests.slice(sentBefore), "after the reload it joined the run's stream").toContain(
        wire.joinRequest(threadId, run.run_id),
      );
      await runsWith(threadId, "success");
    });

    it("the checks see CORS refusals: the page on an origin the API does not allow", async () => {
      // localhost:<port> is the same page on another origin than 127.0.0.1:<port>, the one allowed.
      await chat.open(undefined, site.origin.replace("127.0.0.1", "localhost"));
      await chat.send(QUESTION);
      await waitFor(async () => watch.corsProblems().length > 0);
      await page.close();
      const refused = watch.takeProblems();
      // The browser's CORS check refuses a request; the API refuses a socket's upgrade.
      const refusal = wire.webSocket ? /^\[websocket 403\] ws:\/\/.*\/stream\/events: / : /blocked by CORS policy/;
      expect(
        refused.some((p) => refusal.test(p)),
        refused.join("\n"),
      ).toBe(true);
    });
  });
}
