// What can go wrong while the bytes of an attachment move over HTTP
// (XEP-0363 PUT, then the receiver's GET of the offered URL). The reason is
// the condition the UI words its message from; `status` is the HTTP status
// when the server answered at all.
import { TransportError } from "../../core/errors.ts";

export type TransferReason =
  /** The upload service answered 413, or the offer is over the policy's limit. */
  | "too-large"
  /** 401 or 403: the slot expired, or the server does not let us in. */
  | "refused"
  /** 404 or 410: the file is gone (upload services expire files). */
  | "not-found"
  /** 5xx: the HTTP server failed. */
  | "server"
  /** Any other status we did not expect. */
  | "http"
  /** No answer: DNS, TCP, TLS, CORS or a connection cut mid-way. */
  | "unreachable"
  /** Our own AbortSignal stopped it. */
  | "cancelled"
  /** The server sent more bytes than were offered; we stopped reading. */
  | "size-exceeded"
  /** The bytes are not the size agreed: short body, or a body unlike its slot. */
  | "size-mismatch"
  /** Every byte arrived but their SHA-256 is not the offered one. */
  | "hash-mismatch"
  /** The request itself cannot be carried out (size or digest malformed). */
  | "bad-request";

/**
 * Each reason in the words the sender's and receiver's cards use
 * (file_messages.ts); the error's message is the same, as a sentence.
 */
export const TRANSFER_WORDS: Readonly<Record<TransferReason, string>> = {
  "too-large": "the file is larger than allowed",
  "refused": "the file server refused the transfer",
  "not-found": "the file is no longer on the server",
  "server": "the file server failed",
  "http": "the file server gave an unexpected answer",
  "unreachable": "the file server could not be reached",
  "cancelled": "the transfer was stopped",
  "size-exceeded": "the server sent more bytes than were offered",
  "size-mismatch": "the file is not the size that was offered",
  "hash-mismatch": "the file's checksum does not match the offer",
  "bad-request": "the transfer request was malformed",
};

/** `text` with a capital letter and a full stop. */
export function sentence(text: string): string {
  const ended = text.endsWith(".") ? text : `${text}.`;
  return ended.charAt(0).toUpperCase() + ended.slice(1);
}

export class TransferError extends TransportError {
  readonly reason: TransferReason;

  constructor(
    reason: TransferReason,
    options: { status?: number; cause?: unknown; text?: string } = {},
  ) {
    const status = options.status === undefined
      ? ""
      : ` (HTTP ${options.status})`;
    super(reason, sentence(TRANSFER_WORDS[reason]) + status, options);
    this.name = "TransferError";
    this.reason = reason;
  }
}

export type TransferFailure = {
  readonly ok: false;
  readonly error: TransferError;
};

export function failure(
  reason: TransferReason,
  options: { status?: number; cause?: unknown; text?: string } = {},
): TransferFailure {
  return { ok: false, error: new TransferError(reason, options) };
}

/** The reason for a non-2xx answer (RFC 9110 §15). */
export function reasonOfStatus(status: number): TransferReason {
  if (status === 413) return "too-large";
  if (status === 401 || status === 403) return "refused";
  if (status === 404 || status === 410) return "not-found";
  if (status >= 500 && status <= 599) return "server";
  return "http";
}

/** A fetch that rejected: our abort, or the network. */
export function reasonOfRejection(signal: AbortSignal | undefined) {
  return signal?.aborted ? "cancelled" as const : "unreachable" as const;
}

/** 100 MiB: the most any transfer holds in memory, whatever the policy says. */
export const MAX_TRANSFER_BYTES = 100 * 1024 * 1024;
