// The session's chats written for sessionStorage and read back: what
// survives, what a refresh changes (pending → failed), what a budget drops,
// and that a corrupt copy is ignored rather than trusted.
import assert from "node:assert/strict";
import type { ChatMessage } from "./chat_model.ts";
import {
  chatKey,
  historyKey,
  readHistory,
  writeChat,
  writeIndex,
} from "./chat_history.ts";
import {
  addMessage,
  type ChatsState,
  EMPTY_CHATS,
  openChat,
  setMessageState,
} from "./chat_state.ts";

function message(
  id: string,
  direction: "in" | "out",
  state: ChatMessage["state"],
  at = 1,
): ChatMessage {
  return { id, direction, body: `body ${id}`, at, state };
}

function sample(): ChatsState {
  let state = openChat(EMPTY_CHATS, "bob@x", false);
  state = openChat(state, "ann@x", true);
  state = addMessage(state, "bob@x", {
    ...message("i1", "in", "delivered", 10),
    resource: "desk",
  });
  state = addMessage(state, "bob@x", message("o1", "out", "sent", 20));
  state = addMessage(state, "bob@x", message("o2", "out", "pending", 30));
  state = addMessage(state, "ann@x", message("o3", "out", "pending", 40));
  state = setMessageState(state, "ann@x", "o3", "failed", {
    condition: "service-unavailable",
    text: "nobody",
  });
  return state;
}

/** `state` written (each chat within `budget`) and read back. */
function roundTrip(state: ChatsState, budget = 1e6) {
  const texts = new Map(
    [...state.conversations].map(([jid, chat]) => [
      jid,
      writeChat(chat, budget),
    ]),
  );
  return readHistory(writeIndex(state), (jid) => texts.get(jid) ?? null);
}

Deno.test("chat history", async (t) => {
  await t.step("per account keys", () => {
    assert.notEqual(historyKey("a@x"), historyKey("b@x"));
    assert.ok(historyKey("a@x").includes("a@x"));
    assert.notEqual(chatKey("a@x", "c@x"), chatKey("b@x", "c@x"));
    assert.notEqual(chatKey("a@x", "c@x"), chatKey("a@x", "d@x"));
  });

  await t.step("round trip: chats, order, active, unread, messages", () => {
    const state = sample();
    const { state: back, problem } = roundTrip(state);
    assert.equal(problem, undefined);
    assert.deepEqual(back.open, ["bob@x", "ann@x"]);
    assert.equal(back.active, "ann@x");
    const bob = back.conversations.get("bob@x")!;
    assert.equal(bob.unread, 1);
    assert.deepEqual(bob.messages[0], {
      ...message("i1", "in", "delivered", 10),
      resource: "desk",
    });
    assert.deepEqual(bob.messages[1], message("o1", "out", "sent", 20));
    assert.deepEqual(
      back.conversations.get("ann@x")!.messages[0].error,
      { condition: "service-unavailable", text: "nobody" },
    );
  });

  await t.step("a message pending at the refresh comes back failed", () => {
    const back = roundTrip(sample()).state;
    const pending = back.conversations.get("bob@x")!.messages[2];
    assert.deepEqual([pending.id, pending.state, pending.error], [
      "o2",
      "failed",
      { condition: "connection-lost" },
    ]);
  });

  await t.step("over budget: the oldest messages go, the chat stays", () => {
    const bob = sample().conversations.get("bob@x")!;
    const full = writeChat(bob, 1e6);
    const trimmed = writeChat(bob, full.length - 10);
    assert.ok(trimmed.length <= full.length - 10);
    const back = readHistory(
      writeIndex(sample()),
      (jid) => jid === "bob@x" ? trimmed : null,
    ).state;
    assert.deepEqual(back.open, ["bob@x", "ann@x"]);
    assert.deepEqual(
      back.conversations.get("bob@x")!.messages.map((one) => one.id),
      ["o1", "o2"],
      "i1 was the oldest",
    );
    const bare = roundTrip(sample(), 0).state;
    assert.deepEqual(bare.open, ["bob@x", "ann@x"]);
    assert.equal(bare.conversations.get("ann@x")!.messages.length, 0);
  });

  await t.step("corrupt or foreign text is ignored, never thrown", () => {
    for (
      const text of [
        "",
        "{",
        "null",
        "[]",
        '{"v":1,"c":[]}',
        '{"v":2}',
        '{"v":2,"c":{}}',
      ]
    ) {
      const { state, problem } = readHistory(text, () => null);
      assert.equal(state, EMPTY_CHATS, text);
      assert.ok(problem, text);
    }
    assert.deepEqual(readHistory(null, () => null), { state: EMPTY_CHATS });
    // A chat whose own text is corrupt or another chat's stays, empty.
    for (const text of ["{", '{"v":2,"j":"ann@x","m":[]}', '{"v":1}']) {
      const { state, problem } = readHistory(
        '{"v":2,"c":[{"j":"bob@x","u":3}]}',
        () => text,
      );
      assert.deepEqual(state.open, ["bob@x"], text);
      assert.deepEqual(state.conversations.get("bob@x")?.messages, [], text);
      assert.equal(state.conversations.get("bob@x")?.unread, 0, text);
      assert.ok(problem, text);
    }
  });

  await t.step("bad entries are dropped, the sound ones kept", () => {
    const index = JSON.stringify({
      v: 2,
      a: "nobody@x",
      c: [{ j: "Bob@X" }, { j: "a b@x" }, { j: "ann@x", u: 99 }, {
        j: "ann@x",
        u: 0,
      }],
    });
    const annText = JSON.stringify({
      v: 2,
      j: "ann@x",
      n: "Ann\u202e",
      m: [
        {
          i: "1",
          d: "in",
          b: "<b>hi</b>",
          t: 5,
          s: "failed",
          e: { c: "x" },
        },
        { i: "1", d: "in", b: "dup", t: 6, s: "delivered" },
        { i: "2", d: "sideways", b: "x", t: 1, s: "sent" },
        { i: "3", d: "out", b: "\u0000", t: 1, s: "sent" },
        { i: "4", d: "out", b: "x", t: "soon", s: "sent" },
        { i: "5", d: "out", b: "x", t: 1, s: "read" },
        { i: "6", d: "out", b: "ok", t: 1, s: "failed", e: { c: "<x>" } },
        "junk",
      ],
    });
    const asked: string[] = [];
    const { state, problem } = readHistory(index, (jid) => {
      asked.push(jid);
      return jid === "ann@x" ? annText : null;
    });
    assert.deepEqual(asked, ["ann@x"], "only sound JIDs are looked up");
    assert.equal(problem, undefined);
    assert.deepEqual(state.open, ["ann@x"]);
    assert.equal(state.active, "ann@x");
    const ann = state.conversations.get("ann@x")!;
    assert.equal(ann.nick, "Ann");
    assert.equal(ann.unread, 1, "no more than the incoming messages");
    assert.deepEqual(ann.messages, [
      {
        id: "1",
        direction: "in",
        body: "<b>hi</b>",
        at: 5,
        state: "delivered",
      },
      { id: "6", direction: "out", body: "ok", at: 1, state: "failed" },
    ]);
  });
});
