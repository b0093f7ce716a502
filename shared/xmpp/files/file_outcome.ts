// What became of a file offer, told back to its sender in the product's
// own namespace: no XEP defines a decline, so these small elements do.
// Other clients ignore a payload they do not understand (RFC 6120 §8.4),
// and with no body they show nothing.
//
//   <message type='chat' to='sender@example.com/desk' id='…'>
//     <file-declined xmlns='urn:desktop-chat:file:0' id='OFFER-ID'/>
//     <store xmlns='urn:xmpp:hints'/>
//   </message>
//
// One element per outcome, `id` naming the offer's message id:
//   file-accepted    the receiver chose Accept; the download starts
//   file-downloaded  every byte arrived and the SHA-256 matched
//   file-declined    the receiver chose Decline; nothing was downloaded
//   file-cancelled   either side stopped it (the receiver its download,
//                    the sender its offer)
//   file-failed      the download failed; `reason` says why (FAILURE_REASONS)
// The XEP-0334 store hint keeps the outcome for a sender who is offline
// (offline storage, XEP-0313 archives), as it would keep the offer.
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import type { Jid } from "../core/jid_parse.ts";
import { NS_HINTS } from "../chat/chat_stanzas.ts";
import { isStanzaId } from "../chat/receipt_parser.ts";
import { userMessageSender } from "../chat/message_parser.ts";

export const NS_FILE_OUTCOME = "urn:desktop-chat:file:0";

export const OUTCOME_KINDS = [
  "accepted",
  "downloaded",
  "declined",
  "cancelled",
  "failed",
] as const;

export type FileOutcomeKind = typeof OUTCOME_KINDS[number];

/** Why a download failed; any other value on the wire reads as "other". */
export const FAILURE_REASONS = [
  /** The receiver's policy refuses the file's type or size. */
  "not-allowed",
  /** The server sent more bytes than offered, or fewer. */
  "size-mismatch",
  /** Every byte arrived but the SHA-256 is not the offered one. */
  "hash-mismatch",
  /** The file is no longer on the server (404, 410). */
  "not-found",
  /** The file server could not be reached, refused, or failed. */
  "unreachable",
  "other",
] as const;
export type FailureReason = typeof FAILURE_REASONS[number];

export type FileOutcome =
  | { readonly kind: Exclude<FileOutcomeKind, "failed"> }
  | { readonly kind: "failed"; readonly reason: FailureReason };

export interface ParsedOutcome {
  readonly from: Jid;
  /** The id of the offer this answers. */
  readonly offerId: string;
  readonly outcome: FileOutcome;
}

/** Our outcome of offer `offerId`, to the full JID that offered it. */
export function fileOutcomeStanza(
  to: string,
  id: string,
  offerId: string,
  outcome: FileOutcome,
): XmlElement {
  const attrs: Record<string, string> = {
    xmlns: NS_FILE_OUTCOME,
    id: offerId,
  };
  if (outcome.kind === "failed") attrs.reason = outcome.reason;
  return xml(
    "message",
    { type: "chat", to, id },
    xml(`file-${outcome.kind}`, attrs),
    xml("store", { xmlns: NS_HINTS }),
  );
}

// The condition says why; whoever reads these errors drops the stanza
// (file_incoming.ts, chat_incoming.ts), so no sentence is built for them.
function invalid(condition: string): ParseError {
  return new ParseError(condition);
}

function failureReason(raw: string | undefined): FailureReason {
  return FAILURE_REASONS.find((reason) => reason === raw) ?? "other";
}

/** The outcome a chat or normal message from a user carries. */
export function parseFileOutcome(
  stanza: XmlElement,
): ParsedOutcome | ParseError {
  const from = userMessageSender(stanza);
  if (from instanceof ParseError) return from;
  for (const kind of OUTCOME_KINDS) {
    const element = stanza.getChild(`file-${kind}`, NS_FILE_OUTCOME);
    if (element === undefined) continue;
    const offerId = element.attrs.id;
    if (!isStanzaId(offerId)) {
      return invalid("bad-outcome");
    }
    const outcome: FileOutcome = kind === "failed"
      ? { kind, reason: failureReason(element.attrs.reason) }
      : { kind };
    return { from, offerId, outcome };
  }
  return invalid("not-outcome");
}
