// The one presence the agent sees for a contact, composed from the presence
// of each of the contact's resources (RFC 6121 §4.7.2.3), as plain data.
import type {
  ContactPresence,
  ResourcePresence,
  Show,
} from "./presence_state.ts";

/** What the contact list shows: three states plus offline (seed: Identity, Presence). */
export type Availability = "available" | "away" | "dnd" | "offline";

export interface ComposedPresence {
  readonly availability: Availability;
  readonly show: Show | "unavailable";
  readonly status?: string;
  /** The resource whose presence is shown. */
  readonly resource?: string;
  readonly resources: number;
}

/**
 * Tie-break among resources of equal priority. RFC 6121 §4.7.2.3 makes
 * priority decide which resource gets messages sent to the bare JID, so it
 * decides first. Among equals the server delivers to all of them
 * (RFC 6121 §8.5.2.1.1, as Prosody does), so the agent will see a chat on
 * the most available one: chat > available > away > xa > dnd. A colleague
 * who set Do Not Disturb on the resource that gets the messages still shows
 * as dnd; a phone idling at the same priority does not hide a desk that is
 * available.
 */
const SHOW_RANK: Readonly<Record<Show, number>> = {
  chat: 5,
  available: 4,
  away: 3,
  xa: 2,
  dnd: 1,
};

const AVAILABILITY: Readonly<Record<Show, Availability>> = {
  chat: "available",
  available: "available",
  away: "away",
  xa: "away",
  dnd: "dnd",
};

export const OFFLINE: ComposedPresence = {
  availability: "offline",
  show: "unavailable",
  resources: 0,
};

function better(a: ResourcePresence, b: ResourcePresence): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (SHOW_RANK[a.show] !== SHOW_RANK[b.show]) {
    return SHOW_RANK[a.show] > SHOW_RANK[b.show];
  }
  return a.seq > b.seq;
}

// One composed object per contact entry, so a computed over an unchanged
// contact returns the same value and nothing downstream re-renders.
const composed = new WeakMap<ContactPresence, ComposedPresence>();

/** RFC 6121 §4.7.2.3 priority first, then SHOW_RANK, then the freshest. */
export function composePresence(
  contact: ContactPresence | undefined,
): ComposedPresence {
  if (contact === undefined) return OFFLINE;
  const cached = composed.get(contact);
  if (cached !== undefined) return cached;
  let best: [string, ResourcePresence] | undefined;
  for (const entry of contact.resources) {
    if (best === undefined || better(entry[1], best[1])) best = entry;
  }
  const result: ComposedPresence = best === undefined ? OFFLINE : {
    availability: AVAILABILITY[best[1].show],
    show: best[1].show,
    ...(best[1].status === undefined ? {} : { status: best[1].status }),
    resource: best[0],
    resources: contact.resources.size,
  };
  composed.set(contact, result);
  return result;
}
