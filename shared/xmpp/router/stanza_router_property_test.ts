// Property test of the whole headless core on hostile input: an account
// built from the real stores (roster, presence, chats, recent chats,
// vCards, disco#info, ping) behind the real router, fed any sequence of
// stanzas a server, a contact or a forger can send. No handler throws (the
// router would report it), every iq request gets exactly one reply with
// its id (RFC 6120 §8.2.3), a roster push not from the own account changes
// nothing, and every store's state stays consistent and plain data.
import assert from "node:assert/strict";
import fc from "fast-check";
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { NS_ROSTER } from "../roster/roster_parser.ts";
import { ParseError } from "../core/errors.ts";
import { parseJid } from "../core/jid_parse.ts";
import { createAccount } from "../session/account.ts";
import { CHAT_LIMITS } from "../chat/chat_state.ts";
import { RECENT_CHATS_LIMIT } from "../chat/recent_chats.ts";
import { FakeConnection } from "../../../tests/support/fake_connection.ts";
import { HEADLESS } from "../../../tests/support/account_options.ts";
import { fuzzRuns } from "../../../tests/support/fuzz.ts";
import { assertPlainData } from "../../../tests/support/plain_data.ts";
import {
  anyStanza,
  anyTree,
  hostileText,
  hugeText,
  JIDS,
  jidText,
  NS,
  OWN_JID,
  stanzaOf,
} from "../../../tests/support/stanza_arbitrary.ts";

const CONTACTS = ["bob@example.com", "carol@example.com"];
const WATCHED = [...CONTACTS, OWN_JID, "eve@evil.example", ...JIDS];

const text = fc.oneof(
  { weight: 8, arbitrary: hostileText },
  { weight: 1, arbitrary: hugeText },
);

/** Payloads of the features the account serves, shaped as on the wire. */
const payload: fc.Arbitrary<XmlElement | string> = fc.oneof(
  text.map((body) => xml("body", {}, body)),
  fc.constantFrom("active", "composing", "paused", "inactive", "gone")
    .map((state) => xml(state, { xmlns: NS.chatStates })),
  fc.constant(xml("request", { xmlns: NS.receipts })),
  fc.constantFrom("o1", "a1", "").map((id) =>
    xml("received", { xmlns: NS.receipts, id })
  ),
  text.map((nick) => xml("nick", { xmlns: NS.nick }, nick)),
  fc.oneof(fc.constant("2020-01-01T00:00:00Z"), hostileText).map((stamp) =>
    xml("delay", { xmlns: NS.delay, stamp })
  ),
  fc.tuple(
    jidText,
    text,
    fc.array(text, { maxLength: 2 }),
    fc.constantFrom("both", "none", "remove", "to"),
  )
    .map(([jid, name, groups, subscription]) =>
      xml(
        "query",
        { xmlns: NS_ROSTER },
        xml(
          "item",
          { jid, name, subscription },
          ...groups.map((g) => xml("group", {}, g)),
        ),
      )
    ),
  fc.option(hostileText, { nil: undefined }).map((node) =>
    xml(
      "query",
      node === undefined
        ? { xmlns: NS.discoInfo }
        : { xmlns: NS.discoInfo, node },
    )
  ),
  fc.constant(xml("ping", { xmlns: NS.ping })),
  fc.tuple(fc.constantFrom("sent", "received"), jidText, text).map((
    [kind, from, body],
  ) =>
    xml(
      kind,
      { xmlns: NS.carbons },
      xml(
        "forwarded",
        { xmlns: NS.forward },
        xml(
          "message",
          { from, to: OWN_JID, type: "chat", id: "c1" },
          xml("body", {}, body),
        ),
      ),
    )
  ),
  fc.tuple(fc.constantFrom("show", "status", "priority"), text).map((
    [name, value],
  ) => xml(name, {}, value)),
  text.map((photo) =>
    xml("x", { xmlns: NS.vcardUpdate }, xml("photo", {}, photo))
  ),
  anyTree,
);

/** iq requests: one payload (or none, or two), type get or set. */
const request = fc.tuple(
  stanzaOf(payload, ["iq"]),
  fc.constantFrom("get", "set"),
).map(([iq, type]) => xml("iq", { ...iq.attrs, type }, ...iq.children));

const stanza = fc.oneof(
  { weight: 6, arbitrary: stanzaOf(payload) },
  { weight: 3, arbitrary: request },
  { weight: 1, arbitrary: anyStanza },
);

/**
 * Lets the router's reply go out: the handlers answer from memory (the
 * caps hash is computed at sync), so a few promise hops suffice, and a
 * missing reply is a failure, not a wait.
 */
async function flush(): Promise<void> {
  for (let hop = 0; hop < 50; hop++) await Promise.resolve();
}

/** The roster the account starts with: the contacts, named by anyone. */
const rosterResult = fc.array(
  fc.tuple(
    fc.oneof(fc.constantFrom(...CONTACTS), jidText),
    text,
    fc.array(text, { maxLength: 2 }),
  ),
  { maxLength: 6 },
).map((items) =>
  xml(
    "query",
    { xmlns: NS_ROSTER },
    ...items.map(([jid, name, groups]) =>
      xml(
        "item",
        { jid, name, subscription: "both" },
        ...groups.map((g) => xml("group", {}, g)),
      )
    ),
  )
);

/** RFC 6121 §2.1.6, written out apart from roster_state.ts: not our account. */
function isForeign(from: string | undefined): boolean {
  if (from === undefined) return false;
  const jid = parseJid(from);
  return jid instanceof ParseError || jid.resource !== undefined ||
    jid.bare !== OWN_JID;
}

function assertSound(account: ReturnType<typeof createAccount>): void {
  const contacts = account.roster.contacts.value;
  for (const [jid, item] of contacts) assert.equal(item.jid, jid);
  let memberships = 0;
  for (const item of contacts.values()) {
    memberships += Math.max(1, item.groups.length);
  }
  let listed = 0;
  for (const group of account.roster.groups.value) {
    assert.ok(
      group.count > 0 && group.count === group.contacts.length,
      `group ${group.name}`,
    );
    for (const contact of group.contacts) {
      assert.equal(contacts.get(contact.jid), contact);
    }
    listed += group.count;
  }
  assert.equal(listed, memberships, "no orphan group, no contact missing");

  const open = account.chats.open.value;
  assert.equal(new Set(open).size, open.length, "one tab per chat");
  assert.ok(open.length <= CHAT_LIMITS.openChats);
  const active = account.chats.active.value;
  assert.ok(active === undefined || open.includes(active));
  let unread = 0;
  for (const jid of open) {
    const conversation = account.chats.conversation(jid).value;
    assert.equal(conversation.jid, jid);
    const ids = conversation.messages.map((m) => m.id);
    assert.equal(new Set(ids).size, ids.length, "message ids unique");
    assert.ok(conversation.messages.length <= CHAT_LIMITS.messages);
    for (const message of conversation.messages) {
      assert.ok(message.body !== "" && typeof message.body === "string");
    }
    if (conversation.unread > 0) unread++;
    assertPlainData(conversation, `conversation(${jid})`);
  }
  assert.equal(account.chats.unreadChats.value, unread, "unread count matches");

  const recent = account.recent.chats.value;
  assert.ok(recent.length <= RECENT_CHATS_LIMIT);
  assert.equal(new Set(recent.map((r) => r.jid)).size, recent.length);

  assertPlainData({
    contacts,
    groups: account.roster.groups.value,
    requests: account.presence.requests.value,
    presence: WATCHED.map((jid) => account.presence.presenceOf(jid).value),
    open,
    recent,
    vcards: account.vcards.known.value,
  });
}

Deno.test("the account on any stanza sequence: no throw, one reply per iq, sound stores", async () => {
  const logged: unknown[][] = [];
  const { error: consoleError, warn: consoleWarn } = console;
  // The router reports a handler that threw through console.error; the
  // chat store warns of each refused stanza, which is expected here.
  console.error = (...args: unknown[]) => logged.push(args);
  let warnings = 0;
  console.warn = () => warnings++;
  let replies = 0;
  try {
    await fc.assert(
      fc.asyncProperty(
        rosterResult,
        fc.array(stanza, { minLength: 1, maxLength: 8 }),
        async (roster, stanzas) => {
          const wire = new FakeConnection(OWN_JID);
          using account = createAccount(wire, { service: "s", ...HEADLESS });
          const syncing = account.sync();
          for (const iq of wire.takeIqs()) {
            if (iq.request.getChild("query", NS_ROSTER)) iq.result(roster);
            else iq.result();
          }
          await syncing;
          for (const jid of CONTACTS) account.chats.openChat(jid);
          for (const one of stanzas) {
            const sentBefore = wire.sent.length;
            const rosterBefore = account.roster.contacts.value;
            wire.deliver(one);
            await flush();
            // A vCard or roster get the stores ask in answer stays unanswered.
            wire.takeIqs();
            const type = one.attrs.type;
            const answers = wire.sent.slice(sentBefore).filter((s) =>
              s.name === "iq" &&
              (s.attrs.type === "result" || s.attrs.type === "error")
            );
            if (one.name === "iq" && (type === "get" || type === "set")) {
              assert.equal(answers.length, 1, "exactly one reply");
              // Without an id the connection gives the reply one.
              if (one.attrs.id !== undefined) {
                assert.equal(answers[0].attrs.id, one.attrs.id);
              }
              assert.equal(answers[0].attrs.to, one.attrs.from);
              replies++;
            } else assert.equal(answers.length, 0, "no reply to a non-request");
            if (
              one.name === "iq" && one.attrs.type === "set" &&
              one.getChild("query", NS_ROSTER) !== undefined &&
              isForeign(one.attrs.from)
            ) {
              assert.equal(
                account.roster.contacts.value,
                rosterBefore,
                "forged push refused",
              );
            }
            assert.deepEqual(logged, [], "no handler threw");
            assertSound(account);
          }
        },
      ),
      fuzzRuns(6120_0001),
    );
  } finally {
    console.error = consoleError;
    console.warn = consoleWarn;
  }
  assert.ok(replies >= 300, `${replies} iq requests answered`);
  assert.ok(warnings > 0, "refused stanzas were reached");
});
