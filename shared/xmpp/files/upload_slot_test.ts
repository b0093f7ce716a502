// XEP-0363 §4 on literal stanzas: the request we send, the slots we take.
import assert from "node:assert/strict";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import { parseUploadSlot, slotRequestStanza } from "./upload_slot.ts";
import { parseXml as parse } from "../../../tests/support/xml_text.ts";

const PUT = "https://upload.example.com/4a77/my-juliet.jpg";
const GET = "https://download.example.com/4a77/my-juliet.jpg";

function slot(put: string, get = GET, headers = ""): XmlElement {
  return parse(
    `<iq type="result" from="upload.example.com" id="s1">
      <slot xmlns="urn:xmpp:http:upload:0">
        <put url="${put}">${headers}</put>
        <get url="${get}"/>
      </slot>
    </iq>`,
  );
}

Deno.test("slotRequestStanza (XEP-0363 §4)", () => {
  assert.equal(
    slotRequestStanza({
      service: "upload.example.com",
      name: "my-juliet.jpg",
      size: 23456,
      mediaType: "image/jpeg",
    }).toString(),
    `<iq type="get" to="upload.example.com"><request ` +
      `xmlns="urn:xmpp:http:upload:0" filename="my-juliet.jpg" size="23456" ` +
      `content-type="image/jpeg"/></iq>`,
  );
  assert.equal(
    slotRequestStanza({ service: "u.example", name: "a", size: 1 }).toString(),
    `<iq type="get" to="u.example"><request xmlns="urn:xmpp:http:upload:0" ` +
      `filename="a" size="1"/></iq>`,
  );
});

Deno.test("parseUploadSlot (XEP-0363 §4)", async (t) => {
  await t.step("the XEP's example: Host is ignored", () => {
    const parsed = parseUploadSlot(
      slot(
        PUT,
        GET,
        `<header name="Authorization">Basic Base64String==</header>
         <header name="Host">montague.tld</header>`,
      ),
      false,
    );
    assert.deepEqual(parsed, {
      putUrl: PUT,
      headers: [{ name: "Authorization", value: "Basic Base64String==" }],
      getUrl: GET,
    });
  });
  await t.step("allowed headers in any case, newlines stripped", () => {
    const parsed = parseUploadSlot(
      slot(
        PUT,
        GET,
        `<header name="cookie">a=1;&#13;&#10;X-Evil: 1</header>
         <header name=" EXPIRES ">Tue, 01 Jan 2030 00:00:00 GMT</header>
         <header name="Content-Length">1</header>
         <header>nameless</header>`,
      ),
      false,
    );
    assert.ok(!(parsed instanceof ParseError));
    assert.deepEqual(parsed.headers, [
      { name: "Cookie", value: "a=1;X-Evil: 1" },
      { name: "Expires", value: "Tue, 01 Jan 2030 00:00:00 GMT" },
    ]);
  });
  await t.step("a header value fetch cannot send is refused", () => {
    for (const value of ["caf\u00e9 \u2603", "a\u0001b", "x".repeat(5000)]) {
      const parsed = parseUploadSlot(
        slot(PUT, GET, `<header name="Authorization">${value}</header>`),
        false,
      );
      assert.ok(parsed instanceof ParseError, value.slice(0, 10));
      assert.equal(parsed.condition, "bad-slot");
    }
  });
  await t.step("plain http only when allowed, loopback too", () => {
    const http = "http://127.0.0.1:5280/x";
    assert.ok(parseUploadSlot(slot(http, GET), false) instanceof ParseError);
    assert.ok(parseUploadSlot(slot(PUT, http), false) instanceof ParseError);
    assert.ok(!(parseUploadSlot(slot(http, http), true) instanceof ParseError));
  });
  await t.step("refusals", () => {
    const cases = [
      `<iq type="result"/>`,
      `<iq type="result"><slot xmlns="urn:xmpp:http:upload"><put url="${PUT}"/><get url="${GET}"/></slot></iq>`,
      `<iq type="result"><slot xmlns="urn:xmpp:http:upload:0"><get url="${GET}"/></slot></iq>`,
      `<iq type="result"><slot xmlns="urn:xmpp:http:upload:0"><put url="${PUT}"/></slot></iq>`,
      `<iq type="result"><slot xmlns="urn:xmpp:http:upload:0"><put>${PUT}</put><get>${GET}</get></slot></iq>`,
    ];
    for (const text of cases) {
      const parsed = parseUploadSlot(parse(text), true);
      assert.ok(parsed instanceof ParseError, text);
      assert.equal(parsed.condition, "bad-slot");
    }
    assert.ok(
      parseUploadSlot(slot("javascript:alert(1)"), true) instanceof ParseError,
    );
    assert.ok(
      parseUploadSlot(slot(PUT, "https://u:p@h.example/x"), true) instanceof
        ParseError,
    );
  });
  await t.step("too many allowed headers", () => {
    const many = `<header name="Cookie">a</header>`.repeat(9);
    assert.ok(
      parseUploadSlot(slot(PUT, GET, many), false) instanceof ParseError,
    );
  });
});
