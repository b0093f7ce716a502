// The pure handler of every message the attachments store hears: an
// outcome (file_outcome.ts) moves a transfer, an offer (XEP-0447 or a bare
// XEP-0066 link) adds one with the receiver's policy decision, a bounce
// (RFC 6120 §8.3) of our offer fails it. Stanza + transfers in, transfers
// and what the store must do out; never throws.
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import { parseJid } from "../core/jid_parse.ts";
import { parseMessageError } from "../chat/message_error_parser.ts";
import {
  type FileOffer,
  mayBeFileOffer,
  parseFileOffer,
} from "./file_offer.ts";
import { NS_FILE_OUTCOME, parseFileOutcome } from "./file_outcome.ts";
import type { PolicyDecision } from "./file_policy.ts";
import {
  addTransfer,
  applyBounce,
  applyOutcome,
  type FileTransfers,
  incomingTransfer,
} from "./file_transfer_state.ts";

export interface FileMessageContext {
  /** The agent's bare JID: its own other clients' messages are not ours. */
  readonly ownBareJid: string;
  /** file_url.ts plainHttpAllowedBeside the chat server. */
  readonly allowHttp: boolean;
  /** The receiver's policy on an offer. */
  readonly decide: (offer: FileOffer) => PolicyDecision;
  readonly now: number;
}

export interface FileMessageStep {
  readonly transfers: FileTransfers;
  /** An incoming download whose sender cancelled it: stop its bytes. */
  readonly abort?: string;
  /** The offer a new incoming transfer stands for (its URL and hash). */
  readonly offer?: { readonly key: string; readonly offer: FileOffer };
}

/**
 * The messages the store hears: ours and the offers' namespaces, errors.
 * By resolved namespace, not the xmlns attribute: `<o:file-declined
 * xmlns:o="…">` is the same element (Namespaces in XML §6.2).
 */
export function isFileMessage(stanza: XmlElement): boolean {
  if (stanza.attrs.type === "error") return true;
  return mayBeFileOffer(stanza) ||
    stanza.getChildElements().some((child) =>
      child.getNS() === NS_FILE_OUTCOME
    );
}

export function handleFileMessage(
  transfers: FileTransfers,
  stanza: XmlElement,
  context: FileMessageContext,
): FileMessageStep {
  if (stanza.attrs.type === "error") {
    const bounce = parseMessageError(stanza);
    if (bounce instanceof ParseError) return { transfers };
    return {
      transfers: applyBounce(transfers, bounce, bounce.error.condition),
    };
  }
  const from = parseJid(stanza.attrs.from);
  // The agent's own other clients reach us only as carbons, not handled.
  if (from instanceof ParseError || from.bare === context.ownBareJid) {
    return { transfers };
  }
  const outcome = parseFileOutcome(stanza);
  if (!(outcome instanceof ParseError)) return applyOutcome(transfers, outcome);
  const offer = parseFileOffer(stanza, { allowHttp: context.allowHttp });
  if (offer instanceof ParseError) return { transfers };
  const transfer = incomingTransfer(offer, context.decide(offer), context.now);
  const next = addTransfer(transfers, transfer);
  return next === transfers
    ? { transfers }
    : { transfers: next, offer: { key: transfer.key, offer } };
}
