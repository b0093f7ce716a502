// Whom the conversation is with, as the agent knows them: the name to show
// and whether a message can go to them now (seed: "You cannot send messages
// to the signed out agents").
import type { ComposedPresence } from "../../../../shared/xmpp/presence/presence_compose.ts";
import type { RosterItem } from "../../../../shared/xmpp/roster/roster_parser.ts";

/** Roster name, then the XEP-0172 nick they offered, then the local part. */
export function contactName(
  jid: string,
  item: RosterItem | undefined,
  nick: string | undefined,
): string {
  if (item?.name) return item.name;
  if (nick) return nick;
  const at = jid.indexOf("@");
  return at > 0 ? jid.slice(0, at) : jid;
}

/**
 * Why the composer is closed, or undefined when it is open. Closed only
 * when the agent sees the contact's presence (subscription "to" or "both",
 * RFC 6121 §3) and no resource of theirs is available: without that
 * subscription the agent cannot know, and someone who wrote from outside
 * the contact list must be answerable.
 */
export function composerBlock(
  name: string,
  item: RosterItem | undefined,
  presence: ComposedPresence,
): string | undefined {
  const seesPresence = item?.subscription === "to" ||
    item?.subscription === "both";
  if (!seesPresence || presence.availability !== "offline") return undefined;
  return `${name} is signed out. Messages can be sent once they sign in.`;
}
