// XEP-0280 message carbons read from their wrapper: a copy of a message the
// agent's other client sent (`sent`) or received (`received`), forwarded
// (XEP-0297) by the agent's own server.
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import { parseJid } from "../core/jid_parse.ts";
import { parseDelay } from "./message_parser.ts";

export const NS_CARBONS = "urn:xmpp:carbons:2";
export const NS_FORWARD = "urn:xmpp:forward:0";

export interface Carbon {
  readonly direction: "sent" | "received";
  /** The forwarded message, to be read like any other. */
  readonly message: XmlElement;
  /** XEP-0297 §3: the forwarder's <delay/>, when it dated the copy. */
  readonly at?: number;
}

function forged(message: string): ParseError {
  return new ParseError("forged-carbon", message);
}

/**
 * The carbon `stanza` wraps; undefined when it is not a carbon at all.
 * XEP-0280 §11 (Security Considerations, CVE-2017-5589): a copy counts
 * only when the wrapper comes from the agent's own bare JID; one from
 * anyone else, a full JID of the agent's included, or from nobody, is
 * refused as forged.
 */
export function parseCarbon(
  stanza: XmlElement,
  ownBareJid: string,
): Carbon | ParseError | undefined {
  if (!stanza.is("message")) return undefined;
  const wrappers = stanza.getChildElements().filter((child) =>
    child.getNS() === NS_CARBONS &&
    (child.getName() === "sent" || child.getName() === "received")
  );
  if (wrappers.length === 0) return undefined;
  const from = parseJid(stanza.attrs.from);
  if (
    from instanceof ParseError || from.resource !== undefined ||
    from.bare !== ownBareJid
  ) {
    return forged("Ignored a carbon that did not come from the own account.");
  }
  if (wrappers.length > 1) {
    return new ParseError("bad-carbon", "A message wrapped several carbons.");
  }
  const [wrapper] = wrappers;
  const forwarded = wrapper.getChild("forwarded", NS_FORWARD);
  const messages = forwarded?.getChildren("message") ?? [];
  // XEP-0297 §3: exactly one forwarded stanza.
  if (forwarded === undefined || messages.length !== 1) {
    return new ParseError(
      "bad-carbon",
      "A carbon did not forward exactly one message (XEP-0297 §3).",
    );
  }
  const at = parseDelay(forwarded);
  return {
    direction: wrapper.getName() === "sent" ? "sent" : "received",
    message: messages[0],
    ...(at === undefined ? {} : { at }),
  };
}
