// The conversation steps on plain data: bounds, unread, tab hand-over, and
// that a message's state only moves forward.
import assert from "node:assert/strict";
import type { ChatMessage } from "./chat_model.ts";
import {
  addMessage,
  canMove,
  CHAT_LIMITS,
  closeChat,
  EMPTY_CHATS,
  failUnsent,
  openChat,
  retryMessage,
  setMessageState,
  viewChat,
} from "./chat_state.ts";

function out(id: string, state: ChatMessage["state"] = "pending"): ChatMessage {
  return { id, direction: "out", body: id, at: 1, state };
}

function incoming(id: string): ChatMessage {
  return { id, direction: "in", body: id, at: 1, state: "delivered" };
}

Deno.test("chat state", async (t) => {
  await t.step("open: appended; active only when asked or none", () => {
    let state = openChat(EMPTY_CHATS, "a@x", false);
    assert.equal(state.active, "a@x", "none was active");
    state = openChat(state, "b@x", false);
    assert.deepEqual(state.open, ["a@x", "b@x"]);
    assert.equal(state.active, "a@x");
    state = openChat(state, "b@x", true);
    assert.equal(state.active, "b@x");
    assert.deepEqual(state.open, ["a@x", "b@x"]);
  });

  await t.step("open beyond the limit closes the oldest not shown", () => {
    let state = openChat(EMPTY_CHATS, "keep@x", true);
    for (let i = 0; i < CHAT_LIMITS.openChats; i++) {
      state = openChat(state, `u${i}@x`, false);
    }
    assert.equal(state.open.length, CHAT_LIMITS.openChats);
    assert.equal(state.open[0], "keep@x", "the active one stays");
    assert.ok(!state.open.includes("u0@x"));
    assert.equal(state.conversations.size, CHAT_LIMITS.openChats);
  });

  await t.step("close hands the window to the neighbour tab", () => {
    let state = openChat(EMPTY_CHATS, "a@x", true);
    state = openChat(state, "b@x", true);
    state = openChat(state, "c@x", false);
    state = closeChat(state, "b@x");
    assert.deepEqual(state.open, ["a@x", "c@x"]);
    assert.equal(state.active, "c@x");
    assert.equal(state.conversations.has("b@x"), false);
    state = closeChat(closeChat(state, "c@x"), "a@x");
    assert.equal(state.active, undefined);
    assert.equal(state.open.length, 0);
  });

  await t.step("unread counts unless viewed; viewing clears it", () => {
    let state = openChat(EMPTY_CHATS, "a@x", true);
    state = addMessage(state, "a@x", incoming("1"));
    state = addMessage(state, "a@x", incoming("2"));
    state = addMessage(state, "a@x", out("3"));
    assert.equal(state.conversations.get("a@x")?.unread, 2);
    state = viewChat(state, "a@x");
    assert.equal(state.conversations.get("a@x")?.unread, 0);
    state = addMessage(state, "a@x", incoming("4"));
    assert.equal(state.conversations.get("a@x")?.unread, 0);
    state = viewChat(state, undefined);
    assert.equal(state.active, "a@x", "minimised: still the active tab");
    state = addMessage(state, "a@x", incoming("5"));
    assert.equal(state.conversations.get("a@x")?.unread, 1);
  });

  await t.step(
    "a duplicate id is not added twice; closed chats get none",
    () => {
      let state = openChat(EMPTY_CHATS, "a@x", true);
      state = addMessage(state, "a@x", incoming("1"));
      assert.equal(addMessage(state, "a@x", incoming("1")), state);
      assert.equal(addMessage(state, "b@x", incoming("2")), state);
    },
  );

  await t.step("bounded: the oldest message goes", () => {
    let state = openChat(EMPTY_CHATS, "a@x", true);
    for (let i = 0; i <= CHAT_LIMITS.messages; i++) {
      state = addMessage(state, "a@x", out(String(i), "sent"));
    }
    const messages = state.conversations.get("a@x")!.messages;
    assert.equal(messages.length, CHAT_LIMITS.messages);
    assert.equal(messages[0].id, "1");
    // The dropped id may come again; a kept one may not.
    const again = addMessage(state, "a@x", out("0", "sent"));
    assert.equal(again.conversations.get("a@x")!.messages.at(-1)?.id, "0");
    assert.equal(addMessage(state, "a@x", out("5", "sent")), state);
  });

  await t.step("the duplicate check holds for older states too", () => {
    const base = addMessage(
      openChat(EMPTY_CHATS, "a@x", true),
      "a@x",
      out("1"),
    );
    // Later states derived from `base` (added, moved, retried)…
    const later = addMessage(base, "a@x", out("2"));
    const moved = setMessageState(later, "a@x", "2", "failed", {
      condition: "connection-lost",
    });
    const retried = retryMessage(moved, "a@x", "2");
    assert.equal(addMessage(retried, "a@x", out("2")), retried);
    assert.equal(addMessage(moved, "a@x", out("2")), moved);
    // …leave `base` knowing only its own ids.
    const fromBase = addMessage(base, "a@x", out("2"));
    assert.notEqual(fromBase, base);
    assert.deepEqual(
      fromBase.conversations.get("a@x")!.messages.map((m) => m.id),
      ["1", "2"],
    );
    assert.equal(addMessage(base, "a@x", out("1")), base);
    assert.equal(addMessage(later, "a@x", out("1")), later);
  });

  await t.step("states move forward only; retry is the way back", () => {
    assert.ok(canMove("pending", "sent"));
    assert.ok(canMove("sent", "delivered"));
    assert.ok(canMove("sent", "failed"));
    assert.ok(!canMove("delivered", "sent"));
    assert.ok(!canMove("delivered", "failed"));
    assert.ok(!canMove("failed", "delivered"));
    let state = addMessage(openChat(EMPTY_CHATS, "a@x", true), "a@x", out("m"));
    state = setMessageState(state, "a@x", "m", "delivered");
    state = setMessageState(state, "a@x", "m", "sent");
    assert.equal(
      state.conversations.get("a@x")?.messages[0].state,
      "delivered",
    );
    state = addMessage(state, "a@x", out("n", "sent"));
    state = failUnsent(state, new Set(["n", "m"]), {
      condition: "connection-lost",
    });
    const [m, n] = state.conversations.get("a@x")!.messages;
    assert.equal(m.state, "delivered");
    assert.deepEqual([n.state, n.error], ["failed", {
      condition: "connection-lost",
    }]);
    state = retryMessage(state, "a@x", "n");
    const retried = state.conversations.get("a@x")!.messages[1];
    assert.deepEqual(retried, out("n"));
    assert.equal(retryMessage(state, "a@x", "m"), state, "not failed");
  });

  await t.step("incoming messages are never moved", () => {
    let state = addMessage(
      openChat(EMPTY_CHATS, "a@x", true),
      "a@x",
      incoming("i"),
    );
    state = setMessageState(state, "a@x", "i", "failed");
    assert.equal(
      state.conversations.get("a@x")?.messages[0].state,
      "delivered",
    );
  });
});
