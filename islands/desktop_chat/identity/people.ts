// Who each person is, from the account's live signals: the one place the
// views ask (issue 14). The rule itself is shared/xmpp/identity/person.ts;
// this feeds it the roster, the vCards of contacts and the contacts' index.
import { computed, type ReadonlySignal, untracked } from "@preact/signals";
import {
  type ContactIndex,
  contactIndex,
  type KnownContact,
  localPart,
} from "../../../shared/xmpp/identity/imitation.ts";
import {
  describePerson,
  type Person,
} from "../../../shared/xmpp/identity/person.ts";
import type { ChatsModel } from "../../../shared/xmpp/chat/chat_model.ts";
import type { RosterModel } from "../../../shared/xmpp/roster/roster_store.ts";
import type { VcardModel } from "../../../shared/xmpp/vcard/vcard_store.ts";

/** What people.ts reads of an account (a test gives a stand-in). */
export interface PeopleSources {
  readonly roster: Pick<RosterModel, "contacts">;
  readonly vcards: VcardModel;
  readonly chats: Pick<ChatsModel, "conversation">;
}

export interface People {
  /** Every contact's display name and local part, by skeleton. */
  readonly index: ReadonlySignal<ContactIndex>;
  /**
   * The person `jid` is. Reads signals: a component calling it re-renders
   * when the roster, a vCard or the index changes. `claim` is the name a
   * non-contact gave (a request's or Recent Chats' nick, a directory
   * entry); without one, their chat's last XEP-0172 nick.
   */
  personOf(jid: string, claim?: string): Person;
  /** The same without subscribing (a notification's title). */
  personNow(jid: string, claim?: string): Person;
}

const cache = new WeakMap<PeopleSources, People>();

/** One per account, so every view shares one index. */
export function peopleOf(account: PeopleSources): People {
  let people = cache.get(account);
  if (people === undefined) {
    people = createPeople(account);
    cache.set(account, people);
  }
  return people;
}

function createPeople({ roster, vcards, chats }: PeopleSources): People {
  // vCard names only as far as they are known: indexing must not ask the
  // server for every contact's vCard. A contact's vCard is asked for when
  // a view shows them by name (personOf), as before.
  const index = computed(() => {
    const known = vcards.known.value;
    const named: KnownContact[] = [];
    const others: KnownContact[] = [];
    for (const [jid, item] of roster.contacts.value) {
      const rosterName = item.name?.trim();
      if (rosterName) named.push({ jid, name: rosterName });
      else others.push({ jid, name: known.get(jid) || localPart(jid) || jid });
    }
    // The agent's own names first: someone who imitates both the real Sam
    // and a contact whose vCard copies him is told of the real one.
    return contactIndex([...named, ...others]);
  });

  function personOf(jid: string, claim?: string): Person {
    const item = roster.contacts.value.get(jid);
    if (item !== undefined) {
      const named = item.name?.trim();
      return describePerson(jid, {
        contact: true,
        ...(named ? { rosterName: named } : {
          vcardName: vcards.nameOf(jid).value,
        }),
      }, index.value);
    }
    // A stranger's vCard is never asked for: it would be their claim too.
    const said = claim ?? chats.conversation(jid).value.nick;
    return describePerson(
      jid,
      { contact: false, ...(said === undefined ? {} : { claim: said }) },
      index.value,
    );
  }

  return {
    index,
    personOf,
    personNow: (jid, claim) => untracked(() => personOf(jid, claim)),
  };
}
