// Who someone is, as the desktop shows them (issue 14, "Identity you can
// trust"). A name is only ever one the agent can trust: the agent's own
// roster name for the contact (RFC 6121 §2.1.2.4), else — for contacts
// only — the contact's vCard FN (XEP-0054 §3), else the contact's address
// local part. Anyone not in the roster is shown by their bare address; a
// nickname they picked themselves (XEP-0172 in a message or a subscription
// request, a directory entry) is only ever their claim, labelled as such,
// and dropped when it imitates a contact: then the warning says it better.
import {
  type ContactIndex,
  imitatedContact,
  type KnownContact,
  localPart,
} from "./imitation.ts";

export interface PersonSources {
  /** In the agent's roster (any subscription state). */
  readonly contact: boolean;
  /** The roster item's name. */
  readonly rosterName?: string;
  /** The vCard's name; read for contacts only. */
  readonly vcardName?: string;
  /** A name the person gave themselves; shown for non-contacts only. */
  readonly claim?: string;
}

export interface Person {
  /** Bare JID. */
  readonly jid: string;
  readonly contact: boolean;
  /** The primary, bold line: a trusted name, or a stranger's address. */
  readonly name: string;
  /** Where `name` comes from (a contact's local part counts as address). */
  readonly source: "roster" | "vcard" | "address";
  /** A stranger's self-chosen name, to show as a claim ("Says …"). */
  readonly claim?: string;
  /** The contact this person's name or address imitates. */
  readonly looksLike?: KnownContact;
}

export const NOT_IN_CONTACTS = "Not in your contacts";

/** The flag's words, wherever the person appears. */
export function looksLikeText(contact: KnownContact): string {
  return `Looks like ${contact.name} — check the address`;
}

/** A stranger's self-chosen name, never shown as their name. */
export function claimText(claim: string): string {
  return `Says “${claim}”`;
}

/**
 * The second line for a person, in words: the flag first (it is what the
 * agent must not miss), then "Not in your contacts", then a claim.
 */
export function personNotes(person: Person): readonly string[] {
  const notes: string[] = [];
  if (person.looksLike) notes.push(looksLikeText(person.looksLike));
  if (!person.contact) notes.push(NOT_IN_CONTACTS);
  if (person.claim !== undefined) notes.push(claimText(person.claim));
  return notes;
}

/** Everything about a person in one line: a title or an accessible name. */
export function personLabel(person: Person): string {
  const address = person.name === person.jid ? [] : [person.jid];
  return [person.name, ...address, ...personNotes(person)].join(", ");
}

/**
 * A notification outside the page (text only, often cut short): who in the
 * title, marked when no contact; the flag as the body's first line.
 */
export function alertText(
  person: Person,
  body: string,
): { readonly title: string; readonly body: string } {
  const title = person.contact
    ? person.name
    : `${person.name} (not in your contacts)`;
  return {
    title,
    body: person.looksLike
      ? `⚠ ${looksLikeText(person.looksLike)}\n${body}`
      : body,
  };
}

function present(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
}

/** The person `jid` is, from what is known of them and of the contacts. */
export function describePerson(
  jid: string,
  sources: PersonSources,
  index: ContactIndex,
): Person {
  if (sources.contact) {
    const rosterName = present(sources.rosterName);
    if (rosterName !== undefined) {
      // The agent's own word: never flagged.
      return { jid, contact: true, name: rosterName, source: "roster" };
    }
    const vcardName = present(sources.vcardName);
    if (vcardName !== undefined) {
      // The contact chose this name: it may copy another contact's.
      const looksLike = imitatedContact(index, jid, [vcardName]);
      return {
        jid,
        contact: true,
        name: vcardName,
        source: "vcard",
        ...(looksLike === undefined ? {} : { looksLike }),
      };
    }
    return {
      jid,
      contact: true,
      name: localPart(jid) || jid,
      source: "address",
    };
  }
  const claim = present(sources.claim);
  const looksLike = imitatedContact(
    index,
    jid,
    claim === undefined ? [localPart(jid)] : [localPart(jid), claim],
  );
  if (looksLike !== undefined) {
    return { jid, contact: false, name: jid, source: "address", looksLike };
  }
  return {
    jid,
    contact: false,
    name: jid,
    source: "address",
    ...(claim === undefined ? {} : { claim }),
  };
}
