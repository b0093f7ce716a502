import assert from "node:assert/strict";
import { type ReadonlySignal, type Signal, signal } from "@preact/signals";
import type { Conversation } from "../../../shared/xmpp/chat/chat_model.ts";
import type { RosterItem } from "../../../shared/xmpp/roster/roster_parser.ts";
import { peopleOf, type PeopleSources } from "./people.ts";

function item(jid: string, name?: string): RosterItem {
  return {
    jid,
    groups: [],
    subscription: "both",
    ...(name === undefined ? {} : { name }),
  };
}

/** An account's roster, vCards and chats as plain signals. */
function sources(items: RosterItem[]) {
  const asked: string[] = [];
  const names = new Map<
    string,
    ReturnType<typeof signal<string | undefined>>
  >();
  const known = signal<ReadonlyMap<string, string>>(new Map());
  const nicks = new Map<string, Signal<Conversation>>();
  const contacts = signal<ReadonlyMap<string, RosterItem>>(
    new Map(items.map((entry) => [entry.jid, entry])),
  );
  const account: PeopleSources = {
    roster: { contacts },
    vcards: {
      known,
      nameOf(jid) {
        asked.push(jid);
        let name = names.get(jid);
        if (name === undefined) {
          names.set(jid, name = signal<string | undefined>(undefined));
        }
        return name;
      },
    },
    chats: {
      conversation(jid): ReadonlySignal<Conversation> {
        let chat = nicks.get(jid);
        if (chat === undefined) {
          nicks.set(
            jid,
            chat = signal<Conversation>({ jid, messages: [], unread: 0 }),
          );
        }
        return chat;
      },
    },
  };
  /** A vCard answer arrives. */
  function answer(jid: string, name: string) {
    account.vcards.nameOf(jid);
    names.get(jid)!.value = name;
    known.value = new Map(known.peek()).set(jid, name);
  }
  function nick(jid: string, value: string) {
    account.chats.conversation(jid);
    nicks.get(jid)!.value = { jid, messages: [], unread: 0, nick: value };
  }
  return { account, asked, answer, nick, contacts };
}

Deno.test("people: contacts by roster name, vCard, local part", () => {
  const { account, asked, answer } = sources([
    item("sam@corp", "Sam Sullivan"),
    item("sully@corp"),
  ]);
  const people = peopleOf(account);
  assert.equal(peopleOf(account), people, "one per account");
  assert.equal(people.personOf("sam@corp").name, "Sam Sullivan");
  assert.deepEqual(asked, [], "a roster name needs no vCard");
  assert.equal(people.personOf("sully@corp").name, "sully");
  assert.deepEqual(asked, ["sully@corp"]);
  answer("sully@corp", "S\u0430m Sullivan");
  const sully = people.personOf("sully@corp");
  assert.equal(sully.name, "S\u0430m Sullivan");
  assert.equal(sully.looksLike?.jid, "sam@corp");
});

Deno.test("people: a stranger by address; the chat's nick a claim; no vCard asked", () => {
  const { account, asked, nick } = sources([item("sam@corp", "Sam Sullivan")]);
  const people = peopleOf(account);
  nick("pat@x", "Pat from Billing");
  const pat = people.personOf("pat@x");
  assert.equal(pat.name, "pat@x");
  assert.equal(pat.claim, "Pat from Billing");
  // A request's own nick is the claim it carries.
  assert.equal(people.personOf("pat@x", "Patricia").claim, "Patricia");
  nick("mallory@x", "Sam Sullivan");
  const mallory = people.personOf("mallory@x");
  assert.equal(mallory.looksLike?.jid, "sam@corp");
  assert.equal(mallory.claim, undefined);
  assert.deepEqual(asked, []);
});

Deno.test("people: an imitation is told of the roster-named contact first", () => {
  const { account, answer } = sources([
    item("sully@corp"),
    item("sam@corp", "Sam Sullivan"),
  ]);
  answer("sully@corp", "Sam Sullivan");
  const people = peopleOf(account);
  assert.equal(
    people.personOf("x@evil", "Sam Sullivan").looksLike?.jid,
    "sam@corp",
  );
});

Deno.test("people: the index follows the roster", () => {
  const { account, contacts } = sources([]);
  const people = peopleOf(account);
  assert.equal(people.personOf("x@evil", "Dana").looksLike, undefined);
  contacts.value = new Map([["dana@corp", item("dana@corp", "Dana")]]);
  assert.equal(people.personOf("x@evil", "Dana").looksLike?.jid, "dana@corp");
  assert.equal(people.personOf("dana@corp").contact, true);
});
