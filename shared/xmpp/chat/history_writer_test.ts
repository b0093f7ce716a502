// Writing the session's chats to a Storage: coalesced, trimmed when the
// storage is full (the chats in memory untouched), wiped on sign-out.
import assert from "node:assert/strict";
import { signal } from "@preact/signals-core";
import { MemoryStorage } from "../../../tests/support/memory_storage.ts";
import type { XmppError } from "../core/errors.ts";
import { chatKey, historyKey } from "./chat_history.ts";
import {
  addMessage,
  type ChatsState,
  closeChat,
  EMPTY_CHATS,
  openChat,
  viewChat,
} from "./chat_state.ts";
import type { Timers } from "./chat_typing.ts";
import {
  createHistoryWriter,
  type HistoryStorage,
  keepHistory,
  type PageEvents,
  restoreHistory,
} from "./history_writer.ts";

class StepTimers implements Timers {
  readonly due: (() => void)[] = [];
  setTimeout(run: () => void) {
    this.due.push(run);
    return this.due.length;
  }
  clearTimeout(handle: unknown) {
    this.due[(handle as number) - 1] = () => {};
  }
  run() {
    for (const run of this.due.splice(0)) run();
  }
}

function withMessages(count: number): ChatsState {
  let state = openChat(EMPTY_CHATS, "bob@x", true);
  for (let i = 0; i < count; i++) {
    state = addMessage(state, "bob@x", {
      id: `m${i}`,
      direction: "in",
      body: `message number ${i}`,
      at: i,
      state: "delivered",
    });
  }
  return state;
}

const ME = "me@x";
const INDEX = historyKey(ME);

function read(storage: HistoryStorage): ChatsState {
  return restoreHistory(storage, ME, (e) => assert.fail(e.message));
}

Deno.test("history writer", async (t) => {
  await t.step("a burst of 500 changes is one write", () => {
    const storage = new MemoryStorage();
    const timers = new StepTimers();
    const errors: XmppError[] = [];
    const writer = createHistoryWriter(storage, ME, {
      timers,
      onError: (e) => errors.push(e),
    });
    for (let i = 1; i <= 500; i++) writer.save(withMessages(i % 5));
    assert.equal(storage.writes, 0);
    timers.run();
    assert.equal(storage.writes, 1, "the index: the last chat has no messages");
    const back = read(storage);
    assert.equal(back.conversations.get("bob@x")?.messages.length, 0);
    assert.deepEqual(errors, []);
  });

  await t.step("a full storage: the oldest messages of the copy go", () => {
    const storage = new MemoryStorage(2_000);
    const timers = new StepTimers();
    const writer = createHistoryWriter(storage, ME, {
      timers,
      onError: () => assert.fail("it fits after trimming"),
    });
    const state = withMessages(200);
    writer.save(state);
    writer.flush();
    const kept = read(storage).conversations.get("bob@x")!.messages;
    assert.ok(kept.length > 0 && kept.length < 200);
    assert.equal(kept.at(-1)?.id, "m199", "the newest kept");
    assert.equal(
      state.conversations.get("bob@x")?.messages.length,
      200,
      "memory untouched",
    );
  });

  await t.step("storage denied: reported, nothing thrown", () => {
    const errors: XmppError[] = [];
    const denied: HistoryStorage = {
      getItem: () => {
        throw new DOMException("no", "SecurityError");
      },
      setItem: () => {
        throw new DOMException("no", "SecurityError");
      },
      removeItem: () => {
        throw new DOMException("no", "SecurityError");
      },
    };
    const writer = createHistoryWriter(denied, ME, {
      onError: (e) => errors.push(e),
    });
    writer.save(withMessages(1));
    writer.flush();
    writer.wipe();
    assert.equal(
      restoreHistory(denied, ME, (e) => errors.push(e)),
      EMPTY_CHATS,
    );
    assert.equal(errors.length, 3);
  });

  await t.step("no chats left: the key goes", () => {
    const storage = new MemoryStorage();
    const writer = createHistoryWriter(storage, ME, { onError: () => {} });
    writer.save(withMessages(1));
    writer.flush();
    writer.save(EMPTY_CHATS);
    writer.flush();
    assert.deepEqual([...storage.items.keys()], []);
  });

  await t.step("only what changed is written", () => {
    const storage = new MemoryStorage();
    const writer = createHistoryWriter(storage, ME, { onError: () => {} });
    let state = openChat(withMessages(3), "ann@x", false);
    state = addMessage(state, "ann@x", {
      id: "a1",
      direction: "in",
      body: "hi",
      at: 1,
      state: "delivered",
    });
    writer.save(state);
    writer.flush();
    assert.equal(storage.writes, 3, "two chats and the index");
    // A tab switch: the index only.
    state = viewChat(state, "ann@x");
    writer.save(state);
    writer.flush();
    assert.equal(storage.writes, 4);
    // Looking away changes nothing stored.
    writer.save(viewChat(state, undefined));
    writer.flush();
    assert.equal(storage.writes, 4);
    // A message to Bob: Bob's chat only (the index did not change).
    state = addMessage(state, "bob@x", {
      id: "b9",
      direction: "out",
      body: "more",
      at: 9,
      state: "sent",
    });
    writer.save(state);
    writer.flush();
    assert.equal(storage.writes, 5);
    assert.equal(read(storage).conversations.get("bob@x")?.messages.length, 4);
    // A closed chat's key goes.
    writer.save(closeChat(state, "ann@x"));
    writer.flush();
    assert.equal(storage.getItem(chatKey(ME, "ann@x")), null);
    assert.deepEqual(read(storage).open, ["bob@x"]);
  });

  await t.step("wipe: every key of the account, an earlier page's too", () => {
    const storage = new MemoryStorage();
    const earlier = createHistoryWriter(storage, ME, { onError: () => {} });
    earlier.save(openChat(withMessages(2), "ann@x", false));
    earlier.flush();
    storage.setItem(chatKey(ME, "ann@x"), "{corrupt");
    storage.setItem(historyKey("other@x"), "another account's");
    const errors: XmppError[] = [];
    const state = signal(restoreHistory(storage, ME, (e) => errors.push(e)));
    assert.equal(errors.length, 1, "the corrupt chat");
    assert.ok(storage.getItem(INDEX));
    const kept = keepHistory(state, storage, ME, {
      pageEvents: { addEventListener() {}, removeEventListener() {} },
      onError: () => {},
    });
    kept.wipe();
    kept[Symbol.dispose]();
    assert.deepEqual([...storage.items.keys()], [historyKey("other@x")]);
  });

  await t.step(
    "keepHistory: follows changes, flushes on pagehide, wipe stops it",
    () => {
      const storage = new MemoryStorage();
      const timers = new StepTimers();
      let pagehide: (() => void) | undefined;
      const page: PageEvents = {
        addEventListener: (_type, listener) => (pagehide = listener),
        removeEventListener: () => (pagehide = undefined),
      };
      // What an earlier page left.
      const earlier = createHistoryWriter(storage, ME, { onError: () => {} });
      earlier.save(withMessages(1));
      earlier.flush();
      storage.writes = 0;
      const state = signal(read(storage));
      const kept = keepHistory(state, storage, ME, {
        timers,
        pageEvents: page,
        onError: () => {},
      });
      assert.equal(storage.writes, 0, "what was read is not written back");
      state.value = withMessages(2);
      pagehide?.();
      assert.equal(storage.writes, 2, "the chat, and the index (unread)");
      assert.equal(
        read(storage).conversations.get("bob@x")?.messages.length,
        2,
      );
      state.value = withMessages(3);
      kept.wipe();
      timers.run();
      kept[Symbol.dispose]();
      assert.deepEqual(
        [...storage.items.keys()],
        [],
        "wiped, and not written again",
      );
      assert.equal(pagehide, undefined);
    },
  );
});
