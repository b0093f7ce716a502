// The chats store through a scripted connection: what goes out on send,
// typing and close, how a message's state follows the connection, receipts
// and bounces, and what the views are told. Real servers:
// tests/integration/chat_test.ts.
import assert from "node:assert/strict";
import { effect, signal } from "@preact/signals-core";
import { xml } from "@xmpp/xml";
import {
  FakeConnection,
  settle,
} from "../../../tests/support/fake_connection.ts";
import type { XmlElement } from "../core/connection.ts";
import { createFeatureRegistry } from "../features/feature_registry.ts";
import type { RosterItem } from "../roster/roster_parser.ts";
import { routeConnection } from "../router/routed_connection.ts";
import type { IncomingMessage } from "./chat_model.ts";
import { NS_CHATSTATES } from "./chat_state_parser.ts";
import { historyKey } from "./chat_history.ts";
import { createChats, type HistoryStorage } from "./chat_store.ts";
import { PAUSED_AFTER_MS, type Timers } from "./chat_typing.ts";
import { NS_RECEIPTS } from "./receipt_parser.ts";

const OWN = "agent@example.com";
const BOB = "bob@example.com";

/** Timers stepped by hand. */
class ManualTimers implements Timers {
  #next = 0;
  readonly #due = new Map<number, { at: number; run: () => void }>();
  now = 0;
  setTimeout(run: () => void, ms: number): unknown {
    const handle = ++this.#next;
    this.#due.set(handle, { at: this.now + ms, run });
    return handle;
  }
  clearTimeout(handle: unknown): void {
    this.#due.delete(handle as number);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [handle, timer] of [...this.#due]) {
      if (timer.at > this.now) continue;
      this.#due.delete(handle);
      timer.run();
    }
  }
  get pending(): number {
    return this.#due.size;
  }
}

function setup(subscription: RosterItem["subscription"] = "both") {
  const wire = new FakeConnection(OWN);
  const timers = new ManualTimers();
  const contacts = signal<ReadonlyMap<string, RosterItem>>(
    new Map([[BOB, { jid: BOB, groups: [], subscription }]]),
  );
  const noted: string[] = [];
  const features = createFeatureRegistry();
  const chats = createChats(routeConnection(wire), {
    roster: { contacts },
    features,
    recent: { note: (jid) => noted.push(jid) },
    timers,
    now: () => 42,
  });
  return { wire, timers, chats, noted, features };
}

function chatStatesSent(wire: FakeConnection): string[] {
  return wire.sent.flatMap((stanza) =>
    stanza.getChildElements()
      .filter((child) => child.attrs.xmlns === NS_CHATSTATES)
      .map((child) => child.name)
  );
}

function fromBob(...children: XmlElement[]): XmlElement {
  return xml("message", { type: "chat", from: `${BOB}/desk` }, ...children);
}

Deno.test("chats store", async (t) => {
  await t.step(
    "send: pending, then sent; the stanza XEP-0085 and XEP-0184 want",
    async () => {
      const { wire, chats, noted } = setup();
      const sending = chats.send("Bob@Example.com", "  hello\n");
      const [pending] = chats.conversation(BOB).value.messages;
      assert.equal(pending.state, "pending");
      assert.equal(pending.body, "hello");
      assert.equal(chats.active.value, BOB);
      assert.deepEqual(noted, [BOB]);
      await sending;
      assert.equal(chats.conversation(BOB).value.messages[0].state, "sent");
      const [stanza] = wire.sent;
      assert.equal(stanza.attrs.type, "chat");
      assert.equal(stanza.attrs.to, BOB);
      assert.equal(stanza.attrs.id, pending.id);
      assert.equal(stanza.getChildText("body"), "hello");
      assert.ok(stanza.getChild("active", NS_CHATSTATES));
      assert.ok(stanza.getChild("request", NS_RECEIPTS));
      chats[Symbol.dispose]();
    },
  );

  await t.step(
    "send: the stanza is on the wire before the pending message shows",
    async () => {
      const { wire, chats } = setup();
      const seen: string[] = [];
      const stop = effect(() => {
        const last = chats.conversation(BOB).value.messages.at(-1);
        if (last) seen.push(`${last.state} after ${wire.sent.length} sent`);
      });
      // The fake's send settles at once: still pending first, then sent.
      await chats.send(BOB, "hi");
      assert.deepEqual(seen, ["pending after 1 sent", "sent after 1 sent"]);
      stop();
      chats[Symbol.dispose]();
    },
  );

  await t.step(
    "incoming: the receipt is on the wire before the state changes",
    () => {
      const { wire, chats } = setup();
      const seen: number[] = [];
      const stop = effect(() => {
        if (chats.conversation(BOB).value.messages.length > 0) {
          seen.push(wire.sent.length);
        }
      });
      wire.deliver(
        xml(
          "message",
          { type: "chat", from: `${BOB}/desk`, id: "in1" },
          xml("body", {}, "hi"),
          xml("request", { xmlns: NS_RECEIPTS }),
        ),
      );
      assert.deepEqual(seen, [1]);
      stop();
      chats[Symbol.dispose]();
    },
  );

  await t.step(
    "delivered only on the contact's receipt for that id",
    async () => {
      const { wire, chats } = setup();
      await chats.send(BOB, "hi");
      const id = wire.sent[0].attrs.id!;
      wire.deliver(
        fromBob(xml("received", { xmlns: NS_RECEIPTS, id: "other" })),
      );
      assert.equal(chats.conversation(BOB).value.messages[0].state, "sent");
      wire.deliver(fromBob(xml("received", { xmlns: NS_RECEIPTS, id })));
      assert.equal(
        chats.conversation(BOB).value.messages[0].state,
        "delivered",
      );
      chats[Symbol.dispose]();
    },
  );

  await t.step(
    "failed when the send rejects",
    async () => {
      const { wire, chats } = setup();
      wire.lose();
      await chats.send(BOB, "hi");
      const [failed] = chats.conversation(BOB).value.messages;
      assert.equal(failed.state, "failed");
      assert.deepEqual(failed.error, { condition: "connection-lost" });
      assert.equal(wire.sent.length, 0);
      chats[Symbol.dispose]();
    },
  );

  await t.step("retry: same id and place, pending then sent", async () => {
    const wire = new FakeConnection(OWN);
    const routed = routeConnection(wire);
    const chats = createChats(routed, {
      roster: { contacts: signal(new Map()) },
      features: createFeatureRegistry(),
    });
    wire.lose();
    await chats.send(BOB, "one");
    const { id } = chats.conversation(BOB).value.messages[0];
    const next = new FakeConnection(OWN);
    routed.attach(next);
    const retrying = chats.retry(BOB, id);
    assert.equal(chats.conversation(BOB).value.messages[0].state, "pending");
    await retrying;
    const [message] = chats.conversation(BOB).value.messages;
    assert.deepEqual([message.id, message.state, message.error], [
      id,
      "sent",
      undefined,
    ]);
    assert.equal(next.sent[0].attrs.id, id);
    assert.equal(next.sent[0].getChildText("body"), "one");
    chats[Symbol.dispose]();
  });

  await t.step("failed when the transport reports it unsent", async () => {
    const { wire, chats } = setup();
    await chats.send(BOB, "hi");
    const id = wire.sent[0].attrs.id!;
    wire.lose([id]);
    const [message] = chats.conversation(BOB).value.messages;
    assert.deepEqual([message.state, message.error], ["failed", {
      condition: "connection-lost",
    }]);
    chats[Symbol.dispose]();
  });

  await t.step(
    "failed on a type='error' bounce, with its condition",
    async () => {
      const { wire, chats } = setup();
      await chats.send(BOB, "hi");
      const id = wire.sent[0].attrs.id!;
      wire.deliver(xml(
        "message",
        { type: "error", from: BOB, id },
        xml(
          "error",
          { type: "cancel" },
          xml("service-unavailable", {
            xmlns: "urn:ietf:params:xml:ns:xmpp-stanzas",
          }),
        ),
      ));
      const [message] = chats.conversation(BOB).value.messages;
      assert.deepEqual([message.state, message.error], ["failed", {
        condition: "service-unavailable",
      }]);
      chats[Symbol.dispose]();
    },
  );

  await t.step(
    "incoming: opened without taking the window, counted, told, answered",
    async () => {
      const { wire, chats } = setup();
      chats.openChat("ann@example.com");
      const told: IncomingMessage[] = [];
      chats.onIncoming((incoming) => told.push(incoming));
      const view = chats.conversation(BOB);
      wire.deliver(
        xml(
          "message",
          { type: "chat", from: `${BOB}/desk`, id: "in1" },
          xml("body", {}, "hello"),
          xml("request", { xmlns: NS_RECEIPTS }),
        ),
      );
      assert.deepEqual(chats.open.value, ["ann@example.com", BOB]);
      assert.equal(chats.active.value, "ann@example.com");
      assert.equal(chats.conversation(BOB), view, "the same signal per JID");
      assert.equal(view.value.unread, 1);
      assert.equal(chats.unreadChats.value, 1);
      assert.deepEqual(told.map((one) => [one.jid, one.message.body]), [[
        BOB,
        "hello",
      ]]);
      await settle();
      const receipt = wire.sent.at(-1);
      assert.equal(receipt?.attrs.to, `${BOB}/desk`);
      assert.equal(receipt?.getChild("received", NS_RECEIPTS)?.attrs.id, "in1");
      chats.view(BOB);
      assert.equal(view.value.unread, 0);
      assert.equal(chats.unreadChats.value, 0);
      chats[Symbol.dispose]();
    },
  );

  await t.step(
    "XEP-0184 §8: no receipt to a contact not seeing our presence",
    async () => {
      const { wire, chats } = setup("to");
      wire.deliver(
        xml(
          "message",
          { type: "chat", from: `${BOB}/desk`, id: "in1" },
          xml("body", {}, "hello"),
          xml("request", { xmlns: NS_RECEIPTS }),
        ),
      );
      await settle();
      assert.equal(wire.sent.length, 0);
      assert.equal(chats.conversation(BOB).value.messages.length, 1);
      chats[Symbol.dispose]();
    },
  );

  await t.step(
    "typing: composing once, paused after 5 s, active when emptied",
    () => {
      const { wire, timers, chats, noted } = setup();
      chats.openChat(BOB);
      // Opened, not yet chatted: not a Recent Chat.
      assert.deepEqual(noted, []);
      chats.typing(BOB, "h");
      chats.typing(BOB, "he");
      chats.typing(BOB, "hel");
      assert.deepEqual(chatStatesSent(wire), ["composing"]);
      timers.advance(PAUSED_AFTER_MS - 1);
      assert.deepEqual(chatStatesSent(wire), ["composing"]);
      timers.advance(1);
      assert.deepEqual(chatStatesSent(wire), ["composing", "paused"]);
      chats.typing(BOB, "hell");
      chats.typing(BOB, "");
      assert.deepEqual(chatStatesSent(wire), [
        "composing",
        "paused",
        "composing",
        "active",
      ]);
      assert.equal(timers.pending, 0);
      chats.closeChat(BOB);
      assert.equal(chatStatesSent(wire).at(-1), "gone");
      assert.deepEqual(chats.open.value, []);
      chats[Symbol.dispose]();
    },
  );

  await t.step(
    "XEP-0085 §5.1: none after a reply without chat states",
    async () => {
      const { wire, chats } = setup();
      chats.openChat(BOB);
      wire.deliver(fromBob(xml("body", {}, "old client")));
      chats.typing(BOB, "x");
      await chats.send(BOB, "x");
      chats.closeChat(BOB);
      assert.deepEqual(chatStatesSent(wire), []);
      assert.equal(wire.sent.length, 1, "the message only");
      chats[Symbol.dispose]();
    },
  );

  await t.step("their typing is shown, and a message ends it", () => {
    const { wire, chats } = setup();
    chats.openChat(BOB);
    wire.deliver(fromBob(xml("composing", { xmlns: NS_CHATSTATES })));
    assert.equal(chats.conversation(BOB).value.theirState, "composing");
    wire.deliver(
      fromBob(xml("body", {}, "hi"), xml("active", { xmlns: NS_CHATSTATES })),
    );
    assert.equal(chats.conversation(BOB).value.theirState, "active");
    chats[Symbol.dispose]();
  });

  await t.step("closeAll closes every chat; dispose stops listening", () => {
    const { wire, chats, features } = setup();
    chats.openChat(BOB);
    chats.openChat("ann@example.com");
    chats.closeAll();
    assert.deepEqual(chats.open.value, []);
    assert.equal(chats.active.value, undefined);
    chats[Symbol.dispose]();
    wire.deliver(fromBob(xml("body", {}, "after")));
    assert.deepEqual(chats.open.value, [], "no longer listening");
    assert.ok(!features.info.value.features.includes(NS_RECEIPTS));
  });

  await t.step(
    "history: restored for the same account, kept as it changes, wiped on sign-out",
    async () => {
      const items = new Map<string, string>();
      const storage: HistoryStorage = {
        getItem: (key) => items.get(key) ?? null,
        setItem: (key, value) => void items.set(key, value),
        removeItem: (key) => void items.delete(key),
      };
      const timers = new ManualTimers();
      const make = (wire: FakeConnection) =>
        createChats(routeConnection(wire), {
          roster: { contacts: signal(new Map()) },
          features: createFeatureRegistry(),
          timers,
          history: storage,
          pageEvents: {
            addEventListener: () => {},
            removeEventListener: () => {},
          },
        });
      const first = make(new FakeConnection(OWN));
      const sending = first.send(BOB, "before the refresh");
      first[Symbol.dispose](); // the page goes while it is pending
      await sending;
      assert.ok(items.has(historyKey(OWN)));

      const other = make(new FakeConnection("someone@example.com"));
      assert.deepEqual(other.open.value, [], "another account sees none");
      other[Symbol.dispose]();

      const again = make(new FakeConnection(OWN));
      assert.deepEqual(again.open.value, [BOB]);
      const [restored] = again.conversation(BOB).value.messages;
      assert.deepEqual([restored.body, restored.state, restored.error], [
        "before the refresh",
        "failed",
        { condition: "connection-lost" },
      ]);
      again.openChat("ann@example.com");
      timers.advance(1_000);
      assert.match(items.get(historyKey(OWN)) ?? "", /ann@example\.com/);
      again.wipeHistory();
      again[Symbol.dispose]();
      assert.equal(items.size, 0);
    },
  );
});
