// Presence subscription stanzas (RFC 6121 §3), shared by the roster store's
// subscribe/approve/deny and the presence store's request handling.
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import { parseBareJid } from "../core/jid_parse.ts";

/**
 * subscribe: ask to see the contact's presence (§3.1.1);
 * subscribed: approve their request or pre-approve (§3.1.4, §3.4);
 * unsubscribed: deny their request or revoke it (§3.1.4, §3.2);
 * unsubscribe: stop seeing their presence (§3.3).
 */
export type SubscriptionType =
  | "subscribe"
  | "subscribed"
  | "unsubscribe"
  | "unsubscribed";

/** Always addressed to the bare JID (RFC 6121 §3.1.1). */
export function subscriptionStanza(
  type: SubscriptionType,
  jid: string,
): XmlElement | ParseError {
  const bare = parseBareJid(jid.trim());
  if (bare instanceof ParseError) return bare;
  return xml("presence", { to: bare, type });
}
