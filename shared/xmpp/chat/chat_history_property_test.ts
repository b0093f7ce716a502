// Property tests of the history reader: whatever sits under the keys (any
// string, any JSON, a valid history with fields swapped for junk), reading
// never throws and gives sound conversations; what we wrote reads back.
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzzRuns } from "../../../tests/support/fuzz.ts";
import type { ChatMessage } from "./chat_model.ts";
import { readHistory, writeChat, writeIndex } from "./chat_history.ts";
import {
  addMessage,
  CHAT_LIMITS,
  type ChatsState,
  EMPTY_CHATS,
  openChat,
} from "./chat_state.ts";

function assertSound(state: ChatsState): void {
  assert.ok(state.open.length <= CHAT_LIMITS.openChats);
  assert.deepEqual([...state.conversations.keys()], state.open);
  if (state.active !== undefined) assert.ok(state.open.includes(state.active));
  for (const conversation of state.conversations.values()) {
    const ids = conversation.messages.map((m) => m.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(conversation.messages.length <= CHAT_LIMITS.messages);
    const incoming = conversation.messages.filter((m) => m.direction === "in");
    assert.ok(
      conversation.unread >= 0 && conversation.unread <= incoming.length,
    );
    for (const message of conversation.messages) {
      assert.ok(typeof message.body === "string" && message.body !== "");
      assert.ok(Number.isFinite(message.at));
      assert.notEqual(message.state, "pending", "nothing is on its way");
      if (message.direction === "in") assert.equal(message.state, "delivered");
    }
  }
}

const message: fc.Arbitrary<ChatMessage> = fc.record({
  id: fc.string({ minLength: 1, maxLength: 6 }),
  direction: fc.constantFrom("in" as const, "out" as const),
  body: fc.string({ minLength: 1, maxLength: 20 }).filter((b) =>
    b.trim() === b && b !== ""
  ),
  at: fc.integer({ min: 0, max: 2 ** 45 }),
  state: fc.constantFrom(
    "pending" as const,
    "sent" as const,
    "delivered" as const,
    "failed" as const,
  ),
}).map((m) => (m.direction === "in" ? { ...m, state: "delivered" } : m));

const chats: fc.Arbitrary<ChatsState> = fc.array(
  fc.tuple(
    fc.constantFrom("a@x", "b@x", "c@y", "d@z"),
    fc.array(message, { maxLength: 8 }),
  ),
  { maxLength: 4 },
).map((entries) => {
  let state = EMPTY_CHATS;
  for (const [jid, messages] of entries) {
    state = openChat(state, jid, false);
    for (const one of messages) state = addMessage(state, jid, one);
  }
  return state;
});

/** Replaces one value somewhere inside `value` by `junk`. */
function mutate(value: unknown, path: number[], junk: unknown): unknown {
  if (path.length === 0) return junk;
  if (Array.isArray(value) && value.length > 0) {
    const copy = value.slice();
    const at = path[0] % copy.length;
    copy[at] = mutate(copy[at], path.slice(1), junk);
    return copy;
  }
  if (typeof value === "object" && value !== null) {
    const keys = Object.keys(value);
    if (keys.length === 0) return junk;
    const key = keys[path[0] % keys.length];
    return {
      ...value,
      [key]: mutate(
        (value as Record<string, unknown>)[key],
        path.slice(1),
        junk,
      ),
    };
  }
  return junk;
}

/** The index and each chat's text, as JSON values. */
function stored(state: ChatsState): { index: unknown; chats: unknown } {
  return {
    index: JSON.parse(writeIndex(state)),
    chats: Object.fromEntries(
      [...state.conversations].map((
        [jid, chat],
      ) => [jid, JSON.parse(writeChat(chat, 1e6))]),
    ),
  };
}

/** Reads what `stored` gave (maybe mangled): absent values as no key. */
function readStored(value: unknown) {
  const text = (part: unknown) =>
    part === undefined ? null : JSON.stringify(part);
  const { index, chats } =
    (typeof value === "object" && value !== null ? value : {}) as {
      index?: unknown;
      chats?: unknown;
    };
  return readHistory(
    text(index),
    (jid) =>
      typeof chats === "object" && chats !== null
        ? text((chats as Record<string, unknown>)[jid])
        : null,
  );
}

Deno.test("readHistory: any strings are read without throwing", () => {
  fc.assert(
    fc.property(
      // A sound index too, so the chats' texts are read at all.
      fc.oneof(fc.string({ unit: "binary" }), fc.json(), chats.map(writeIndex)),
      fc.oneof(fc.string({ unit: "binary" }), fc.json()),
      (index, chat) =>
        assertSound(
          readHistory(index, () => chat).state,
        ),
    ),
    fuzzRuns(13_4001),
  );
});

Deno.test("readHistory: a history with any field replaced stays sound", () => {
  fc.assert(
    fc.property(
      chats,
      fc.array(fc.nat(20), { maxLength: 6 }),
      fc.jsonValue(),
      (state, path, junk) => {
        assertSound(readStored(mutate(stored(state), path, junk)).state);
      },
    ),
    fuzzRuns(13_4002),
  );
});

Deno.test("what writeIndex and writeChat wrote reads back, pending as failed", () => {
  fc.assert(
    fc.property(chats, (state) => {
      const back = readStored(stored(state));
      assert.equal(back.problem, undefined);
      assertSound(back.state);
      assert.deepEqual(back.state.open, state.open);
      for (const [jid, conversation] of state.conversations) {
        const read = back.state.conversations.get(jid)!;
        assert.equal(read.unread, conversation.unread);
        assert.deepEqual(
          read.messages.map((m) => [m.id, m.body, m.at, m.state]),
          conversation.messages.map((m) => [
            m.id,
            m.body,
            m.at,
            m.state === "pending" ? "failed" : m.state,
          ]),
        );
      }
    }),
    fuzzRuns(13_4003),
  );
});
