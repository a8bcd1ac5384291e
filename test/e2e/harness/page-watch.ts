/**
 * What a page did that a user would count as broken: console errors (CORS refusals among them),
 * uncaught exceptions, requests that failed, and HTTP errors, with everything the page logged kept
 * for the report of a failing test. Requests a test aborts on purpose (the stop button, a reload in
 * the middle of a stream) are allowed by name, and only as `net::ERR_ABORTED`.
 */
import type { Page } from "playwright-core";

export interface PageWatch {
  /** Every console message and event, and each request to the API, in order. */
  log: string[];
  /** What went wrong; a passing test leaves this empty. */
  problems: string[];
  /** Problems that are CORS refusals. */
  corsProblems(): string[];
  /** The `Access-Control-Allow-Origin` of each API response the page received. */
  allowOrigins: string[];
  /** `METHOD /path` of each request the page sent to the API. */
  apiRequests: string[];
  /** Lets requests whose path matches be aborted (`net::ERR_ABORTED`) without counting as a problem. */
  allowAborted(path: RegExp): void;
  /** The problems so far, which then no longer count (for a test that expects some). */
  takeProblems(): string[];
}

export function watchPage(page: Page, apiUrl: string): PageWatch {
  const log: string[] = [];
  const problems: string[] = [];
  const allowOrigins: string[] = [];
  const apiRequests: string[] = [];
  const abortable: RegExp[] = [];
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
    const allowed = failure === "net::ERR_ABORTED" && abortable.some((p) => p.test(new URL(request.url()).pathname));
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
  return {
    log,
    problems,
    allowOrigins,
    apiRequests,
    corsProblems: () => problems.filter((p) => /CORS|Access-Control/i.test(p)),
    allowAborted: (path) => void abortable.push(path),
    takeProblems: () => problems.splice(0),
  };
}
