import assert from "node:assert/strict";
import { signal } from "@preact/signals-core";
import { xml } from "@xmpp/xml";
import { routeConnection } from "../router/routed_connection.ts";
import { FakeConnection } from "../../../tests/support/fake_connection.ts";
import {
  createRecentChats,
  RECENT_CHATS_LIMIT,
  recentChatOf,
} from "./recent_chats.ts";
import type { RosterItem } from "../roster/roster_parser.ts";

const ME = "agent@example.com";

function message(attrs: Record<string, string>, body?: string, nick?: string) {
  return xml(
    "message",
    attrs,
    body === undefined ? undefined : xml("body", {}, body),
    nick === undefined
      ? undefined
      : xml("nick", { xmlns: "http://jabber.org/protocol/nick" }, nick),
  );
}

Deno.test("recentChatOf", async (t) => {
  await t.step("a chat with a body from another user counts", () => {
    assert.deepEqual(
      recentChatOf(
        message({ from: "Bob@Example.com/desk", type: "chat" }, "hi", "Bob"),
        ME,
        5,
      ),
      { jid: "bob@example.com", nick: "Bob", at: 5 },
    );
  });
  await t.step("a normal message counts, without a nick", () => {
    assert.deepEqual(
      recentChatOf(message({ from: "bob@example.com" }, "hi"), ME, 1),
      { jid: "bob@example.com", at: 1 },
    );
  });
  await t.step("everything else is ignored", () => {
    const ignored = [
      message({ from: "bob@example.com", type: "chat" }),
      message({ from: "bob@example.com", type: "chat" }, ""),
      message({ from: "room@muc.example.com/x", type: "groupchat" }, "hi"),
      message({ from: "bob@example.com", type: "error" }, "hi"),
      message({ from: "agent@example.com/other", type: "chat" }, "hi"),
      message({ from: "example.com", type: "chat" }, "server says"),
      message({ from: "<bad>@x", type: "chat" }, "hi"),
      message({ type: "chat" }, "no sender"),
      xml("presence", { from: "bob@example.com" }),
    ];
    for (const stanza of ignored) {
      assert.equal(recentChatOf(stanza, ME, 1), undefined, String(stanza));
    }
  });
  await t.step("a hostile nick is cleaned and bounded", () => {
    const chat = recentChatOf(
      message(
        { from: "bob@example.com" },
        "hi",
        "\u202eevil\u0000" + "x".repeat(500),
      ),
      ME,
      1,
    );
    assert.ok(chat?.nick !== undefined && chat.nick.length <= 128);
    assert.ok(!chat.nick.includes("\u0000"));
  });
});

Deno.test("recent chats store", async (t) => {
  const contacts = signal<ReadonlyMap<string, RosterItem>>(new Map());
  const connection = new FakeConnection(ME);
  let now = 0;
  using store = createRecentChats(routeConnection(connection), {
    roster: { contacts },
    now: () => ++now,
  });

  await t.step("newest first, one entry per person", () => {
    connection.deliver(message({ from: "bob@example.com/a" }, "1"));
    connection.deliver(message({ from: "carol@example.com/a" }, "2"));
    connection.deliver(message({ from: "bob@example.com/b" }, "3"));
    assert.deepEqual(store.chats.value.map((c) => c.jid), [
      "bob@example.com",
      "carol@example.com",
    ]);
  });

  await t.step("more from whoever is first leaves the list as it is", () => {
    const before = store.chats.value;
    connection.deliver(message({ from: "bob@example.com/a" }, "4"));
    assert.equal(store.chats.value, before);
    // A new nickname is something shown: the list changes.
    connection.deliver(message({ from: "bob@example.com/a" }, "5", "Bobby"));
    assert.notEqual(store.chats.value, before);
    assert.equal(store.chats.value[0].nick, "Bobby");
  });

  await t.step(
    "a contact in the roster is left out, and back when removed",
    () => {
      contacts.value = new Map([["bob@example.com", {
        jid: "bob@example.com",
        groups: [],
        subscription: "none",
      }]]);
      assert.deepEqual(store.chats.value.map((c) => c.jid), [
        "carol@example.com",
      ]);
      contacts.value = new Map();
      assert.equal(store.chats.value.length, 2);
    },
  );

  await t.step("note and forget", () => {
    store.note("Dave@Example.com/desk");
    store.note("not a jid");
    assert.equal(store.chats.value[0].jid, "dave@example.com");
    store.forget("dave@example.com");
    assert.ok(!store.chats.value.some((c) => c.jid === "dave@example.com"));
  });

  await t.step("bounded", () => {
    for (let i = 0; i < RECENT_CHATS_LIMIT + 10; i++) {
      connection.deliver(message({ from: `u${i}@example.com` }, "x"));
    }
    assert.equal(store.chats.value.length, RECENT_CHATS_LIMIT);
  });

  await t.step("dispose unsubscribes", () => {
    store[Symbol.dispose]();
    connection.deliver(message({ from: "zed@example.com/a" }, "late"));
    assert.ok(!store.chats.value.some((c) => c.jid === "zed@example.com"));
  });
});
