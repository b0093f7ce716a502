// The chat's wire readers on literal stanzas: what they take, what they
// refuse, and that refusing is a ParseError, never a throw.
import assert from "node:assert/strict";
import { ParseError } from "../core/errors.ts";
import { parseCarbon } from "./carbon_parser.ts";
import { parseChatState } from "./chat_state_parser.ts";
import { parseMessageError } from "./message_error_parser.ts";
import { MESSAGE_LIMITS, parseDelay, parseMessage } from "./message_parser.ts";
import { cleanBody } from "./message_text.ts";
import { isStanzaId, MAX_ID_LENGTH, parseReceipt } from "./receipt_parser.ts";
import { parseXml as parse } from "../../../tests/support/xml_text.ts";

const OWN = "agent@example.com";

Deno.test("parseMessage (RFC 6121 §5, XEP-0203, XEP-0172)", async (t) => {
  await t.step("a chat with everything", () => {
    const parsed = parseMessage(parse(
      `<message xmlns="jabber:client" type="chat" id="m1" from="Bob@Example.com/desk" to="agent@example.com/web">
        <body>Hello\r\nthere</body>
        <delay xmlns="urn:xmpp:delay" stamp="2024-01-02T03:04:05.123Z"/>
        <nick xmlns="http://jabber.org/protocol/nick">Bobby</nick>
        <active xmlns="http://jabber.org/protocol/chatstates"/>
        <request xmlns="urn:xmpp:receipts"/>
      </message>`,
    ));
    assert.ok(!(parsed instanceof ParseError));
    assert.equal(parsed.type, "chat");
    assert.equal(parsed.from.bare, "bob@example.com");
    assert.equal(parsed.from.resource, "desk");
    assert.equal(parsed.to?.bare, OWN);
    assert.equal(parsed.id, "m1");
    assert.equal(parsed.body, "Hello\nthere");
    assert.equal(parsed.at, Date.UTC(2024, 0, 2, 3, 4, 5, 123));
    assert.equal(parsed.nick, "Bobby");
    assert.equal(parsed.chatState, "active");
    assert.deepEqual(parsed.receipt, { request: true });
  });

  await t.step("normal by default; the default-language body", () => {
    const parsed = parseMessage(parse(
      `<message from="bob@example.com"><body xml:lang="de">Hallo</body><body>Hi</body></message>`,
    ));
    assert.ok(!(parsed instanceof ParseError));
    assert.equal(parsed.type, "normal");
    assert.equal(parsed.body, "Hi");
    assert.equal(parsed.id, undefined);
  });

  await t.step("markup stays text; control and bidi characters go", () => {
    const parsed = parseMessage(parse(
      `<message from="bob@example.com" type="chat"><body>&lt;img src=x onerror=alert(1)&gt;\u202e\u0007 ok</body></message>`,
    ));
    assert.ok(!(parsed instanceof ParseError));
    assert.equal(parsed.body, "<img src=x onerror=alert(1)> ok");
  });

  await t.step("a bodiless chat state; a blank body is no body", () => {
    const parsed = parseMessage(parse(
      `<message from="bob@example.com/x" type="chat"><body>  </body><composing xmlns="http://jabber.org/protocol/chatstates"/></message>`,
    ));
    assert.ok(!(parsed instanceof ParseError));
    assert.equal(parsed.body, undefined);
    assert.equal(parsed.chatState, "composing");
  });

  await t.step("refused: other types, servers, bad JIDs", () => {
    for (
      const text of [
        `<message from="bob@example.com" type="groupchat"><body>x</body></message>`,
        `<message from="bob@example.com" type="headline"><body>x</body></message>`,
        `<message from="example.com" type="chat"><body>x</body></message>`,
        `<message type="chat"><body>x</body></message>`,
        `<message from="a@b@c d" type="chat"><body>x</body></message>`,
        `<presence from="bob@example.com"/>`,
      ]
    ) {
      assert.ok(parseMessage(parse(text)) instanceof ParseError, text);
    }
  });

  await t.step("an over-long id is no id; a huge body is cut", () => {
    const parsed = parseMessage(parse(
      `<message from="b@x" id="${"i".repeat(300)}"><body>${
        "a".repeat(MESSAGE_LIMITS.bodyLength + 50)
      }</body></message>`,
    ));
    assert.ok(!(parsed instanceof ParseError));
    assert.equal(parsed.id, undefined);
    assert.equal(parsed.body?.length, MESSAGE_LIMITS.bodyLength);
  });

  await t.step("delay: XEP-0082 profile only", () => {
    const delay = (stamp: string) =>
      parseDelay(parse(
        `<message><delay xmlns="urn:xmpp:delay" stamp="${stamp}"/></message>`,
      ));
    assert.equal(
      delay("2020-02-03T04:05:06+01:00"),
      Date.UTC(2020, 1, 3, 3, 5, 6),
    );
    assert.equal(delay("yesterday"), undefined);
    assert.equal(delay("2020-13-45T99:99:99Z"), undefined);
  });
});

Deno.test("cleanBody keeps lines, drops controls", () => {
  assert.equal(cleanBody(" a\tb\r\nc\u2028d\u0000 ", 100), "a\tb\nc\nd");
  assert.equal(cleanBody("😀😀😀", 2), "😀😀");
});

Deno.test("parseChatState (XEP-0085)", () => {
  const state = (children: string) =>
    parseChatState(parse(`<message>${children}</message>`));
  const NS = `xmlns="http://jabber.org/protocol/chatstates"`;
  assert.equal(state(""), undefined);
  assert.equal(state(`<paused ${NS}/>`), "paused");
  assert.equal(state(`<gone ${NS}/>`), "gone");
  assert.ok(state(`<paused ${NS}/><active ${NS}/>`) instanceof ParseError);
  assert.ok(state(`<dancing ${NS}/>`) instanceof ParseError);
  assert.equal(state(`<composing/>`), undefined, "wrong namespace");
});

Deno.test("parseReceipt (XEP-0184)", () => {
  const receipt = (children: string) =>
    parseReceipt(parse(`<message>${children}</message>`));
  const NS = `xmlns="urn:xmpp:receipts"`;
  assert.deepEqual(receipt(""), { request: false });
  assert.deepEqual(receipt(`<request ${NS}/>`), { request: true });
  assert.deepEqual(receipt(`<received ${NS} id="m1"/>`), {
    request: false,
    receivedId: "m1",
  });
  assert.ok(receipt(`<received ${NS}/>`) instanceof ParseError);
  assert.ok(
    receipt(`<received ${NS} id="a"/><request ${NS}/>`) instanceof ParseError,
    "an ack never asks for an ack (§5.4)",
  );
});

const carbon = (from: string, kind = "received") =>
  parse(
    `<message from="${from}" to="agent@example.com/web"><${kind} xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0"><delay xmlns="urn:xmpp:delay" stamp="2024-01-01T00:00:00Z"/><message type="chat" from="bob@example.com/x" to="agent@example.com/phone" id="c1"><body>hi</body></message></forwarded></${kind}></message>`,
  );

Deno.test("parseCarbon (XEP-0280)", async (t) => {
  await t.step("received and sent copies from the own bare JID", () => {
    const received = parseCarbon(carbon(OWN), OWN);
    assert.ok(received !== undefined && !(received instanceof ParseError));
    assert.equal(received.direction, "received");
    assert.equal(received.message.attrs.id, "c1");
    assert.equal(received.at, Date.UTC(2024, 0, 1));
    const sent = parseCarbon(carbon("Agent@Example.com", "sent"), OWN);
    assert.ok(sent !== undefined && !(sent instanceof ParseError));
    assert.equal(sent.direction, "sent");
  });

  await t.step(
    "forged: anyone else, a full JID, nobody (CVE-2017-5589)",
    () => {
      for (
        const from of [
          "bob@example.com",
          "agent@example.com/other",
          "example.com",
          "agent@evil.com",
        ]
      ) {
        const result = parseCarbon(carbon(from), OWN);
        assert.ok(result instanceof ParseError, from);
        assert.equal(result.condition, "forged-carbon");
      }
      const noFrom = parse(
        `<message><sent xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0"><message/></forwarded></sent></message>`,
      );
      assert.ok(parseCarbon(noFrom, OWN) instanceof ParseError);
    },
  );

  await t.step("not a carbon; malformed ones", () => {
    assert.equal(
      parseCarbon(
        parse(`<message from="${OWN}"><body>x</body></message>`),
        OWN,
      ),
      undefined,
    );
    const empty = parse(
      `<message from="${OWN}"><sent xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0"/></sent></message>`,
    );
    assert.equal(
      (parseCarbon(empty, OWN) as ParseError).condition,
      "bad-carbon",
    );
  });
});

Deno.test("parseMessageError (RFC 6120 §8.3)", () => {
  const bounce = parseMessageError(parse(
    `<message type="error" id="m1" from="bob@example.com"><body>hi</body><error type="cancel"><service-unavailable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/><text xmlns="urn:ietf:params:xml:ns:xmpp-stanzas">Nobody\u0007 here</text></error></message>`,
  ));
  assert.ok(!(bounce instanceof ParseError));
  assert.equal(bounce.from.bare, "bob@example.com");
  assert.equal(bounce.id, "m1");
  assert.deepEqual(bounce.error, {
    condition: "service-unavailable",
    text: "Nobody here",
  });
  const odd = parseMessageError(parse(
    `<message type="error" id="m2" from="b@x"><error/></message>`,
  ));
  assert.ok(!(odd instanceof ParseError));
  assert.deepEqual(odd.error, { condition: "undefined-condition" });
  assert.ok(
    parseMessageError(parse(`<message type="error" from="b@x"/>`)) instanceof
      ParseError,
  );
  assert.ok(
    parseMessageError(
      parse(`<message type="chat" id="x" from="b@x"/>`),
    ) instanceof
      ParseError,
  );
});

Deno.test("isStanzaId: 1 to MAX_ID_LENGTH characters an XML attribute can hold", () => {
  for (const id of ["a", "x".repeat(MAX_ID_LENGTH), "id-\u{1F600}-é"]) {
    assert.ok(isStanzaId(id), id);
  }
  for (
    const id of [
      undefined,
      7,
      "",
      "x".repeat(MAX_ID_LENGTH + 1),
      "a\u0000b",
      "a\tb",
      "a\ud800",
      "\udc00a",
      "a\uffff",
    ]
  ) {
    assert.ok(!isStanzaId(id), JSON.stringify(id));
  }
});
