// The answers the TCP front writes itself, before or instead of the app:
// plain text, never cached, and always the last response on the connection
// (RFC 9112 §9.6 Connection: close).
import { latin1Bytes } from "./http_head.ts";

export type CannedStatus = 400 | 408 | 411 | 413 | 431 | 501 | 503 | 505;

const REASONS: Readonly<Record<CannedStatus, string>> = {
  400: "Bad Request",
  408: "Request Timeout",
  411: "Length Required",
  413: "Content Too Large",
  431: "Request Header Fields Too Large",
  501: "Not Implemented",
  503: "Service Unavailable",
  505: "HTTP Version Not Supported",
};

/** Seconds a refused client is asked to wait (RFC 9110 §10.2.3). */
export const RETRY_AFTER_SECONDS = 5;

export function cannedResponse(
  status: CannedStatus,
  message: string,
): Uint8Array {
  // The message is ours, but keep it to one printable ASCII line anyway.
  const body = `${message.replace(/[^\x20-\x7e]/g, "?")}\n`;
  const retry = status === 503 ? `Retry-After: ${RETRY_AFTER_SECONDS}\r\n` : "";
  return latin1Bytes(
    `HTTP/1.1 ${status} ${REASONS[status]}\r\n` +
      "Content-Type: text/plain; charset=utf-8\r\n" +
      `Content-Length: ${body.length}\r\n` +
      "Cache-Control: no-store\r\n" +
      retry +
      "Connection: close\r\n\r\n" +
      body,
  );
}
