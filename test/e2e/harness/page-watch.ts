/**
 * What a page did that a user would count as broken: console errors (CORS refusals among them),
 * uncaught exceptions, requests that failed, HTTP errors, and WebSockets to the API that were refused,
 * failed or ended under it, with everything the page logged kept for the report of a failing test
 * (a socket's frames too). Streams a test drops on purpose (the stop button, a reload in the middle of
 * a stream) are allowed by path: a request only as `net::ERR_ABORTED`, a socket only as closed (who closed
 * an open one playwright cannot say) or closed by the page before it opened; a refused upgrade never is.
 * The sockets a reload drops Chromium does not report at all.
 */
import type { Page } from "playwright-core";

export interface PageWatch {
  /** Every console message and event, each request to the API and each socket's frames, in order. */
  log: string[];
  /** What went wrong; a passing test leaves this empty. */
  problems: string[];
  /**
   * Problems that are CORS refusals: the browser's, for HTTP, and for a WebSocket (which CORS does not
   * cover) the API's 403 to its upgrade, its answer to an Origin the CORS rule does not allow.
   */
  corsProblems(): string[];
  /** The `Access-Control-Allow-Origin` of each API response the page received. */
  allowOrigins: string[];
  /** The `Origin` the browser sent on the upgrade of each WebSocket the page opened to the API. */
  socketOrigins: string[];
  /** `METHOD /path` of each request the page sent to the API, and `WS /path` of each socket it opened to it. */
  apiRequests: string[];
  /** Lets requests and sockets whose path matches be dropped by the page without counting as a problem. */
  allowAborted(path: RegExp): void;
  /** The problems so far, which then no longer count (for a test that expects some). */
  takeProblems(): string[];
}

/** What Chromium says of a socket the page closed before it opened (as `net::ERR_ABORTED` for a request). */
const CLOSED_BY_PAGE = "WebSocket is closed before the connection is established.";
/** What Chromium says of an upgrade answered with another status than 101. */
const REFUSED = /^Error during WebSocket handshake: Unexpected response code: (\d{3})$/;
/** How a frame is logged: enough to tell a command, its answer and an event apart. */
const FRAME_CHARS = 300;

export async function watchPage(page: Page, apiUrl: string): Promise<PageWatch> {
  const log: string[] = [];
  const problems: string[] = [];
  const allowOrigins: string[] = [];
  const socketOrigins: string[] = [];
  const apiRequests: string[] = [];
  const abortable: RegExp[] = [];
  const socketApi = apiUrl.replace(/^http/, "ws");
  const droppable = (url: string) => abortable.some((p) => p.test(new URL(url).pathname));
  const note = (line: string, problem: boolean) => {
    log.push(line);
    if (problem) problems.push(line);
  };
  page.on("console", (message) => {
    note(`[console.${message.type()}] ${message.text()}`, message.type() === "error");
  });
  page.on("pageerror", (error) => note(`[pageerror] ${error.stack ?? error.message}`, true));
  page.on("requestfailed", (request) => {
    const failure = request.failure()?.errorText ?? "unknown";
    const allowed = failure === "net::ERR_ABORTED" && droppable(request.url());
    note(`[requestfailed] ${request.method()} ${request.url()}: ${failure}${allowed ? " (allowed)" : ""}`, !allowed);
  });
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(apiUrl)) return;
    apiRequests.push(`${request.method()} ${new URL(url).pathname}`);
    note(`[request] ${request.method()} ${url}`, false); // a failure's log shows what the page asked for
  });
  page.on("response", (response) => {
    const url = response.url();
    if (url.startsWith(apiUrl)) allowOrigins.push(response.headers()["access-control-allow-origin"] ?? "(none)");
    if (response.status() >= 400) note(`[http ${response.status()}] ${response.request().method()} ${url}`, true);
  });

  page.on("websocket", (socket) => {
    const url = socket.url();
    if (!url.startsWith(socketApi)) return;
    apiRequests.push(`WS ${new URL(url).pathname}`);
    note(`[websocket] ${url}`, false);
    let failed = false;
    socket.on("framesent", ({ payload }) => note(`[ws sent] ${String(payload).slice(0, FRAME_CHARS)}`, false));
    socket.on("framereceived", ({ payload }) => note(`[ws received] ${String(payload).slice(0, FRAME_CHARS)}`, false));
    socket.on("socketerror", (error) => {
      failed = true;
      const refused = REFUSED.exec(error);
      if (refused) return note(`[websocket ${refused[1]}] ${url}: ${error}`, true);
      const allowed = error === CLOSED_BY_PAGE && droppable(url);
      note(`[websocket error] ${url}: ${error}${allowed ? " (allowed)" : ""}`, !allowed);
    });
    // Who closed an open socket playwright cannot tell: one the page may not drop should not end at all
    // while the page is open (Chromium reports no close for the sockets a navigation drops).
    socket.on("close", () => {
      const allowed = failed || droppable(url);
      note(`[websocket closed] ${url}${allowed ? " (allowed)" : ""}`, !allowed);
    });
  });
  // What the browser put on a socket's upgrade, which playwright does not show: from Chromium's protocol.
  const cdp = await page.context().newCDPSession(page);
  const socketUrls = new Map<string, string>();
  cdp.on("Network.webSocketCreated", ({ requestId, url }) => void socketUrls.set(requestId, url));
  cdp.on("Network.webSocketWillSendHandshakeRequest", ({ requestId, request }) => {
    if (!socketUrls.get(requestId)?.startsWith(socketApi)) return;
    const origin = Object.entries(request.headers).find(([name]) => name.toLowerCase() === "origin")?.[1];
    socketOrigins.push(origin ?? "(none)");
  });
  await cdp.send("Network.enable");

  return {
    log,
    problems,
    allowOrigins,
    socketOrigins,
    apiRequests,
    corsProblems: () => problems.filter((p) => /CORS|Access-Control/i.test(p) || p.startsWith("[websocket 403]")),
    allowAborted: (path) => void abortable.push(path),
    takeProblems: () => problems.splice(0),
  };
}
