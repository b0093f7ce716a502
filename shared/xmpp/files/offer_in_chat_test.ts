// A file offer seen by the chat's incoming handler (chat_incoming.ts): its
// body is only XEP-0447 §3.1's fallback link, so it is no chat message,
// but its receipt request is answered as any content message's
// (XEP-0184 §5.4); a carbon of an offer adds nothing either. A plain link
// and an offer the files store would refuse outright stay chat text.
import assert from "node:assert/strict";
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { handleMessage, type IncomingContext } from "../chat/chat_incoming.ts";
import { EMPTY_CHATS } from "../chat/chat_state.ts";
import { NS_RECEIPTS } from "../chat/receipt_parser.ts";
import { fileOfferStanza, NS_OOB } from "./file_offer.ts";

const OWN = "agent@example.com";
const BOB = "bob@example.com";
const URL = "https://files.example.com/a.pdf";
const NS_CARBONS = "urn:xmpp:carbons:2";
const NS_FORWARD = "urn:xmpp:forward:0";

const context: IncomingContext = {
  ownBareJid: OWN,
  now: 1_000,
  mayAnswerReceipt: (jid) => jid === BOB,
  newId: () => "gen",
};

function from(stanza: XmlElement, sender: string): XmlElement {
  (stanza.attrs as Record<string, string>).from = sender;
  return stanza;
}

function offer(sender = `${BOB}/pc`): XmlElement {
  return from(
    fileOfferStanza({
      to: OWN,
      id: "offer-1",
      url: URL,
      name: "a.pdf",
      size: 3,
      mediaType: "application/pdf",
      sha256: btoa("x".repeat(32)),
    }),
    sender,
  );
}

Deno.test("an offer is no chat message, but opens the chat and alerts; its receipt is answered", () => {
  const outcome = handleMessage(EMPTY_CHATS, offer(), context);
  // A tab, as a message opens one (active only as the first chat), no text.
  assert.deepEqual(outcome.state.open, [BOB]);
  assert.equal(outcome.state.active, BOB);
  assert.deepEqual(outcome.state.conversations.get(BOB)?.messages, []);
  const [incoming, receipt] = outcome.effects;
  assert.ok(incoming.type === "incoming");
  assert.equal(incoming.incoming.jid, BOB);
  assert.deepEqual(incoming.incoming.file, { name: "a.pdf" });
  assert.equal(incoming.incoming.message.id, "offer-1");
  assert.ok(receipt.type === "send");
  assert.equal(receipt.stanza.attrs.to, `${BOB}/pc`);
  assert.equal(
    receipt.stanza.getChild("received", NS_RECEIPTS)?.attrs.id,
    "offer-1",
  );
  // XEP-0184 §8: no receipt to who may not see our presence.
  const stranger = handleMessage(
    EMPTY_CHATS,
    offer("eve@example.com/x"),
    context,
  );
  assert.deepEqual(
    stranger.effects.map((effect) => effect.type),
    ["incoming"],
  );
});

Deno.test("a bare oob link from another client is an offer too", () => {
  const oob = from(
    xml(
      "message",
      { type: "chat", id: "m1", to: OWN },
      xml("body", {}, URL),
      xml("x", { xmlns: NS_OOB }, xml("url", {}, URL)),
    ),
    `${BOB}/phone`,
  );
  const outcome = handleMessage(EMPTY_CHATS, oob, context);
  assert.deepEqual(outcome.state.conversations.get(BOB)?.messages, []);
  assert.deepEqual(
    outcome.effects.map((effect) => effect.type),
    ["incoming"],
  );
});

Deno.test("an oob link with words in its body: the words are chat text", () => {
  // XEP-0066 §3's own example: a remark, the link beside it. The files
  // store shows the card; the chat keeps what the sender wrote.
  const remark = from(
    xml(
      "message",
      { type: "chat", id: "m3", to: OWN },
      xml("body", {}, `The slides: ${URL}`),
      xml("x", { xmlns: NS_OOB }, xml("url", {}, URL)),
    ),
    `${BOB}/phone`,
  );
  const outcome = handleMessage(EMPTY_CHATS, remark, context);
  const messages = outcome.state.conversations.get(BOB)?.messages ?? [];
  assert.deepEqual(messages.map((m) => m.body), [`The slides: ${URL}`]);
  const [incoming] = outcome.effects;
  assert.ok(incoming.type === "incoming");
  assert.equal(incoming.incoming.file, undefined);
});

Deno.test("a link that is no usable offer stays chat text", () => {
  const plain = from(
    xml(
      "message",
      { type: "chat", id: "m2", to: OWN },
      xml("body", {}, "see ftp://x.example/a"),
      xml("x", { xmlns: NS_OOB }, xml("url", {}, "ftp://x.example/a")),
    ),
    `${BOB}/pc`,
  );
  const outcome = handleMessage(EMPTY_CHATS, plain, context);
  const messages = outcome.state.conversations.get(BOB)?.messages ?? [];
  assert.deepEqual(messages.map((m) => m.body), ["see ftp://x.example/a"]);
});

Deno.test("a carbon of an offer adds no chat message", () => {
  for (const kind of ["sent", "received"] as const) {
    const inner = kind === "sent" ? from(offer(), `${OWN}/phone`) : offer();
    if (kind === "sent") (inner.attrs as Record<string, string>).to = BOB;
    const carbon = from(
      xml(
        "message",
        { to: `${OWN}/desk`, type: "chat" },
        xml(
          kind,
          { xmlns: NS_CARBONS },
          xml("forwarded", { xmlns: NS_FORWARD }, inner),
        ),
      ),
      OWN,
    );
    const outcome = handleMessage(EMPTY_CHATS, carbon, context);
    assert.deepEqual([outcome.state, outcome.effects], [EMPTY_CHATS, []], kind);
  }
});
