// Contacts' presence per resource, the composed presence the agent sees, and
// incoming subscription requests, as plain data with pure handlers
// (RFC 6121 §3, §4). The store feeds them; tests feed them literal stanzas.
import type { XmlElement } from "../core/connection.ts";
import { cleanText } from "../core/display_text.ts";
import { ParseError } from "../core/errors.ts";
import { parseJid } from "../core/jid_parse.ts";

/** RFC 6121 §4.7.2.1 `<show/>`, "available" standing for no show. */
export type Show = "chat" | "available" | "away" | "xa" | "dnd";

export interface ResourcePresence {
  readonly show: Show;
  readonly status?: string;
  /** RFC 6121 §4.7.2.3: -128..127, 0 when absent or invalid. */
  readonly priority: number;
  /** Arrival order, to prefer the freshest of otherwise equal resources. */
  readonly seq: number;
}

export interface ContactPresence {
  /** Keyed by resource; "" for presence from the bare JID. */
  readonly resources: ReadonlyMap<string, ResourcePresence>;
}

export interface SubscriptionRequest {
  readonly jid: string;
  readonly status?: string;
  /** XEP-0172 nickname the requester offered. */
  readonly nick?: string;
}

export interface PresenceState {
  /** Keyed by bare JID; contacts with no available resource are absent. */
  readonly contacts: ReadonlyMap<string, ContactPresence>;
  /** Pending inbound requests by bare JID, oldest first (RFC 6121 §3.1.3). */
  readonly requests: ReadonlyMap<string, SubscriptionRequest>;
  readonly seq: number;
}

export const EMPTY_PRESENCE: PresenceState = {
  contacts: new Map(),
  requests: new Map(),
  seq: 0,
};

export interface PresenceContext {
  readonly ownBareJid: string;
  /**
   * Whether presence from this bare JID is wanted: the roster's contacts.
   * Without it every sender is tracked (up to PRESENCE_LIMITS.contacts).
   */
  readonly isKnown?: (bareJid: string) => boolean;
}

export interface PresenceOutcome {
  readonly state: PresenceState;
  /** The stanza was refused (see presenceChange), so changed nothing. */
  readonly ignored?: true;
}

export const PRESENCE_LIMITS = {
  statusLength: 512,
  nickLength: 128,
  resourcesPerContact: 32,
  contacts: 20_000,
  requests: 200,
} as const;

const NS_NICK = "http://jabber.org/protocol/nick";

const SHOWS: ReadonlySet<string> = new Set(["chat", "away", "xa", "dnd"]);

/**
 * What one presence stanza does: it changes at most one contact or the
 * request list. Returning the change rather than a whole new state lets the
 * store update one entry of a 5,000-contact map in place instead of copying
 * it per stanza (sign-in brings one presence per contact).
 */
export type PresenceChange =
  | {
    readonly kind: "contact";
    readonly jid: string;
    /** undefined: no resource left, the contact is offline. */
    readonly presence: ContactPresence | undefined;
    readonly seq: number;
  }
  | {
    readonly kind: "requests";
    readonly requests: ReadonlyMap<string, SubscriptionRequest>;
  }
  | { readonly kind: "none" }
  /** Refused: not a presence, no valid from, a stranger's, over a limit. */
  | { readonly kind: "ignored" };

const NONE: PresenceChange = { kind: "none" };
const IGNORED: PresenceChange = { kind: "ignored" };

/** RFC 6121 §4.7.2.2: prefer the status without xml:lang, else the first. */
function statusOf(stanza: XmlElement): string | undefined {
  const statuses = stanza.getChildren("status");
  const chosen = statuses.find((s) => s.attrs["xml:lang"] === undefined) ??
    statuses[0];
  if (chosen === undefined) return undefined;
  const text = cleanText(chosen.text(), PRESENCE_LIMITS.statusLength);
  return text === "" ? undefined : text;
}

function priorityOf(stanza: XmlElement): number {
  const text = stanza.getChildText("priority")?.trim() ?? "";
  if (!/^[+-]?\d{1,3}$/.test(text)) return 0;
  const value = Number(text);
  return value >= -128 && value <= 127 ? value : 0;
}

function showOf(stanza: XmlElement): Show {
  const text = stanza.getChildText("show")?.trim() ?? "";
  // RFC 6121 §4.7.2.1: an unknown value is treated as no show.
  return SHOWS.has(text) ? text as Show : "available";
}

function available(
  state: PresenceState,
  stanza: XmlElement,
  jid: string,
  resource: string,
): PresenceChange {
  const current = state.contacts.get(jid);
  const resources = new Map(current?.resources);
  // Past the limits a new resource or contact is refused, not tracked.
  if (
    !resources.has(resource) &&
    resources.size >= PRESENCE_LIMITS.resourcesPerContact
  ) {
    return IGNORED;
  }
  if (
    current === undefined && state.contacts.size >= PRESENCE_LIMITS.contacts
  ) {
    return IGNORED;
  }
  const seq = state.seq + 1;
  const status = statusOf(stanza);
  resources.set(resource, {
    show: showOf(stanza),
    ...(status === undefined ? {} : { status }),
    priority: priorityOf(stanza),
    seq,
  });
  return { kind: "contact", jid, presence: { resources }, seq };
}

function unavailable(
  state: PresenceState,
  jid: string,
  resource: string | undefined,
): PresenceChange {
  const current = state.contacts.get(jid);
  if (current === undefined) return NONE;
  // From the bare JID there is no one resource to drop: all of them are gone.
  if (resource === undefined) {
    return { kind: "contact", jid, presence: undefined, seq: state.seq };
  }
  if (!current.resources.has(resource)) return NONE;
  const resources = new Map(current.resources);
  resources.delete(resource);
  const presence = resources.size === 0 ? undefined : { resources };
  return { kind: "contact", jid, presence, seq: state.seq };
}

function subscribe(
  state: PresenceState,
  stanza: XmlElement,
  jid: string,
): PresenceChange {
  const requests = new Map(state.requests);
  // A repeated request (re-sent at every sign-in, RFC 6121 §3.1.3) keeps
  // its place; past the limit the oldest goes, so spam cannot hide new ones.
  if (!requests.has(jid) && requests.size >= PRESENCE_LIMITS.requests) {
    requests.delete(requests.keys().next().value as string);
  }
  const status = statusOf(stanza);
  const nick = cleanText(
    stanza.getChildText("nick", NS_NICK) ?? "",
    PRESENCE_LIMITS.nickLength,
  );
  requests.set(jid, {
    jid,
    ...(status === undefined ? {} : { status }),
    ...(nick === "" ? {} : { nick }),
  });
  return { kind: "requests", requests };
}

/** Drops a pending request: answered here, elsewhere, or withdrawn. */
export function removeRequest(
  state: PresenceState,
  jid: string,
): PresenceState {
  if (!state.requests.has(jid)) return state;
  const requests = new Map(state.requests);
  requests.delete(jid);
  return { ...state, requests };
}

/** The change one presence stanza makes to `state`; pure, never throws. */
export function presenceChange(
  state: PresenceState,
  stanza: XmlElement,
  context: PresenceContext,
): PresenceChange {
  if (!stanza.is("presence")) return IGNORED;
  // RFC 6120 §8.1.2.1: the server stamps `from`; without one it is not
  // a contact's presence.
  const from = parseJid(stanza.attrs.from);
  if (from instanceof ParseError) return IGNORED;
  const jid = from.bare;
  const own = jid === context.ownBareJid;
  const type = stanza.attrs.type ?? "available";

  if (type === "subscribe") {
    // A subscription request from ourselves is none to answer.
    if (own) return IGNORED;
    return subscribe(state, stanza, jid);
  }
  // RFC 6121 §3.3: the requester withdrew; nothing left to answer.
  if (type === "unsubscribe") {
    const next = removeRequest(state, jid);
    return next === state
      ? NONE
      : { kind: "requests", requests: next.requests };
  }
  // Answers to our own requests and probes: the roster push that follows
  // (RFC 6121 §3.1.6) carries the change; the server answers probes.
  if (type === "subscribed" || type === "unsubscribed" || type === "probe") {
    return NONE;
  }
  if (type !== "available" && type !== "unavailable" && type !== "error") {
    // RFC 6121 §4.7.1: an unknown type is ignored.
    return IGNORED;
  }
  // Presence from someone not in the roster is not tracked.
  if (!own && context.isKnown !== undefined && !context.isKnown(jid)) {
    return IGNORED;
  }
  // RFC 6121 §4.7.1 error: the contact cannot be reached (e.g.
  // remote-server-not-found), so offline rather than a stale available.
  if (type === "error") {
    return { kind: "contact", jid, presence: undefined, seq: state.seq };
  }
  if (type === "unavailable") return unavailable(state, jid, from.resource);
  return available(state, stanza, jid, from.resource ?? "");
}

/** The whole-state form of presenceChange: stanza and state in, new state out. */
export function applyPresence(
  state: PresenceState,
  stanza: XmlElement,
  context: PresenceContext,
): PresenceOutcome {
  const change = presenceChange(state, stanza, context);
  switch (change.kind) {
    case "none":
      return { state };
    case "ignored":
      return { state, ignored: true };
    case "requests":
      return { state: { ...state, requests: change.requests } };
    case "contact": {
      const contacts = new Map(state.contacts);
      if (change.presence === undefined) contacts.delete(change.jid);
      else contacts.set(change.jid, change.presence);
      return { state: { ...state, contacts, seq: change.seq } };
    }
  }
}
