// Whether a message can go to the contact now (seed: "You cannot send
// messages to the signed out agents").
import type { ComposedPresence } from "../../../../shared/xmpp/presence/presence_compose.ts";
import type { RosterItem } from "../../../../shared/xmpp/roster/roster_parser.ts";

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
