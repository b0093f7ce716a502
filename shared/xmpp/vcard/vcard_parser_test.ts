// The vCard reader on literal answers (XEP-0054 §3.1, §3.2).
import assert from "node:assert/strict";
import { Parser } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import {
  NS_VCARD,
  parseVcardResult,
  VCARD_LIMITS,
  vcardName,
  vcardRequest,
} from "./vcard_parser.ts";

/** One stanza from its XML text, as the stream parser delivers it. */
function stanza(text: string): XmlElement {
  const parser = new Parser();
  let element: XmlElement | undefined;
  parser.on("element", (el: XmlElement) => (element = el));
  parser.write(`<stream>${text}</stream>`);
  assert.ok(element, "parsed");
  return element;
}

Deno.test("vcardRequest: own card without `to`, another's to the bare JID", () => {
  const own = vcardRequest();
  assert.equal(own.attrs.type, "get");
  assert.equal(own.attrs.to, undefined);
  assert.ok(own.getChild("vCard", NS_VCARD));
  const other = vcardRequest("juliet@capulet.com");
  assert.equal(other.attrs.to, "juliet@capulet.com");
  assert.ok(other.getChild("vCard", NS_VCARD));
});

Deno.test("parseVcardResult", async (t) => {
  await t.step("XEP-0054 Example 2: FN and NICKNAME", () => {
    const names = parseVcardResult(stanza(
      `<iq type='result' id='v1' to='stpeter@jabber.org/roundabout'>
        <vCard xmlns='vcard-temp'>
          <FN>Peter Saint-Andre</FN>
          <N><FAMILY>Saint-Andre</FAMILY><GIVEN>Peter</GIVEN></N>
          <NICKNAME>stpeter</NICKNAME>
        </vCard>
      </iq>`,
    ));
    assert.deepEqual(names, {
      fullName: "Peter Saint-Andre",
      nickname: "stpeter",
    });
    assert.equal(vcardName(names as { fullName: string }), "Peter Saint-Andre");
  });

  await t.step("NICKNAME stands in when there is no FN", () => {
    const names = parseVcardResult(stanza(
      `<iq type='result' id='v2'><vCard xmlns='vcard-temp'><FN>  </FN><NICKNAME>jc</NICKNAME></vCard></iq>`,
    ));
    assert.deepEqual(names, { nickname: "jc" });
    assert.equal(vcardName(names as { nickname: string }), "jc");
  });

  await t.step("§3.1: an empty vCard or an empty result is no name", () => {
    for (
      const text of [
        `<iq type='result' id='v3'><vCard xmlns='vcard-temp'/></iq>`,
        `<iq type='result' id='v3'/>`,
      ]
    ) {
      const names = parseVcardResult(stanza(text));
      assert.deepEqual(names, {});
      assert.equal(vcardName(names as Record<string, never>), undefined);
    }
  });

  await t.step("names are cleaned and bounded", () => {
    const long = "x".repeat(VCARD_LIMITS.nameLength + 50);
    const names = parseVcardResult(stanza(
      `<iq type='result' id='v4'><vCard xmlns='vcard-temp'><FN>Eve&#x202e;lyn\n Smith</FN><NICKNAME>${long}</NICKNAME></vCard></iq>`,
    ));
    assert.ok(!(names instanceof ParseError));
    assert.equal(names.fullName, "Evelyn Smith");
    assert.equal(names.nickname?.length, VCARD_LIMITS.nameLength);
  });

  await t.step("FN in another namespace is not vcard-temp's", () => {
    const names = parseVcardResult(stanza(
      `<iq type='result' id='v5'><vCard xmlns='urn:ietf:params:xml:ns:vcard-4.0'><FN>X</FN></vCard></iq>`,
    ));
    assert.ok(names instanceof ParseError);
  });

  await t.step("an error or a request is not a result", () => {
    for (
      const text of [
        `<iq type='error' id='v6'><vCard xmlns='vcard-temp'/><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`,
        `<iq type='get' id='v7'><vCard xmlns='vcard-temp'><FN>A</FN></vCard></iq>`,
        `<message type='result'><vCard xmlns='vcard-temp'><FN>A</FN></vCard></message>`,
      ]
    ) {
      assert.ok(parseVcardResult(stanza(text)) instanceof ParseError, text);
    }
  });
});
