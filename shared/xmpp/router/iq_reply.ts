// The reply to an iq get/set (RFC 6120 §8.2.3): same id, addressed back to
// the requester; a result with at most one payload, or an error with one
// defined condition (RFC 6120 §8.3.2, §8.3.3).
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { StanzaError } from "../core/errors.ts";
import type { IqAnswer } from "./stanza_router.ts";

export const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
// RFC 6120 §8.3.3: a condition is an XML name, short in practice.
export const CONDITION = /^[a-z][a-z-]{0,63}$/;

/**
 * The defined condition of an <error/> (RFC 6120 §8.3.2: its one child in
 * the stanzas namespace besides <text/>); a missing or odd one is still an
 * error, of no known kind: "undefined-condition".
 */
export function errorCondition(error: XmlElement | undefined): string {
  const name = error?.getChildElements().find((child) =>
    child.getNS() === NS_STANZAS && child.getName() !== "text"
  )?.getName();
  return name !== undefined && CONDITION.test(name)
    ? name
    : "undefined-condition";
}

/** RFC 6120 §8.1.2.1: no `from` means the server on the account's behalf. */
function replyAttrs(request: XmlElement, type: string): Record<string, string> {
  const { id, from } = request.attrs;
  const attrs: Record<string, string> = { type };
  if (id !== undefined) attrs.id = id;
  if (from !== undefined) attrs.to = from;
  return attrs;
}

export function resultReply(
  request: XmlElement,
  payload?: XmlElement,
): XmlElement {
  return xml("iq", replyAttrs(request, "result"), payload);
}

export function errorReply(
  request: XmlElement,
  condition: string,
  type: string,
  text?: string,
): XmlElement {
  return xml(
    "iq",
    replyAttrs(request, "error"),
    xml(
      "error",
      { type },
      xml(condition, { xmlns: NS_STANZAS }),
      text === undefined ? undefined : xml("text", { xmlns: NS_STANZAS }, text),
    ),
  );
}

/**
 * A reply a pure handler built (e.g. roster_state's handleRosterPush) as
 * the answer a router handler returns, so the router still sends the one
 * reply itself.
 */
export function answerFromReply(reply: XmlElement): IqAnswer {
  if (reply.attrs.type !== "error") return reply.getChildElements()[0];
  const error = reply.getChild("error");
  const condition = errorCondition(error);
  const text = error?.getChildText("text", NS_STANZAS) ?? undefined;
  return new StanzaError(condition, error?.attrs.type ?? "cancel", condition, {
    text,
  });
}
