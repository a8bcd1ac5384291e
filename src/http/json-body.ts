/**
 * Request bodies: JSON only, and no deeper than one limit.
 *
 * A body of any other type is 415: a `text/plain` or form body is what a page on any origin may send
 * without a CORS preflight, so reading it as JSON would let such a page drive the API. A request
 * without a body needs no Content-Type (the SDK sends body-less POSTs so).
 *
 * Nesting is checked on the text before it is parsed, in one pass that stops where the limit is
 * crossed: JSON.parse takes seconds over a few MB of `[[[[…`, and deep values break later, where the
 * request can no longer be refused (a LangChain message past 50 levels is checkpointed but cannot be
 * loaded back; JSON.stringify overflows its stack past ~4,100 levels). See config.ts for the default.
 */
import type { Middleware } from "koa";
import { bodyParser } from "@koa/bodyparser";
import { ApiError, UnprocessableError } from "./errors.ts";
import { forbiddenKeyAt } from "./forbidden-keys.ts";

/** The media types read as JSON; what type-is matches them against. */
export const JSON_MEDIA_TYPES = ["application/json", "application/*+json"];

/** Segments of the path below `body` named in a depth error: enough to find the field, not a wall of `a`s. */
const DEPTH_LOC_SEGMENTS = 3;

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;

/**
 * Where JSON `text` first nests objects and arrays deeper than `max` levels (the outermost value is
 * level 1), as the keys and indices leading to that container (at most `segments` of them), or null
 * when it does not. Text that is not JSON is not judged here: JSON.parse reports it.
 */
export function tooDeepAt(text: string, max: number, segments = DEPTH_LOC_SEGMENTS): (string | number)[] | null {
  // Per open container (index = level - 1): array or object, the array's element index, the
  // object's current key as [start, end) of its string literal.
  const isArray: boolean[] = [];
  const index: number[] = [];
  const keyStart: number[] = [];
  const keyEnd: number[] = [];
  let depth = 0;
  let stringStart = -1;
  let stringEnd = -1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the string: the next quote not escaped by an odd run of backslashes.
      let j = i + 1;
      for (;;) {
        j = text.indexOf('"', j);
        if (j === -1) return null;
        let backslashes = 0;
        while (text.charCodeAt(j - 1 - backslashes) === BACKSLASH) backslashes++;
        if (backslashes % 2 === 0) break;
        j++;
      }
      stringStart = i;
      stringEnd = j + 1;
      i = j;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (depth === max) return pathTo(depth, segments);
      isArray[depth] = c === OPEN_ARRAY;
      index[depth] = 0;
      keyStart[depth] = -1;
      depth++;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (--depth < 0) return null;
    } else if (c === COLON) {
      if (depth > 0 && !isArray[depth - 1]) {
        keyStart[depth - 1] = stringStart;
        keyEnd[depth - 1] = stringEnd;
      }
    } else if (c === COMMA) {
      if (depth > 0 && isArray[depth - 1]) index[depth - 1]++;
    }
  }
  return null;

  function pathTo(levels: number, count: number): (string | number)[] {
    const path: (string | number)[] = [];
    for (let level = 0; level < Math.min(levels, count); level++) {
      if (isArray[level]) path.push(index[level]);
      else if (keyStart[level] >= 0) path.push(JSON.parse(text.slice(keyStart[level], keyEnd[level])) as string);
      else break;
    }
    return path;
  }
}

/** Whether the request carries body bytes (a `Content-Length: 0` POST, as fetch sends, does not). */
export function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  if (headers["transfer-encoding"] !== undefined) return true;
  const length = headers["content-length"];
  return length !== undefined && length !== "0";
}

/** A body starts with `{` or `[` (as the JSON body parser's strict mode had it). */
const OBJECT_OR_ARRAY = /^[\x20\x09\x0a\x0d]*[[{]/;

function invalidJson(message: string): UnprocessableError {
  return new UnprocessableError([{ loc: ["body"], msg: `body is not valid JSON: ${message}`, type: "json_invalid" }]);
}

export interface JsonBodyOptions {
  /** Deepest nesting accepted (THREADGATE_MAX_JSON_DEPTH). */
  maxDepth: number;
  /** Largest body read, in the body parser's notation ("10mb"). */
  limit: string;
}

/** Reads a JSON body into `ctx.request.body` (an empty or absent body reads as `{}`, as before). */
export function jsonBody({ maxDepth, limit }: JsonBodyOptions): Middleware {
  // The body parser reads JSON media types as text (so the depth is checked before parsing) and
  // enforces the size limit; its text types are replaced by the JSON ones.
  const readText = bodyParser({
    enableTypes: ["text"],
    extendTypes: { text: JSON_MEDIA_TYPES },
    textLimit: limit,
    encoding: "utf-8",
    // DELETE too: `DELETE /store/items` takes its namespace and key in a body, as LangGraph Platform's does.
    parsedMethods: ["POST", "PUT", "PATCH", "DELETE"],
    onError: (err) => {
      if ((err as { status?: number }).status === 413) throw err;
      throw invalidJson(err.message);
    },
  });
  const read: () => Promise<void> = async () => undefined;
  return async (ctx, next) => {
    // A Content-Type says what a body is even when none came: a page may send an empty text/plain or form
    // POST (to a cancel) cross-site without a preflight, so only JSON types are taken, body or not.
    const type = ctx.request.type.toLowerCase();
    const json = type === "application/json" || /^application\/[^/]+\+json$/.test(type);
    if ((hasBody(ctx.req.headers) || type !== "") && !json) {
      const sent = ctx.get("Content-Type");
      throw new ApiError(
        415,
        `Unsupported Media Type: ${sent ? `"${sent}"` : "a body without Content-Type"}; request bodies must be JSON (Content-Type: application/json)`,
      );
    }
    await readText(ctx, read);
    const text = (ctx.request as { body?: unknown }).body;
    if (typeof text === "string") {
      const at = tooDeepAt(text, maxDepth);
      if (at)
        throw new UnprocessableError([
          {
            loc: ["body", ...at],
            msg: `JSON nested deeper than ${maxDepth} levels (the limit is THREADGATE_MAX_JSON_DEPTH)`,
            type: "json_too_deep",
          },
        ]);
      let parsed: unknown = {};
      if (text.trim() !== "") {
        if (!OBJECT_OR_ARRAY.test(text)) throw invalidJson("only objects and arrays are accepted");
        try {
          parsed = JSON.parse(text);
        } catch (err) {
          throw invalidJson((err as Error).message);
        }
        const forbidden = forbiddenKeyAt(text, parsed);
        if (forbidden)
          throw new UnprocessableError([
            {
              loc: ["body", ...forbidden],
              msg: "a __proto__ key, or a constructor with a prototype, is not accepted in request bodies",
              type: "forbidden_key",
            },
          ]);
      }
      (ctx.request as { body?: unknown }).body = parsed;
    }
    return next();
  };
}
