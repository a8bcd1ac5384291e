/**
 * Which protocol v2 events a subscription wants: its channels, and optionally namespace prefixes with
 * a depth below them (a stream/events request body, or a WebSocket `subscription.subscribe`).
 *
 * A namespace segment of an event carries a runtime suffix after `:` (`child:<task id>`); a prefix
 * segment without `:` matches the segment's name before it, as the SDK's own client-side filter does.
 */
import { ProtocolFailure } from "./failure.ts";

export type Namespace = string[];

export interface EventFilter {
  channels: ReadonlySet<string>;
  namespaces?: Namespace[];
  depth?: number;
}

/** The channel an event is delivered on: its method, `input` for `input.requested`, `custom:<name>` too. */
function channelsOf(method: string, data: unknown): string[] {
  if (method === "input.requested") return ["input"];
  if (method === "custom") {
    const name = (data as { name?: unknown } | null)?.name;
    return typeof name === "string" ? ["custom", `custom:${name}`] : ["custom"];
  }
  return [method];
}

function isPrefix(namespace: Namespace, prefix: Namespace): boolean {
  if (prefix.length > namespace.length) return false;
  return prefix.every((segment, i) => {
    const candidate = namespace[i];
    if (candidate === segment) return true;
    if (segment.includes(":")) return false;
    const cut = candidate.indexOf(":");
    return cut >= 0 && candidate.slice(0, cut) === segment;
  });
}

export function matches(filter: EventFilter, method: string, namespace: Namespace, data: unknown): boolean {
  if (!channelsOf(method, data).some((channel) => filter.channels.has(channel))) return false;
  const prefixes = filter.namespaces;
  if (prefixes === undefined || prefixes.length === 0) {
    return filter.depth === undefined || namespace.length <= filter.depth;
  }
  return prefixes.some(
    (prefix) =>
      isPrefix(namespace, prefix) && (filter.depth === undefined || namespace.length - prefix.length <= filter.depth),
  );
}

/**
 * The filter a request asks for (`{channels, namespaces?, depth?}`; other keys are left alone), or an
 * `invalid_argument` failure naming the field that is not one (HTTP bodies are checked by the spec first).
 */
export function parseFilter(raw: Record<string, unknown>): EventFilter {
  const { channels, namespaces, depth } = raw;
  if (!Array.isArray(channels) || channels.length === 0 || !channels.every((c) => typeof c === "string")) {
    throw new ProtocolFailure("invalid_argument", "channels must be a non-empty list of channel names");
  }
  if (
    namespaces !== undefined &&
    namespaces !== null &&
    !(
      Array.isArray(namespaces) && namespaces.every((ns) => Array.isArray(ns) && ns.every((s) => typeof s === "string"))
    )
  ) {
    throw new ProtocolFailure("invalid_argument", "namespaces must be a list of namespaces (lists of strings)");
  }
  if (depth !== undefined && depth !== null && !(Number.isInteger(depth) && (depth as number) >= 0)) {
    throw new ProtocolFailure("invalid_argument", "depth must be a non-negative integer");
  }
  return {
    channels: new Set(channels as string[]),
    ...(Array.isArray(namespaces) ? { namespaces: namespaces as Namespace[] } : {}),
    ...(typeof depth === "number" ? { depth } : {}),
  };
}
