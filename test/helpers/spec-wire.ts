/**
 * Puts a generated request on the wire (undici, so bodies, media types and headers go exactly as
 * built), reads the answer (draining event streams), and judges it: what the contract forbids must be
 * refused, no answer may be a 5xx, every 4xx is the JSON error envelope and stays small.
 */
import { request } from "undici";
import type { SpecModel, SpecOperation } from "./spec-model.ts";
import {
  INVALID_JSON,
  RawSegment,
  parsedView,
  resolveFixtures,
  toJsonText,
  type Fixtures,
  type SpecRequest,
} from "./spec-values.ts";

/** Error bodies stay small whatever the request (issue 12 item 8: a capped list of issues). */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;
const KEEP_TEXT = 2_000;

export interface Answer {
  status: number;
  contentType: string;
  /** The first KEEP_TEXT characters of the body, and all of it for error bodies up to the cap. */
  text: string;
  bytes: number;
  /** Set when no answer came (connection reset, timeout). */
  error?: string;
  /** An event stream the client closed after waiting (see `send`). */
  aborted?: boolean;
}

export interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** Lone surrogates cannot be percent-encoded; they go as U+FFFD, as a browser would send them. */
function encode(v: unknown): string {
  return encodeURIComponent(Buffer.from(String(v)).toString());
}

export function resolveRequest(r: SpecRequest, fx: Fixtures): SpecRequest {
  return {
    path: Object.fromEntries(
      Object.entries(r.path).map(([k, v]) => [k, v instanceof RawSegment ? v : resolveFixtures(v, fx)]),
    ),
    query: r.query.map(([k, v]) => [k, resolveFixtures(v, fx)] as [string, unknown]),
    headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(resolveFixtures(v, fx))])),
    body: r.body?.kind === "json" ? { ...r.body, value: resolveFixtures(r.body.value, fx) } : r.body,
  };
}

export function toWire(baseUrl: string, op: SpecOperation, r: SpecRequest): WireRequest {
  const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const v = r.path[name];
    return v instanceof RawSegment ? v.text : encode(v);
  });
  const query = r.query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join("&");
  const headers: Record<string, string> = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]));
  let body: string | Buffer | undefined;
  if (r.body?.kind === "json") {
    body = toJsonText(r.body.value);
    headers["content-type"] = r.body.contentType ?? "application/json";
  } else if (r.body) {
    body = r.body.text;
    if (r.body.contentType) headers["content-type"] = r.body.contentType;
  }
  return { method: op.method, url: `${baseUrl.replace(/\/+$/, "")}${path}${query ? `?${query}` : ""}`, headers, body };
}

/**
 * Sends one request and reads the whole answer. An event stream still open after `streamMs` is
 * aborted (a run delayed by `after_seconds` streams heartbeats until it starts); the answer says so.
 */
export async function send(w: WireRequest, timeoutMs = 60_000, streamMs = 2_000): Promise<Answer> {
  const abort = new AbortController();
  let streamTimer: NodeJS.Timeout | undefined;
  try {
    const res = await request(w.url, {
      method: w.method as "GET",
      headers: w.headers,
      body: w.body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: abort.signal,
    });
    const contentType = String(res.headers["content-type"] ?? "");
    let text = "";
    let bytes = 0;
    let aborted = false;
    if (contentType.startsWith("text/event-stream")) streamTimer = setTimeout(() => abort.abort(), streamMs);
    const keep = res.statusCode >= 400 ? MAX_ERROR_BODY_BYTES + 1 : KEEP_TEXT;
    try {
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (text.length < keep) text += chunk.toString("utf8");
      }
    } catch (err) {
      if (!abort.signal.aborted) throw err;
      aborted = true;
    }
    return { status: res.statusCode, contentType, text, bytes, aborted };
  } catch (err) {
    return { status: 0, contentType: "", text: "", bytes: 0, error: (err as Error).message || String(err) };
  } finally {
    clearTimeout(streamTimer);
  }
}

const JSON_MEDIA = /^application\/(?:[\w.+-]+\+)?json$/;

/** Whether the contract forbids the (fixture-resolved) request, so the server must refuse it. */
export function contractForbids(model: SpecModel, op: SpecOperation, r: SpecRequest): boolean {
  for (const p of op.parameters) {
    let value: string | string[] | undefined;
    if (p.in === "path") {
      const raw = r.path[p.name];
      const text = raw instanceof RawSegment ? decodeOr(raw.text) : String(raw);
      // An empty segment (or a slash) makes another path: another operation's, or none (404).
      if (text === "" || text.includes("/")) return false;
      value = text;
    } else if (p.in === "query") {
      const values = r.query.filter(([k]) => k === p.name).map(([, v]) => String(v));
      value = values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
    } else {
      const key = Object.keys(r.headers).find((k) => k.toLowerCase() === p.name.toLowerCase());
      value = key === undefined ? undefined : String(r.headers[key]);
    }
    if (!model.paramAllowed(p, value)) return true;
  }
  if (!op.body) return false;
  if (!r.body) return !model.bodyAllowed(op, undefined);
  const mediaType = (r.body.contentType ?? (r.body.kind === "json" ? "application/json" : ""))
    .split(";")[0]
    .trim()
    .toLowerCase();
  if (!JSON_MEDIA.test(mediaType) && !op.body.mediaTypes.includes(mediaType)) return mediaType !== "";
  let value: unknown;
  if (r.body.kind === "json") value = parsedView(r.body.value);
  else {
    try {
      value = JSON.parse(r.body.text.toString());
    } catch {
      return mediaType !== "";
    }
  }
  return value === INVALID_JSON || !model.bodyAllowed(op, value);
}

function decodeOr(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** What is wrong with an answer, as a problem class for grouping (empty: nothing). */
export function answerProblems(model: SpecModel, a: Answer, forbidden: boolean): string[] {
  if (a.error) return [`no answer (${a.error.slice(0, 60)})`];
  const problems: string[] = [];
  if (a.status >= 500) problems.push(`${a.status} answer`);
  if (a.status >= 400) {
    let body: unknown;
    try {
      body = JSON.parse(a.text);
    } catch {
      body = undefined;
    }
    if (a.bytes > MAX_ERROR_BODY_BYTES) problems.push(`error body over ${MAX_ERROR_BODY_BYTES / 1024} KiB`);
    else if (!/json/i.test(a.contentType) || body === undefined || !model.errorBodyValid(body))
      problems.push(`${a.status >= 500 ? "5xx" : "4xx"} body is not the JSON error envelope`);
  } else if (forbidden) problems.push(`${a.status} to a request the contract forbids`);
  return problems;
}

export function describeWire(w: WireRequest): string {
  const body = w.body === undefined ? "" : w.body.toString();
  const shown = body.length > 300 ? `${body.slice(0, 300)}…(${body.length} bytes)` : body;
  const url = w.url.length > 300 ? `${w.url.slice(0, 300)}…(${w.url.length} chars)` : w.url;
  const ct = w.headers["content-type"] ? ` [${w.headers["content-type"]}]` : "";
  const other = Object.entries(w.headers)
    .filter(([k]) => k !== "content-type")
    .map(([k, v]) => ` ${k}: ${v.length > 60 ? `${v.slice(0, 60)}…` : v}`)
    .join("");
  return `${w.method} ${url.replace(/^https?:\/\/[^/]+/, "")}${ct}${other}${shown ? ` ${shown}` : ""}`;
}

export function describeAnswer(a: Answer): string {
  if (a.error) return `no answer: ${a.error}`;
  const text = a.text.length > 300 ? `${a.text.slice(0, 300)}…` : a.text;
  const aborted = a.aborted ? " (stream closed by the test)" : "";
  return `${a.status} [${a.contentType || "no content-type"}] ${a.bytes} bytes${aborted}: ${text}`;
}
