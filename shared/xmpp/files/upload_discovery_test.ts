import assert from "node:assert/strict";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import { parseUploadService } from "./upload_discovery.ts";
import { parseXml as parse } from "../../../tests/support/xml_text.ts";

function info(body: string): XmlElement {
  return parse(
    `<iq type="result" from="upload.example.com">
      <query xmlns="http://jabber.org/protocol/disco#info">${body}</query>
    </iq>`,
  );
}

const FEATURE =
  `<identity category="store" type="file" name="HTTP File Upload"/>
  <feature var="urn:xmpp:http:upload:0"/>`;

function form(size: string, formType = "urn:xmpp:http:upload:0"): string {
  return `<x type="result" xmlns="jabber:x:data">
    <field var="FORM_TYPE" type="hidden"><value>${formType}</value></field>
    <field var="max-file-size"><value>${size}</value></field>
  </x>`;
}

Deno.test("parseUploadService (XEP-0363 §3)", async (t) => {
  await t.step("the XEP's example: 5 MiB", () => {
    assert.deepEqual(
      parseUploadService("upload.example.com", info(FEATURE + form("5242880"))),
      { jid: "upload.example.com", maxFileSize: 5242880 },
    );
  });
  await t.step("no form: no limit stated", () => {
    assert.deepEqual(parseUploadService("u", info(FEATURE)), { jid: "u" });
  });
  await t.step("the limit of the upload form, not another's", () => {
    assert.deepEqual(
      parseUploadService(
        "u",
        info(FEATURE + form("1", "urn:other") + form("2048")),
      ),
      { jid: "u", maxFileSize: 2048 },
    );
  });
  await t.step("a limit that is no positive byte count is none", () => {
    for (const size of ["0", "-1", "1e6", "", "lots", "99999999999999999"]) {
      assert.deepEqual(
        parseUploadService("u", info(FEATURE + form(size))),
        { jid: "u" },
        size,
      );
    }
  });
  await t.step("not an upload service", () => {
    for (
      const answer of [
        info(`<feature var="urn:xmpp:http:upload"/>`),
        info(""),
        parse(`<iq type="result"/>`),
        parse(`<iq type="result"><feature var="urn:xmpp:http:upload:0"/></iq>`),
      ]
    ) {
      const parsed = parseUploadService("u", answer);
      assert.ok(parsed instanceof ParseError);
      assert.equal(parsed.condition, "no-upload-service");
    }
  });
});
