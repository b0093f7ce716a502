// The incoming-message handler on literal stanzas: what each kind of
// message does to the conversations and which effects it asks for.
import assert from "node:assert/strict";
import type { ChatMessage } from "./chat_model.ts";
import {
  type ChatOutcome,
  handleMessage,
  type IncomingContext,
} from "./chat_incoming.ts";
import {
  addMessage,
  type ChatsState,
  EMPTY_CHATS,
  openChat,
  viewChat,
} from "./chat_state.ts";
import { parseXml as parse } from "../../../tests/support/xml_text.ts";

const OWN = "agent@example.com";
const BOB = "bob@example.com";

function context(subscribed: string[] = [BOB]): IncomingContext {
  let n = 0;
  return {
    ownBareJid: OWN,
    now: 1_000_000,
    mayAnswerReceipt: (jid) => subscribed.includes(jid),
    newId: () => `gen-${++n}`,
  };
}

function handle(
  state: ChatsState,
  text: string,
  ctx = context(),
): ChatOutcome {
  return handleMessage(state, parse(text), ctx);
}

function messagesOf(state: ChatsState, jid = BOB): readonly ChatMessage[] {
  return state.conversations.get(jid)?.messages ?? [];
}

function withOutgoing(id: string, state: ChatMessage["state"]): ChatsState {
  return addMessage(openChat(EMPTY_CHATS, BOB, true), BOB, {
    id,
    direction: "out",
    body: "hi",
    at: 1,
    state,
  });
}

const REQUEST = `<request xmlns="urn:xmpp:receipts"/>`;
const CS = `xmlns="http://jabber.org/protocol/chatstates"`;

Deno.test("handleMessage: a message from a contact", async (t) => {
  await t.step("opens the chat, adds it, notifies, answers the receipt", () => {
    const { state, effects } = handle(
      EMPTY_CHATS,
      `<message type="chat" id="m1" from="Bob@example.com/desk" to="${OWN}/web"><body>Hello</body><active ${CS}/>${REQUEST}</message>`,
    );
    assert.deepEqual(state.open, [BOB]);
    assert.equal(state.active, BOB, "none was active");
    assert.deepEqual(messagesOf(state), [{
      id: "m1",
      direction: "in",
      resource: "desk",
      body: "Hello",
      at: 1_000_000,
      state: "delivered",
    }]);
    assert.equal(state.conversations.get(BOB)?.unread, 1);
    assert.equal(state.conversations.get(BOB)?.theirState, "active");
    assert.equal(state.chatStates.get(BOB), true);
    const [incoming, receipt] = effects;
    assert.equal(incoming.type, "incoming");
    assert.equal(receipt.type, "send");
    if (receipt.type !== "send") return;
    assert.equal(receipt.stanza.attrs.to, `${BOB}/desk`);
    assert.equal(receipt.stanza.attrs.type, "chat");
    assert.equal(
      receipt.stanza.getChild("received", "urn:xmpp:receipts")?.attrs.id,
      "m1",
    );
    assert.equal(
      receipt.stanza.getChild("request", "urn:xmpp:receipts"),
      undefined,
    );
  });

  await t.step("does not take the window from the active chat", () => {
    const state = openChat(EMPTY_CHATS, "ann@example.com", true);
    const next = handle(
      state,
      `<message type="chat" from="${BOB}/x"><body>hi</body></message>`,
    ).state;
    assert.deepEqual(next.open, ["ann@example.com", BOB]);
    assert.equal(next.active, "ann@example.com");
    assert.equal(messagesOf(next)[0].id, "gen-1", "an id when none came");
  });

  await t.step(
    "XEP-0184 §8: no receipt to whom may not see our presence",
    () => {
      const { effects } = handle(
        EMPTY_CHATS,
        `<message type="chat" id="m1" from="stranger@example.com/x"><body>hi</body>${REQUEST}</message>`,
        context([]),
      );
      assert.deepEqual(effects.map((e) => e.type), ["incoming"]);
    },
  );

  await t.step("no receipt without an id or without a request", () => {
    for (
      const text of [
        `<message type="chat" from="${BOB}/x"><body>hi</body>${REQUEST}</message>`,
        `<message type="chat" id="q" from="${BOB}/x"><body>hi</body></message>`,
        `<message type="chat" id="q" from="${BOB}/x"><composing ${CS}/>${REQUEST}</message>`,
      ]
    ) {
      const { effects } = handle(openChat(EMPTY_CHATS, BOB, true), text);
      assert.ok(!effects.some((e) => e.type === "send"), text);
    }
  });

  await t.step("a duplicate is not doubled, nor notified again", () => {
    const text =
      `<message type="chat" id="m1" from="${BOB}/x"><body>hi</body></message>`;
    const first = handle(EMPTY_CHATS, text).state;
    const second = handle(first, text);
    assert.equal(messagesOf(second.state).length, 1);
    assert.equal(second.effects.length, 0);
  });

  await t.step("a viewed chat gains no unread", () => {
    const state = handle(
      viewChat(EMPTY_CHATS, BOB),
      `<message type="chat" from="${BOB}/x"><body>hi</body></message>`,
    ).state;
    assert.equal(state.conversations.get(BOB)?.unread, 0);
  });

  await t.step("chat states: typing shown, then ended by a message", () => {
    let state = openChat(EMPTY_CHATS, BOB, true);
    state = handle(
      state,
      `<message type="chat" from="${BOB}/x"><composing ${CS}/></message>`,
    ).state;
    assert.equal(state.conversations.get(BOB)?.theirState, "composing");
    assert.equal(messagesOf(state).length, 0);
    state = handle(
      state,
      `<message type="chat" from="${BOB}/x"><body>done</body></message>`,
    ).state;
    assert.equal(state.conversations.get(BOB)?.theirState, "active");
    assert.equal(state.chatStates.get(BOB), false, "XEP-0085 §5.1");
  });

  await t.step("a chat state for a closed chat opens nothing", () => {
    const { state } = handle(
      EMPTY_CHATS,
      `<message type="chat" from="${BOB}/x"><composing ${CS}/></message>`,
    );
    assert.equal(state, EMPTY_CHATS);
  });

  await t.step("a future delay stamp is not believed; a past one is", () => {
    const future = handle(
      EMPTY_CHATS,
      `<message from="${BOB}/x"><body>a</body><delay xmlns="urn:xmpp:delay" stamp="2999-01-01T00:00:00Z"/></message>`,
    ).state;
    assert.equal(messagesOf(future)[0].at, 1_000_000);
    const past = handle(
      EMPTY_CHATS,
      `<message from="${BOB}/x"><body>a</body><delay xmlns="urn:xmpp:delay" stamp="1970-01-01T00:00:01Z"/></message>`,
    ).state;
    assert.equal(messagesOf(past)[0].at, 1000);
  });

  await t.step(
    "the own account's direct messages and groupchat are ignored",
    () => {
      for (
        const text of [
          `<message type="chat" from="${OWN}/phone"><body>x</body></message>`,
          `<message type="groupchat" from="room@conf/x"><body>x</body></message>`,
        ]
      ) {
        assert.equal(handle(EMPTY_CHATS, text).state, EMPTY_CHATS);
      }
    },
  );
});

Deno.test("handleMessage: receipts and bounces", async (t) => {
  await t.step("a receipt from the contact marks our message delivered", () => {
    const { state } = handle(
      withOutgoing("o1", "sent"),
      `<message from="${BOB}/x"><received xmlns="urn:xmpp:receipts" id="o1"/></message>`,
    );
    assert.equal(messagesOf(state)[0].state, "delivered");
  });

  await t.step("a receipt from someone else changes nothing", () => {
    const before = withOutgoing("o1", "sent");
    const { state } = handle(
      before,
      `<message from="eve@example.com/x"><received xmlns="urn:xmpp:receipts" id="o1"/></message>`,
    );
    assert.equal(messagesOf(state)[0].state, "sent");
  });

  await t.step("an error bounce fails our message with its reason", () => {
    const { state } = handle(
      withOutgoing("o1", "sent"),
      `<message type="error" id="o1" from="${BOB}"><error type="cancel"><item-not-found xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></message>`,
    );
    assert.deepEqual(
      [messagesOf(state)[0].state, messagesOf(state)[0].error],
      ["failed", { condition: "item-not-found" }],
    );
  });

  await t.step(
    "an error is never answered, nor a delivered message failed",
    () => {
      const { state, effects } = handle(
        withOutgoing("o1", "delivered"),
        `<message type="error" id="o1" from="${BOB}/x">${REQUEST}<error type="cancel"/></message>`,
      );
      assert.equal(messagesOf(state)[0].state, "delivered");
      assert.equal(effects.length, 0);
    },
  );
});

function carbon(kind: "sent" | "received", from: string, inner: string) {
  return `<message from="${from}" to="${OWN}/web"><${kind} xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0">${inner}</forwarded></${kind}></message>`;
}

Deno.test("handleMessage: carbons (XEP-0280)", async (t) => {
  await t.step("sent from another client: out, its resource, sent", () => {
    const { state, effects } = handle(
      EMPTY_CHATS,
      carbon(
        "sent",
        OWN,
        `<message type="chat" id="s1" from="${OWN}/jabber" to="${BOB}"><body>from my phone</body>${REQUEST}</message>`,
      ),
    );
    assert.deepEqual(messagesOf(state), [{
      id: "s1",
      direction: "out",
      resource: "jabber",
      body: "from my phone",
      at: 1_000_000,
      state: "sent",
    }]);
    assert.equal(state.conversations.get(BOB)?.unread, 0);
    assert.equal(effects.length, 0, "no receipt for our own message");
  });

  await t.step("received by another client: in, notified, not answered", () => {
    const { state, effects } = handle(
      EMPTY_CHATS,
      carbon(
        "received",
        OWN,
        `<message type="chat" id="r1" from="${BOB}/desk" to="${OWN}/jabber"><body>hi</body>${REQUEST}</message>`,
      ),
    );
    assert.equal(messagesOf(state)[0].direction, "in");
    assert.equal(messagesOf(state)[0].resource, "desk");
    assert.deepEqual(effects.map((e) => e.type), ["incoming"]);
  });

  await t.step("forged carbons change nothing (CVE-2017-5589)", () => {
    const before = withOutgoing("o1", "sent");
    for (
      const from of [BOB, `${OWN}/evil`, "example.com", "eve@example.com"]
    ) {
      for (
        const inner of [
          `<message type="chat" id="f1" from="${OWN}/x" to="${BOB}"><body>fake</body></message>`,
          `<message type="chat" id="f2" from="${BOB}/x" to="${OWN}/x"><body>fake</body><received xmlns="urn:xmpp:receipts" id="o1"/></message>`,
        ]
      ) {
        const sent = handle(before, carbon("sent", from, inner));
        const received = handle(before, carbon("received", from, inner));
        assert.equal(sent.state, before, from);
        assert.equal(received.state, before, from);
        assert.equal(sent.rejected?.condition, "forged-carbon");
        assert.equal(received.effects.length, 0);
      }
    }
  });

  await t.step("a sent carbon not from us, a received one not to us", () => {
    const sent = handle(
      EMPTY_CHATS,
      carbon(
        "sent",
        OWN,
        `<message type="chat" from="${BOB}/x" to="eve@example.com"><body>x</body></message>`,
      ),
    );
    assert.equal(sent.state, EMPTY_CHATS);
    const received = handle(
      EMPTY_CHATS,
      carbon(
        "received",
        OWN,
        `<message type="chat" from="${BOB}/x" to="eve@example.com"><body>x</body></message>`,
      ),
    );
    assert.equal(received.state, EMPTY_CHATS);
  });
});
