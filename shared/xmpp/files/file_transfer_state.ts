// The attachments of one account as plain data, and the pure steps that
// move them: the views read FileTransfer values, the store
// (file_transfers.ts) feeds these steps and carries out their effects. The
// phases follow issue 15: a sent file is checking → uploading → offered →
// accepted → downloaded, or ends declined, cancelled or failed; a received
// offer is offered → downloading → downloaded, or ends the same ways.
import type { SlotRefusal } from "./upload_error.ts";
import type { PolicyDecision } from "./file_policy.ts";
import type { FailureReason, ParsedOutcome } from "./file_outcome.ts";
import type { FileOffer } from "./file_offer.ts";
import { DEFAULT_MEDIA_TYPE, plainMediaType } from "./file_metadata.ts";
import { sanitizeFileName } from "./file_name.ts";
import type { TransferReason } from "./transfer/transfer_error.ts";

/** Every phase, in the order a transfer can go through them. */
export const TRANSFER_PHASES = [
  "checking",
  "uploading",
  "offered",
  "accepted",
  "downloading",
  "downloaded",
  "declined",
  "cancelled",
  "failed",
] as const;

export type TransferPhase = typeof TRANSFER_PHASES[number];

/** Why a transfer failed, for the view to word. */
export type TransferFailureReason =
  /** Our policy refused the file before any byte moved. */
  | {
    readonly kind: "policy";
    readonly decision: Exclude<PolicyDecision, { ok: true }>;
  }
  /** The chat server offers no upload service (XEP-0363 §3). */
  | { readonly kind: "no-upload-service" }
  /** The upload service refused the slot (XEP-0363 §5). */
  | { readonly kind: "slot"; readonly refusal: SlotRefusal }
  /** The bytes did not move: the PUT or the GET failed, or did not match. */
  | { readonly kind: "transfer"; readonly reason: TransferReason }
  /** The receiver's download failed (its file-failed outcome). */
  | { readonly kind: "peer"; readonly reason: FailureReason }
  /** The chat server did not take a stanza (lost connection, timeout). */
  | { readonly kind: "xmpp"; readonly condition: string }
  /** The page was reloaded before the file was sent (file_history.ts). */
  | { readonly kind: "reloaded" };

export interface FileTransfer {
  /** Unique in the account: `out:<id>` or `in:<peer>:<id>`. */
  readonly key: string;
  /** The offer message's id (file_offer.ts), which outcomes name. */
  readonly id: string;
  readonly direction: "out" | "in";
  /** The contact's bare JID. */
  readonly peer: string;
  /** Incoming: the full JID that offered, where our outcomes go. */
  readonly peerFull?: string;
  /** Sanitised (file_name.ts). */
  readonly name: string;
  /** Bytes; undefined for a bare oob offer. */
  readonly size?: number;
  readonly mediaType: string;
  readonly phase: TransferPhase;
  /** Bytes moved so far, while uploading or downloading. */
  readonly bytes: number;
  /** Set in phase "failed". */
  readonly failure?: TransferFailureReason;
  /** Phase "cancelled": who stopped it. */
  readonly cancelledBy?: "us" | "peer";
  /**
   * Incoming: the receiver's policy on this offer; Accept is offered only
   * when it is ok (issue 15, Policy).
   */
  readonly decision?: PolicyDecision;
  /**
   * Incoming: no SHA-256 was offered (as with a bare XEP-0066 link), so
   * the bytes cannot be checked; the card says so.
   */
  readonly unverified?: boolean;
  /** Milliseconds since the epoch, when it began or arrived. */
  readonly at: number;
}

export type FileTransfers = ReadonlyMap<string, FileTransfer>;

export const NO_TRANSFERS: FileTransfers = new Map();

const FINAL: ReadonlySet<TransferPhase> = new Set([
  "downloaded",
  "declined",
  "cancelled",
  "failed",
]);

export function isFinal(phase: TransferPhase): boolean {
  return FINAL.has(phase);
}

export function outKey(id: string): string {
  return `out:${id}`;
}

export function inKey(peer: string, id: string): string {
  return `in:${peer}:${id}`;
}

/** `transfers` with `key` changed by `change`; the same map if absent. */
export function updateTransfer(
  transfers: FileTransfers,
  key: string,
  change: (transfer: FileTransfer) => FileTransfer,
): FileTransfers {
  const transfer = transfers.get(key);
  if (transfer === undefined) return transfers;
  const next = change(transfer);
  if (next === transfer) return transfers;
  return new Map(transfers).set(key, next);
}

/**
 * Transfers one session keeps: past it the oldest ended one goes, and when
 * none has ended a new one is refused, so a peer sending offers without
 * end cannot grow the store without bound.
 */
export const MAX_TRANSFERS = 500;

/** `transfers` with `transfer` added; the same map when it is refused. */
export function addTransfer(
  transfers: FileTransfers,
  transfer: FileTransfer,
  max = MAX_TRANSFERS,
): FileTransfers {
  if (transfers.has(transfer.key)) return transfers;
  const next = new Map(transfers);
  if (next.size >= max) {
    const ended = [...next.values()].find((one) => isFinal(one.phase));
    if (ended === undefined) return transfers;
    next.delete(ended.key);
  }
  return next.set(transfer.key, transfer);
}

/** A file the agent picked, as its transfer before any check. */
export function outgoingTransfer(
  id: string,
  peer: string,
  file: {
    readonly name: string;
    readonly type: string;
    readonly data: Blob | Uint8Array;
  },
  at: number,
): FileTransfer {
  return {
    key: outKey(id),
    id,
    direction: "out",
    peer,
    name: sanitizeFileName(file.name),
    size: file.data instanceof Blob ? file.data.size : file.data.byteLength,
    mediaType: plainMediaType(file.type) ?? DEFAULT_MEDIA_TYPE,
    phase: "checking",
    bytes: 0,
    at,
  };
}

/** A received offer as the receiver's transfer, with its policy decision. */
export function incomingTransfer(
  offer: FileOffer,
  decision: PolicyDecision,
  at: number,
): FileTransfer {
  const peer = offer.from.bare;
  return {
    key: inKey(peer, offer.id),
    id: offer.id,
    direction: "in",
    peer,
    ...(offer.from.resource === undefined
      ? {}
      : { peerFull: `${peer}/${offer.from.resource}` }),
    name: offer.name,
    ...(offer.size === undefined ? {} : { size: offer.size }),
    mediaType: offer.mediaType,
    phase: "offered",
    bytes: 0,
    decision,
    ...(offer.sha256 === undefined ? { unverified: true } : {}),
    at,
  };
}

/** Moves a transfer on unless it already ended (a final phase stays). */
export function moveTo(
  transfer: FileTransfer,
  phase: TransferPhase,
  extra: Partial<
    Pick<FileTransfer, "failure" | "cancelledBy" | "bytes" | "size">
  > = {},
): FileTransfer {
  if (isFinal(transfer.phase)) return transfer;
  return { ...transfer, ...extra, phase };
}

export function fail(
  transfer: FileTransfer,
  failure: TransferFailureReason,
): FileTransfer {
  return moveTo(transfer, "failed", { failure });
}

/** Which phases each outcome may follow on the sender's side. */
const SENDER_STEPS: Readonly<
  Record<ParsedOutcome["outcome"]["kind"], readonly TransferPhase[]>
> = {
  accepted: ["offered"],
  downloaded: ["offered", "accepted"],
  // "accepted" too: a receiver whose page was reloaded mid-download is
  // offered the file again (file_history.ts) and may decline it then.
  declined: ["offered", "accepted"],
  cancelled: ["offered", "accepted"],
  failed: ["offered", "accepted"],
};

export interface OutcomeStep {
  readonly transfers: FileTransfers;
  /** An incoming download the sender cancelled: stop its bytes. */
  readonly abort?: string;
}

/**
 * What an outcome (file_outcome.ts) does: the sender's transfer follows the
 * receiver's outcomes, and a receiver's offer ends when its sender
 * cancels it. Only the bare JID the offer went to (or came from) counts.
 */
export function applyOutcome(
  transfers: FileTransfers,
  parsed: ParsedOutcome,
): OutcomeStep {
  const peer = parsed.from.bare;
  const { outcome } = parsed;
  const ours = transfers.get(outKey(parsed.offerId));
  if (ours !== undefined && ours.peer === peer) {
    if (!SENDER_STEPS[outcome.kind].includes(ours.phase)) return { transfers };
    const next = outcome.kind === "failed"
      ? fail(ours, { kind: "peer", reason: outcome.reason })
      : outcome.kind === "cancelled"
      ? moveTo(ours, "cancelled", { cancelledBy: "peer" })
      : moveTo(ours, outcome.kind);
    return { transfers: new Map(transfers).set(ours.key, next) };
  }
  const theirs = transfers.get(inKey(peer, parsed.offerId));
  if (theirs === undefined || outcome.kind !== "cancelled") {
    return { transfers };
  }
  if (isFinal(theirs.phase)) return { transfers };
  return {
    transfers: new Map(transfers).set(
      theirs.key,
      moveTo(theirs, "cancelled", { cancelledBy: "peer" }),
    ),
    ...(theirs.phase === "downloading" ? { abort: theirs.key } : {}),
  };
}

/**
 * RFC 6120 §8.3: our offer `id` bounced from `from` (no such user, a
 * server refusing it): the transfer waiting on it failed.
 */
export function applyBounce(
  transfers: FileTransfers,
  bounce: { readonly from: { readonly bare: string }; readonly id: string },
  condition: string,
): FileTransfers {
  return updateTransfer(
    transfers,
    outKey(bounce.id),
    (transfer) =>
      transfer.peer === bounce.from.bare && transfer.phase === "offered"
        ? fail(transfer, { kind: "xmpp", condition })
        : transfer,
  );
}

/** What the receiver tells the sender when its download failed. */
export function failureReasonOf(reason: TransferReason): FailureReason {
  switch (reason) {
    case "size-exceeded":
    case "size-mismatch":
      return "size-mismatch";
    case "hash-mismatch":
      return "hash-mismatch";
    case "not-found":
      return "not-found";
    case "too-large":
      return "not-allowed";
    case "unreachable":
    case "server":
    case "refused":
    case "http":
      return "unreachable";
    default:
      return "other";
  }
}
