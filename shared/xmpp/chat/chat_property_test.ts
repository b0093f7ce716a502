// Property tests of the chat's wire readers and its incoming handler: on
// any message a peer, a server or a forger can send, they never throw,
// never corrupt a conversation (bounded, ids unique, states only forward),
// and a carbon not wrapped by the agent's own bare JID changes nothing.
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzzRuns } from "../../../tests/support/fuzz.ts";
import { assertPlainData } from "../../../tests/support/plain_data.ts";
import {
  ESCAPED,
  hostileText,
  hugeText,
} from "../../../tests/support/stanza_arbitrary.ts";
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import { NS_CARBONS, NS_FORWARD, parseCarbon } from "./carbon_parser.ts";
import { handleMessage, type IncomingContext } from "./chat_incoming.ts";
import type { ChatMessage } from "./chat_model.ts";
import {
  addMessage,
  CHAT_LIMITS,
  type ChatsState,
  EMPTY_CHATS,
  openChat,
} from "./chat_state.ts";
import { NS_CHATSTATES, parseChatState } from "./chat_state_parser.ts";
import { MESSAGE_LIMITS, NS_DELAY, parseMessage } from "./message_parser.ts";
import { cleanBody } from "./message_text.ts";
import { MAX_ID_LENGTH, NS_RECEIPTS, parseReceipt } from "./receipt_parser.ts";

const OWN = "agent@example.com";

const text = fc.oneof(
  fc.constantFrom("", " ", "hi", "<b>x</b>", "\u202e", "a\u0000b", "😀"),
  fc.constantFrom(...ESCAPED),
  fc.string({ unit: "binary", maxLength: 40 }),
  hostileText,
  hugeText,
);
const jid = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      OWN,
      `${OWN}/web`,
      `${OWN}/phone`,
      "Agent@Example.com",
      "bob@example.com",
      "bob@example.com/desk",
      "eve@example.com/x",
      "example.com",
      "",
    ),
  },
  { weight: 1, arbitrary: text },
);
const id = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("o1", "o2", "o3", "m1", "m2", "") },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.constant("i".repeat(MAX_ID_LENGTH + 1)) },
);
const type = fc.constantFrom(
  undefined,
  "chat",
  "normal",
  "error",
  "groupchat",
  "headline",
  "bogus",
);

function attrs(
  values: Record<string, string | undefined>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== undefined),
  ) as Record<string, string>;
}

const child: fc.Arbitrary<XmlElement> = fc.oneof(
  text.map((body) => xml("body", {}, body)),
  fc.constantFrom("active", "composing", "paused", "inactive", "gone", "x")
    .map((name) => xml(name, { xmlns: NS_CHATSTATES })),
  fc.constant(xml("request", { xmlns: NS_RECEIPTS })),
  fc.option(id, { nil: undefined }).map((of) =>
    xml("received", attrs({ xmlns: NS_RECEIPTS, id: of }))
  ),
  fc.oneof(fc.constant("2020-01-01T00:00:00Z"), text).map((stamp) =>
    xml("delay", { xmlns: NS_DELAY, stamp })
  ),
  text.map((nick) =>
    xml("nick", { xmlns: "http://jabber.org/protocol/nick" }, nick)
  ),
  fc.constantFrom("service-unavailable", "item-not-found", "text").map((c) =>
    xml(
      "error",
      { type: "cancel" },
      xml(c, { xmlns: "urn:ietf:params:xml:ns:xmpp-stanzas" }),
    )
  ),
  text.map((name) => xml("x", { xmlns: name }, name)),
);

const plainMessage: fc.Arbitrary<XmlElement> = fc.record({
  type,
  from: fc.option(jid, { nil: undefined }),
  to: fc.option(jid, { nil: undefined }),
  id: fc.option(id, { nil: undefined }),
  children: fc.array(child, { maxLength: 6 }),
}).map((m) =>
  xml(
    "message",
    attrs({ type: m.type, from: m.from, to: m.to, id: m.id }),
    ...m.children,
  )
);

function wrap(
  kind: "sent" | "received",
  from: string | undefined,
  inner: readonly XmlElement[],
  extra: readonly XmlElement[] = [],
): XmlElement {
  return xml(
    "message",
    attrs({ from, to: `${OWN}/web`, type: "chat" }),
    xml(
      kind,
      { xmlns: NS_CARBONS },
      xml("forwarded", { xmlns: NS_FORWARD }, ...inner),
    ),
    ...extra,
  );
}

const carbonOf = (from: fc.Arbitrary<string | undefined>) =>
  fc.record({
    kind: fc.constantFrom("sent" as const, "received" as const),
    from,
    inner: fc.array(plainMessage, { minLength: 0, maxLength: 2 }),
    extra: fc.array(child, { maxLength: 2 }),
  }).map((c) => wrap(c.kind, c.from, c.inner, c.extra));

const anyMessage = fc.oneof(
  plainMessage,
  carbonOf(fc.option(jid, { nil: undefined })),
  carbonOf(fc.constant(OWN)),
);

/** Outgoing messages in three states, for receipts and bounces to hit. */
function seeded(): ChatsState {
  let state = openChat(EMPTY_CHATS, "bob@example.com", true);
  for (
    const [id, s] of [["o1", "pending"], ["o2", "sent"], [
      "o3",
      "delivered",
    ]] as const
  ) {
    state = addMessage(state, "bob@example.com", {
      id,
      direction: "out",
      body: id,
      at: 1,
      state: s,
    });
  }
  return state;
}

function context(): IncomingContext {
  let n = 0;
  return {
    ownBareJid: OWN,
    now: 1_000,
    mayAnswerReceipt: () => true,
    newId: () => `gen-${++n}`,
  };
}

// The oracle, written out apart from chat_state.ts's canMove.
const FORWARD: ReadonlySet<string> = new Set([
  "pending→sent",
  "pending→delivered",
  "pending→failed",
  "sent→delivered",
  "sent→failed",
]);

function assertSound(before: ChatsState, after: ChatsState): void {
  assert.ok(after.open.length <= CHAT_LIMITS.openChats);
  assert.deepEqual(
    [...after.conversations.keys()].sort(),
    [...after.open].sort(),
  );
  assert.equal(new Set(after.open).size, after.open.length);
  if (after.active !== undefined) assert.ok(after.open.includes(after.active));
  for (const [jid, conversation] of after.conversations) {
    assert.equal(conversation.jid, jid);
    assert.ok(conversation.messages.length <= CHAT_LIMITS.messages);
    const ids = conversation.messages.map((m) => m.id);
    assert.equal(new Set(ids).size, ids.length, "ids unique");
    const was = new Map<string, ChatMessage>(
      (before.conversations.get(jid)?.messages ?? []).map((m) => [m.id, m]),
    );
    for (const message of conversation.messages) {
      assert.ok(
        message.body.length > 0 &&
          message.body.length <= MESSAGE_LIMITS.bodyLength,
      );
      if (message.direction === "in") assert.equal(message.state, "delivered");
      const old = was.get(message.id);
      if (old !== undefined && old.state !== message.state) {
        const step = `${old.state}→${message.state}`;
        assert.ok(FORWARD.has(step), step);
      }
    }
  }
}

Deno.test("parseMessage: never throws; bodies clean and bounded", () => {
  fc.assert(
    fc.property(anyMessage, (stanza) => {
      const parsed = parseMessage(stanza);
      if (parsed instanceof ParseError) return;
      assert.ok(parsed.type === "chat" || parsed.type === "normal");
      assert.ok(parsed.from.local !== undefined);
      if (parsed.body !== undefined) {
        assert.ok(parsed.body.length <= MESSAGE_LIMITS.bodyLength);
        // Only tab and line feed of the controls, and no bidi override.
        assert.doesNotMatch(
          parsed.body.replace(/[\t\n]/g, ""),
          /[\p{Cc}\u202a-\u202e]/u,
        );
      }
      if (parsed.id !== undefined) assert.ok(parsed.id.length <= MAX_ID_LENGTH);
      // The body is the wire's text cleaned, never unescaped or re-parsed:
      // "&lt;b&gt;" stays as it came (RFC 6121 §5.2.3: prefer no xml:lang).
      const bodies = stanza.getChildren("body");
      const chosen = bodies.find((b) => b.attrs["xml:lang"] === undefined) ??
        bodies[0];
      const body = chosen === undefined
        ? ""
        : cleanBody(chosen.text(), MESSAGE_LIMITS.bodyLength);
      assert.equal(parsed.body, body === "" ? undefined : body);
    }),
    fuzzRuns(13_0085),
  );
});

Deno.test("parseChatState and parseReceipt: never throw, only known values", () => {
  fc.assert(
    fc.property(anyMessage, (stanza) => {
      const state = parseChatState(stanza);
      assert.ok(
        state === undefined || state instanceof ParseError ||
          ["active", "composing", "paused", "inactive", "gone"].includes(state),
      );
      const receipt = parseReceipt(stanza);
      if (receipt instanceof ParseError) return;
      if (receipt.receivedId !== undefined) {
        assert.ok(receipt.receivedId.length > 0);
        assert.equal(receipt.request, false);
      }
    }),
    fuzzRuns(13_0184),
  );
});

Deno.test("parseCarbon: never throws; only the own bare JID's wrapper counts", () => {
  fc.assert(
    fc.property(anyMessage, (stanza) => {
      const carbon = parseCarbon(stanza, OWN);
      if (carbon === undefined || carbon instanceof ParseError) return;
      assert.equal(stanza.attrs.from?.toLowerCase(), OWN);
      assert.ok(carbon.message.is("message"));
    }),
    fuzzRuns(13_0280),
  );
});

Deno.test("handleMessage: any sequence leaves the conversations sound", () => {
  fc.assert(
    fc.property(fc.array(anyMessage, { maxLength: 12 }), (stanzas) => {
      let state = seeded();
      const ctx = context();
      for (const stanza of stanzas) {
        const next = handleMessage(state, stanza, ctx).state;
        assertSound(state, next);
        assertPlainData(next);
        state = next;
      }
    }),
    fuzzRuns(13_1000),
  );
});

Deno.test("forged carbons change nothing and ask for nothing", () => {
  const notOwn = jid.filter((from) => from.toLowerCase() !== OWN);
  fc.assert(
    fc.property(carbonOf(fc.option(notOwn, { nil: undefined })), (stanza) => {
      const before = seeded();
      const outcome = handleMessage(before, stanza, context());
      assert.equal(outcome.state, before);
      assert.equal(outcome.effects.length, 0);
    }),
    fuzzRuns(13_5589),
  );
});
