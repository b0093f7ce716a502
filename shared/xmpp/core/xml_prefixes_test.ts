// A prefixed element is the same element as its default-namespace form
// (Namespaces in XML §6.2), and ejabberd relays it as the sender wrote it
// (Prosody rewrites it): every reader that matches children by namespace
// must see through the prefix. Stanzas as ejabberd 23.01 was seen to relay
// them, parsed by the client's own parser.
import assert from "node:assert/strict";
import { xml } from "@xmpp/xml";
import { parseXml } from "../../../tests/support/xml_text.ts";
import { parseCarbon } from "../chat/carbon_parser.ts";
import { parseChatState } from "../chat/chat_state_parser.ts";
import { isFileMessage } from "../files/file_incoming.ts";
import { errorCondition } from "../router/iq_reply.ts";
import { createStanzaRouter } from "../router/stanza_router.ts";
import type { XmlElement } from "./connection.ts";

const DISCO = "http://jabber.org/protocol/disco#info";

Deno.test("prefixed namespaces are read as their elements", async (t) => {
  await t.step("a chat state (XEP-0085)", () => {
    const message = parseXml(
      `<message xmlns='jabber:client' from='a@x/r' type='chat'><cs:composing xmlns:cs='http://jabber.org/protocol/chatstates'/></message>`,
    );
    assert.equal(parseChatState(message), "composing");
  });

  await t.step("a carbon (XEP-0280)", () => {
    const carbon = parseCarbon(
      parseXml(
        `<message xmlns='jabber:client' from='me@x' to='me@x/r'><c:received xmlns:c='urn:xmpp:carbons:2'><f:forwarded xmlns:f='urn:xmpp:forward:0'><message xmlns='jabber:client' from='a@x/r' to='me@x/o' type='chat'><body>hi</body></message></f:forwarded></c:received></message>`,
      ),
      "me@x",
    );
    assert.ok(carbon && !(carbon instanceof Error), String(carbon));
    assert.equal(carbon.direction, "received");
  });

  await t.step("a stanza error's condition (RFC 6120 §8.3.3)", () => {
    const error = parseXml(
      `<error type='cancel'><s:text xmlns:s='urn:ietf:params:xml:ns:xmpp-stanzas'>no</s:text><s:item-not-found xmlns:s='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>`,
    );
    assert.equal(errorCondition(error), "item-not-found");
  });

  await t.step("our file outcome", () => {
    const message = parseXml(
      `<message xmlns='jabber:client' from='a@x/r' type='chat'><o:file-declined xmlns:o='urn:desktop-chat:file:0' id='f1'/></message>`,
    );
    assert.ok(isFileMessage(message));
  });

  await t.step("an iq request's payload and a message's child", async () => {
    const router = createStanzaRouter();
    router.iq("get", DISCO, "query", () => xml("query", { xmlns: DISCO }));
    const heard: string[] = [];
    router.message(
      { xmlns: "http://jabber.org/protocol/chatstates", name: "active" },
      () => heard.push("active"),
    );
    const replies: XmlElement[] = [];
    await router.route(
      parseXml(
        `<iq xmlns='jabber:client' type='get' id='q1' from='a@x/r'><d:query xmlns:d='${DISCO}'/></iq>`,
      ),
      (reply) => {
        replies.push(reply);
        return Promise.resolve();
      },
    );
    assert.equal(replies[0]?.attrs.type, "result", String(replies[0]));
    await router.route(
      parseXml(
        `<message xmlns='jabber:client' from='a@x/r'><cs:active xmlns:cs='http://jabber.org/protocol/chatstates'/></message>`,
      ),
      () => Promise.resolve(),
    );
    assert.deepEqual(heard, ["active"]);
  });
});
