// XEP-0363 §5's three examples and the rest, read from the iq error, from
// the <error/> xmpp.js keeps, and from a bare StanzaError.
import assert from "node:assert/strict";
import type { XmlElement } from "../core/connection.ts";
import { StanzaError } from "../core/errors.ts";
import { parseSlotError, slotErrorOf } from "./upload_error.ts";
import { parseXml as parse } from "../../../tests/support/xml_text.ts";

const STANZAS = `xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"`;
const REQUEST =
  `<request xmlns="urn:xmpp:http:upload:0" filename="my-juliet.jpg" size="23456"/>`;

function iqError(error: string): XmlElement {
  return parse(
    `<iq type="error" from="upload.example.com" id="s1">${REQUEST}${error}</iq>`,
  );
}

const TOO_LARGE = `<error type="modify">
  <not-acceptable ${STANZAS}/>
  <text ${STANZAS}>File too large. The maximum file size is 20000 bytes</text>
  <file-too-large xmlns="urn:xmpp:http:upload:0"><max-file-size>20000</max-file-size></file-too-large>
</error>`;

Deno.test("parseSlotError (XEP-0363 §5)", async (t) => {
  await t.step("file-too-large with its limit", () => {
    assert.deepEqual(parseSlotError(iqError(TOO_LARGE)), {
      refusal: { reason: "too-large", maxBytes: 20000 },
    });
  });
  await t.step("file-too-large with a limit that is no byte count", () => {
    const error = TOO_LARGE.replace("20000</max", "lots</max");
    assert.deepEqual(parseSlotError(iqError(error)).refusal, {
      reason: "too-large",
    });
  });
  // The cards word each reason themselves: the service's <text/> and the
  // retry time are not kept.
  await t.step("quota with a retry stamp", () => {
    const parsed = parseSlotError(iqError(`<error type="wait">
      <resource-constraint ${STANZAS}/>
      <text ${STANZAS}>Quota reached.</text>
      <retry xmlns="urn:xmpp:http:upload:0" stamp="2017-12-03T23:42:05Z"/>
    </error>`));
    assert.deepEqual(parsed, { refusal: { reason: "quota" } });
  });
  await t.step("quota with a malformed stamp", () => {
    const parsed = parseSlotError(iqError(`<error type="wait">
      <resource-constraint ${STANZAS}/>
      <retry xmlns="urn:xmpp:http:upload:0" stamp="tomorrow"/></error>`));
    assert.deepEqual(parsed, { refusal: { reason: "quota" } });
  });
  await t.step("not allowed", () => {
    const parsed = parseSlotError(iqError(`<error type="cancel">
      <not-allowed ${STANZAS}/>
      <text ${STANZAS}>Only &lt;b&gt;premium&lt;/b&gt;&#x202E; members</text></error>`));
    assert.deepEqual(parsed, { refusal: { reason: "not-allowed" } });
  });
  await t.step("other conditions are kept", () => {
    assert.deepEqual(
      parseSlotError(
        iqError(`<error type="cancel"><item-not-found ${STANZAS}/></error>`),
      ),
      { refusal: { reason: "other", condition: "item-not-found" } },
    );
    assert.deepEqual(parseSlotError(iqError("")), {
      refusal: { reason: "other", condition: "undefined-condition" },
    });
  });
  await t.step("the <error/> element alone", () => {
    const error = iqError(TOO_LARGE).getChild("error");
    assert.ok(error);
    assert.deepEqual(parseSlotError(error).refusal, {
      reason: "too-large",
      maxBytes: 20000,
    });
  });
});

Deno.test("slotErrorOf: a connection's StanzaError", async (t) => {
  await t.step("with xmpp.js's error as cause: the §5 details", () => {
    const element = iqError(TOO_LARGE).getChild("error");
    const error = new StanzaError("not-acceptable", "modify", "refused", {
      cause: Object.assign(new Error("not-acceptable"), { element }),
    });
    assert.deepEqual(slotErrorOf(error).refusal, {
      reason: "too-large",
      maxBytes: 20000,
    });
  });
  await t.step("without: the condition and type", () => {
    assert.deepEqual(
      slotErrorOf(
        new StanzaError("not-allowed", "cancel", "no", { text: "no" }),
      ),
      { refusal: { reason: "not-allowed" } },
    );
    assert.deepEqual(
      slotErrorOf(new StanzaError("resource-constraint", "wait", "later")),
      { refusal: { reason: "quota" } },
    );
    assert.deepEqual(
      slotErrorOf(
        new StanzaError("bad-request", "modify", "x", {
          cause: { element: "not an element" },
        }),
      ),
      { refusal: { reason: "other", condition: "bad-request" } },
    );
  });
});
