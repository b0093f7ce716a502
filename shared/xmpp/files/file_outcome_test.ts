import assert from "node:assert/strict";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import {
  type FileOutcome,
  fileOutcomeStanza,
  parseFileOutcome,
} from "./file_outcome.ts";
import { parseXml as parse } from "../../../tests/support/xml_text.ts";

/** What the receiver sends, as the sender receives it. */
function received(stanza: XmlElement): XmlElement {
  return parse(
    stanza.toString().replace(
      "<message ",
      '<message from="bob@example.com/desk" ',
    ),
  );
}

Deno.test("fileOutcomeStanza: the exact wire format of a decline", () => {
  assert.equal(
    fileOutcomeStanza("agent@example.com/web", "d1", "o1", {
      kind: "declined",
    }).toString(),
    `<message type="chat" to="agent@example.com/web" id="d1">` +
      `<file-declined xmlns="urn:desktop-chat:file:0" id="o1"/>` +
      `<store xmlns="urn:xmpp:hints"/></message>`,
  );
});

Deno.test("file outcomes: build then parse", async (t) => {
  const outcomes: FileOutcome[] = [
    { kind: "accepted" },
    { kind: "downloaded" },
    { kind: "declined" },
    { kind: "cancelled" },
    { kind: "failed", reason: "hash-mismatch" },
    { kind: "failed", reason: "not-allowed" },
  ];
  for (const outcome of outcomes) {
    await t.step(JSON.stringify(outcome), () => {
      const parsed = parseFileOutcome(
        received(
          fileOutcomeStanza("agent@example.com/web", "x", "o1", outcome),
        ),
      );
      assert.ok(!(parsed instanceof ParseError));
      assert.equal(parsed.from.bare, "bob@example.com");
      assert.equal(parsed.offerId, "o1");
      assert.deepEqual(parsed.outcome, outcome);
    });
  }
});

Deno.test("parseFileOutcome: what it refuses or reads leniently", async (t) => {
  const NS = `xmlns="urn:desktop-chat:file:0"`;
  await t.step("an unknown failure reason reads as other", () => {
    const parsed = parseFileOutcome(parse(
      `<message type="chat" from="bob@example.com/d"><file-failed ${NS} id="o1" reason="&lt;b&gt;"/></message>`,
    ));
    assert.ok(!(parsed instanceof ParseError));
    assert.deepEqual(parsed.outcome, { kind: "failed", reason: "other" });
  });
  const cases: [string, string][] = [
    [
      `<iq type="set" from="bob@example.com/d"><file-declined ${NS} id="o1"/></iq>`,
      "not-message",
    ],
    [
      `<message type="error" from="bob@example.com/d"><file-declined ${NS} id="o1"/></message>`,
      "unsupported-type",
    ],
    [
      `<message type="chat" from="example.com"><file-declined ${NS} id="o1"/></message>`,
      "not-a-user",
    ],
    [
      `<message type="chat" from="bob@example.com/d"><file-declined ${NS}/></message>`,
      "bad-outcome",
    ],
    [
      `<message type="chat" from="bob@example.com/d"><file-declined ${NS} id="${
        "x".repeat(300)
      }"/></message>`,
      "bad-outcome",
    ],
    [
      `<message type="chat" from="bob@example.com/d"><file-declined xmlns="urn:other" id="o1"/></message>`,
      "not-outcome",
    ],
    [
      `<message type="chat" from="bob@example.com/d"><file-opened ${NS} id="o1"/></message>`,
      "not-outcome",
    ],
  ];
  for (const [text, condition] of cases) {
    await t.step(condition, () => {
      const parsed = parseFileOutcome(parse(text));
      assert.ok(parsed instanceof ParseError);
      assert.equal(parsed.condition, condition);
    });
  }
});
