// Every word the attachments show (issue 15), in one place like
// sign_in_messages.ts: sizes, why a file cannot go, each phase of a
// transfer on both sides, and each failure in plain words.
import type { PolicyDecision } from "../../../../shared/xmpp/files/file_policy.ts";
import type {
  FileTransfer,
  TransferFailureReason,
  UploadServiceStatus,
} from "../../../../shared/xmpp/files/file_transfers_api.ts";
import type { FailureReason } from "../../../../shared/xmpp/files/file_outcome.ts";
import {
  sentence,
  TRANSFER_WORDS,
} from "../../../../shared/xmpp/files/transfer/transfer_error.ts";

const UNITS = ["kB", "MB", "GB"] as const;

/** The alert (toast, notification) for a file offer that just arrived. */
export function fileOfferAlert(name: string): string {
  return `Sent a file: ${name}`;
}

/**
 * Bytes as people read them: "512 bytes", "1.5 kB", "12 MB" (one decimal
 * below 10). Units of 1,024, as the administrator's "Maximum size" in MB
 * is stored (maxBytes = MB × 1024²), so a 10 MB limit reads "10 MB".
 */
export function formatSize(bytes: number | undefined): string {
  // Undefined: a bare XEP-0066 link gives no size.
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) {
    return "size not given";
  }
  if (bytes < 1024) return bytes === 1 ? "1 byte" : `${bytes} bytes`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  return `${shown} ${UNITS[unit]}`;
}

/** An incoming file offered without a SHA-256: nothing to check it by. */
export const UNVERIFIED = "Not verified: the sender's app sent no checksum.";

/** Why the policy refuses `name` of `size` bytes, or undefined if it does not. */
export function policyText(
  decision: PolicyDecision,
  name: string,
  size: number | undefined,
): string | undefined {
  if (decision.ok) return undefined;
  switch (decision.reason) {
    case "disabled":
      return "Attachments are turned off by your administrator.";
    case "empty":
      return `${name} is empty.`;
    // Only a known size is over the limit (file_policy.ts).
    case "too-large":
      return `${name} is ${formatSize(size)}; the limit is ${
        formatSize(decision.maxBytes)
      }.`;
    case "type-not-allowed":
      return `Files of this type are not allowed: ${name}.`;
  }
}

/**
 * Why Send a file is off now, or undefined when it is on. `blocked` is the
 * composer's own reason (the contact signed out).
 */
export function sendBlock(
  service: UploadServiceStatus,
  blocked: string | undefined,
): string | undefined {
  if (blocked !== undefined) return blocked;
  switch (service.state) {
    case "available":
      return undefined;
    case "unknown":
      return "Checking whether the chat server accepts files…";
    case "none":
      return "The chat server offers no file upload, so files cannot be sent.";
    case "error":
      return "The chat server did not say whether it accepts files.";
  }
}

const PEER_WORDS: Readonly<Record<FailureReason, string>> = {
  "not-allowed": "their settings do not allow this file",
  "size-mismatch": "the file they received was not the size offered",
  "hash-mismatch": "the file they received did not match its checksum",
  "not-found": "the file was no longer on the server",
  "unreachable": "they could not reach the file server",
  "other": "their download failed",
};

/** A failure in words, for the side that sees it. */
export function failureWords(
  failure: TransferFailureReason | undefined,
  transfer: Pick<FileTransfer, "name" | "size">,
): string {
  if (failure === undefined) return "something went wrong";
  switch (failure.kind) {
    case "policy":
      return policyText(failure.decision, transfer.name, transfer.size) ??
        "the file is not allowed";
    case "no-upload-service":
      return "the chat server offers no file upload";
    case "slot":
      switch (failure.refusal.reason) {
        case "too-large":
          return failure.refusal.maxBytes === undefined
            ? "the chat server does not take files this large"
            : `the chat server takes files up to ${
              formatSize(failure.refusal.maxBytes)
            }`;
        case "quota":
          return "your upload quota on the chat server is used up; try later";
        case "not-allowed":
          return "the chat server does not let you upload files";
        case "other":
          return "the chat server refused the upload";
      }
      break;
    case "transfer":
      return TRANSFER_WORDS[failure.reason];
    case "peer":
      return PEER_WORDS[failure.reason];
    case "xmpp":
      return "the chat server did not take the message";
    case "reloaded":
      return "the page was reloaded before the file was sent";
  }
  return "something went wrong";
}

/** "120 kB of 2 MB", or only the bytes when the size is not known. */
export function moved(transfer: FileTransfer): string {
  return transfer.size === undefined
    ? formatSize(transfer.bytes)
    : `${formatSize(transfer.bytes)} of ${formatSize(transfer.size)}`;
}

/** What the card says about where `transfer` stands, `name` the contact's. */
export function phaseText(transfer: FileTransfer, name: string): string {
  const out = transfer.direction === "out";
  switch (transfer.phase) {
    case "checking":
      return "Preparing…";
    case "uploading":
      return `Uploading… ${moved(transfer)}`;
    case "offered":
      return out ? `Offered — waiting for ${name}` : `${name} offers this file`;
    case "accepted":
      return `${name} accepted — downloading`;
    case "downloading":
      return `Downloading… ${moved(transfer)}`;
    case "downloaded":
      return out
        ? `${name} downloaded the file`
        : "Saved to your downloads folder";
    case "declined":
      return out ? `${name} declined the file` : "You declined the file";
    case "cancelled":
      return transfer.cancelledBy === "peer"
        ? `Cancelled by ${name}`
        : "Cancelled by you";
    case "failed":
      return `Failed: ${sentence(failureWords(transfer.failure, transfer))}`;
  }
}
