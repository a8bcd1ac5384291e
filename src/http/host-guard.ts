/**
 * DNS rebinding: a page on evil.example can make its own name resolve to 127.0.0.1 and then read
 * and drive a server on the user's loopback address as if it were same-origin (CORS does not stop
 * it). The browser still sends `Host: evil.example`, so a server that listens on a loopback address,
 * with no auth, answers only to loopback host names and to the names THREADGATE_ALLOWED_HOSTS lists
 * (a reverse proxy on the same machine forwards its own name).
 *
 * When auth exists, an authenticated request needs no such check: `hostGuard` is where it will be
 * relaxed.
 */
import net from "node:net";
import type { Middleware } from "koa";
import { ApiError } from "./errors.ts";

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/** An IP literal or name that resolves to loopback by definition (RFC 6761 reserves `*.localhost`). */
export function isLoopbackName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  const ip = name.startsWith("[") && name.endsWith("]") ? name.slice(1, -1) : name;
  const family = net.isIP(ip);
  return family !== 0 && LOOPBACK.check(ip, family === 4 ? "ipv4" : "ipv6");
}

/**
 * The host name of a Host header, lowercase, without port or trailing dot (`[::1]` keeps its
 * brackets); null for one that is not a plain host[:port].
 */
export function hostnameOf(host: string): string | null {
  const m = /^(\[[0-9a-f:.]+\]|[^\s:/?#@[\]\\]+)(?::\d*)?$/i.exec(host.trim());
  return m ? m[1].toLowerCase().replace(/\.$/, "") : null;
}

export interface HostGuardOptions {
  /** The address the server listens on (config.host). */
  listenHost: string;
  /** Names answered besides loopback ones, lowercase without port; "*" for any. */
  allowedHosts: string[] | "*";
}

/** Whether requests need their Host checked: only on a loopback address, and not when any Host goes. */
export function hostCheckApplies({ listenHost, allowedHosts }: HostGuardOptions): boolean {
  return allowedHosts !== "*" && isLoopbackName(listenHost);
}

/** Whether a request with this Host header may be answered (null: its Host is not allowed). */
export function hostAllowed(options: HostGuardOptions): (host: string | undefined) => boolean {
  const allowed = new Set(options.allowedHosts === "*" ? [] : options.allowedHosts);
  const applies = hostCheckApplies(options);
  return (host) => {
    // Browsers always send Host; a request without one (HTTP/1.0) cannot come from a rebinding page.
    if (!applies || host === undefined) return true;
    const name = hostnameOf(host);
    return name !== null && (isLoopbackName(name) || allowed.has(name));
  };
}

/** Why a Host is refused, as its 403 says. */
export function hostRefusal(host: string): string {
  return (
    `Host ${JSON.stringify(host)} is not allowed: this server listens on a loopback address without auth, ` +
    `so it answers only to loopback host names (protection against DNS rebinding). To serve it under ` +
    `this name (e.g. behind a reverse proxy), add it to THREADGATE_ALLOWED_HOSTS.`
  );
}

/** Refuses (403) a request whose Host is neither a loopback name nor allowed. */
export function hostGuard(options: HostGuardOptions): Middleware {
  const allows = hostAllowed(options);
  return (ctx, next) => {
    const host = ctx.req.headers.host;
    if (allows(host)) return next();
    throw new ApiError(403, hostRefusal(host ?? ""));
  };
}
