// XEP-0054 vcard-temp, the little of it the desktop shows: the name a person
// gave in their vCard (FN, else NICKNAME), asked for on demand.
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { cleanText } from "../core/display_text.ts";
import { ParseError } from "../core/errors.ts";

export const NS_VCARD = "vcard-temp";

export const VCARD_LIMITS = {
  /** Longer names are cut: a name is a label, not a document. */
  nameLength: 256,
} as const;

/** What the desktop reads from a vCard; a field the card lacks is absent. */
export interface VcardNames {
  /** XEP-0054 §3 `<FN/>`: the formatted full name. */
  readonly fullName?: string;
  /** XEP-0054 §3 `<NICKNAME/>`. */
  readonly nickname?: string;
}

/**
 * XEP-0054 §3.1 (own vCard: no `to`, so the server answers for the
 * account, RFC 6120 §10.3.3) and §3.2 (another user's: to the bare JID).
 */
export function vcardRequest(bareJid?: string): XmlElement {
  return xml(
    "iq",
    bareJid === undefined ? { type: "get" } : { type: "get", to: bareJid },
    xml("vCard", { xmlns: NS_VCARD }),
  );
}

function field(card: XmlElement, name: string): string | undefined {
  const text = cleanText(
    card.getChildText(name) ?? "",
    VCARD_LIMITS.nameLength,
  );
  return text === "" ? undefined : text;
}

/**
 * The names in a vCard answer. XEP-0054 §3.1: a user without a vCard may be
 * answered with an empty result or an empty `<vCard/>`, both meaning "no
 * names", not a failure.
 */
export function parseVcardResult(
  answer: XmlElement,
): VcardNames | ParseError {
  if (!answer.is("iq") || answer.attrs.type !== "result") {
    // The store only shows no name then: no sentence needed.
    return new ParseError("bad-vcard");
  }
  const card = answer.getChild("vCard", NS_VCARD);
  if (card === undefined) {
    return answer.getChildElements().length === 0
      ? {}
      : new ParseError("bad-vcard");
  }
  const fullName = field(card, "FN");
  const nickname = field(card, "NICKNAME");
  return {
    ...(fullName === undefined ? {} : { fullName }),
    ...(nickname === undefined ? {} : { nickname }),
  };
}

/** The name to show from a vCard: FN, else NICKNAME (XEP-0054 §3). */
export function vcardName(names: VcardNames): string | undefined {
  return names.fullName ?? names.nickname;
}
