/**
 * Requests Node's HTTP parser refuses before any middleware sees them (a URL or headers past the
 * header size limit, a malformed request line or header, a request that timed out) get Node's
 * answer with an empty body. This `clientError` listener writes the same status with the JSON
 * envelope instead, straight to the socket (there is no request or response object yet).
 */
import http from "node:http";
import type { Duplex } from "node:stream";

function answer(status: number, detail: string): string {
  const body = JSON.stringify({ detail });
  return (
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n` +
    "Content-Type: application/json; charset=utf-8\r\n" +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    "Connection: close\r\n\r\n" +
    body
  );
}

function responseFor(code: string | undefined): string {
  switch (code) {
    case "HPE_HEADER_OVERFLOW":
      return answer(
        431,
        `Request header fields too large: the request line and headers must fit in ${http.maxHeaderSize} bytes`,
      );
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
      return answer(413, "Chunk extensions too large");
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return answer(408, "Request timeout: the request was not received in time");
    default:
      return answer(400, `Bad Request: the request is not valid HTTP/1.1${code ? ` (${code})` : ""}`);
  }
}

/** For `server.on("clientError", answerClientError)`. */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  // As Node's own handler: answer only when nothing of a response has been written on this socket.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === "ECONNRESET" || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  socket.end(responseFor(err.code));
}
