/**
 * HTTP below what `fetch` allows: a chosen `Host` header, any Content-Type or none, and raw bytes on a
 * socket (malformed requests, oversized headers), for the tests of the HTTP layer's door.
 */
import http from "node:http";
import net from "node:net";

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
}

function parseJson(text: string): any {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** One request through node:http, which sends the headers as given (including Host). */
export function request(
  base: string,
  method: string,
  route: string,
  options: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  const url = new URL(`${base}${route}`);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        hostname: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method,
        headers: options.headers,
        agent: false,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text, json: parseJson(text) }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Writes `bytes` to a fresh connection and parses the one answer the server writes before it closes. */
export function rawExchange(base: string, bytes: string): Promise<RawResponse & { raw: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    let raw = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (raw += chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const end = raw.indexOf("\r\n\r\n");
      const head = end === -1 ? raw : raw.slice(0, end);
      const text = end === -1 ? "" : Buffer.from(raw.slice(end + 4), "latin1").toString("utf8");
      const [statusLine, ...lines] = head.split("\r\n");
      const headers: http.IncomingHttpHeaders = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? "")?.[1] ?? 0);
      resolve({ status, headers, text, json: parseJson(text), raw });
    });
    socket.write(bytes);
  });
}
