// Whether a name imitates a contact's (issue 14, "Identity you can trust"):
// it has the same skeleton (skeleton.ts) as a contact's display name or
// address local part, and belongs to someone else — a different bare JID.
// The contact's own name under its own JID is no imitation, however it is
// written.
import { skeleton } from "./skeleton.ts";

/** A contact as the agent knows them: their bare JID and display name. */
export interface KnownContact {
  readonly jid: string;
  readonly name: string;
}

/** Contacts by the skeletons of their display names and local parts. */
export type ContactIndex = ReadonlyMap<string, readonly KnownContact[]>;

/** The local part of a bare JID (RFC 7622 §3.3), or "" for a domain JID. */
export function localPart(jid: string): string {
  const at = jid.indexOf("@");
  return at > 0 ? jid.slice(0, at) : "";
}

/** Indexes each contact under its display name's and local part's skeleton. */
export function contactIndex(contacts: Iterable<KnownContact>): ContactIndex {
  const index = new Map<string, KnownContact[]>();
  const add = (key: string, contact: KnownContact) => {
    if (key === "") return;
    const entries = index.get(key);
    if (entries === undefined) index.set(key, [contact]);
    else if (!entries.some((entry) => entry.jid === contact.jid)) {
      entries.push(contact);
    }
  };
  for (const contact of contacts) {
    add(skeleton(contact.name), contact);
    add(skeleton(localPart(contact.jid)), contact);
  }
  return index;
}

/**
 * The contact that one of `names`, shown for `jid`, imitates: same skeleton
 * as that contact's display name or local part, different JID. Undefined
 * when none does; a name with nothing visible in it imitates no one.
 */
export function imitatedContact(
  index: ContactIndex,
  jid: string,
  names: readonly string[],
): KnownContact | undefined {
  for (const name of names) {
    const key = skeleton(name);
    if (key === "") continue;
    const found = index.get(key)?.find((contact) => contact.jid !== jid);
    if (found !== undefined) return found;
  }
  return undefined;
}
