import assert from "node:assert/strict";
import {
  intAttr,
  NS_HTTPBIND,
  parseBody,
  requestBody,
  sessionCreationBody,
} from "./bosh_body.ts";
import { ParseError } from "../core/errors.ts";

function ok(text: string) {
  const res = parseBody(text);
  if (res instanceof ParseError) throw res;
  return res;
}

Deno.test("bosh body framing", async (t) => {
  await t.step(
    "session creation carries XEP-0124 §7.1 / XEP-0206 attributes",
    () => {
      const body = sessionCreationBody({
        rid: 42,
        to: "example.com",
        lang: "en",
        wait: 60,
        hold: 1,
      });
      assert.ok(body.startsWith("<body ") && body.endsWith("/>"));
      for (
        const attr of [
          "rid='42'",
          "to='example.com'",
          "xml:lang='en'",
          "ver='1.6'",
          "wait='60'",
          "hold='1'",
          "ack='1'",
          "xmpp:version='1.0'",
          `xmlns='${NS_HTTPBIND}'`,
          "xmlns:xmpp='urn:xmpp:xbosh'",
        ]
      ) assert.ok(body.includes(attr), `${attr} in ${body}`);
    },
  );

  await t.step("payload is wrapped in order, empty body self-closes", () => {
    assert.equal(
      requestBody({ rid: 7, sid: "s1", payload: ["<a/>", "<b/>"] }),
      `<body rid='7' sid='s1' xmlns='${NS_HTTPBIND}'><a/><b/></body>`,
    );
    assert.equal(
      requestBody({ rid: 8, sid: "s1" }),
      `<body rid='8' sid='s1' xmlns='${NS_HTTPBIND}'/>`,
    );
  });

  await t.step("restart and terminate", () => {
    const restart = requestBody({
      rid: 9,
      sid: "s1",
      restart: { to: "example.com", lang: "en" },
    });
    assert.match(restart, /xmpp:restart='true'/);
    assert.match(restart, /to='example.com'/);
    assert.match(restart, /xmlns:xmpp='urn:xmpp:xbosh'/);
    const term = requestBody({
      rid: 10,
      sid: "s1",
      terminate: true,
      payload: ["<presence type='unavailable' xmlns='jabber:client'/>"],
    });
    assert.match(term, /type='terminate'/);
    assert.match(term, /<presence type='unavailable'/);
  });

  await t.step("attribute values are escaped", () => {
    const body = requestBody({ rid: 1, sid: "a'b<c" });
    assert.match(body, /sid='a&apos;b&lt;c'/);
  });

  await t.step("ack attribute only when given", () => {
    assert.match(requestBody({ rid: 5, sid: "s", ack: 3 }), /ack='3'/);
    assert.doesNotMatch(requestBody({ rid: 5, sid: "s" }), /ack=/);
  });
});

Deno.test("bosh body parsing", async (t) => {
  await t.step("session creation response with prefixed features", () => {
    const res = ok(
      `<body xmlns='${NS_HTTPBIND}' xmlns:stream='http://etherx.jabber.org/streams' sid='abc' requests='2' wait='60'><stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features></body>`,
    );
    assert.equal(res.attrs.sid, "abc");
    assert.equal(intAttr(res.attrs, "requests"), 2);
    assert.equal(res.children.length, 1);
    const features = res.children[0];
    // The prefix declaration travels with the child out of <body/>.
    assert.equal(
      features.attrs["xmlns:stream"],
      "http://etherx.jabber.org/streams",
    );
    assert.ok(features.is("features", "http://etherx.jabber.org/streams"));
    assert.equal(features.parent, null);
  });

  await t.step("several stanzas keep their order", () => {
    const res = ok(
      `<body xmlns='${NS_HTTPBIND}'><message id='1'/><message id='2'/><iq id='3'/></body>`,
    );
    assert.deepEqual(res.children.map((c) => c.attrs.id), ["1", "2", "3"]);
  });

  await t.step("terminate with condition", () => {
    const res = ok(
      `<body xmlns='${NS_HTTPBIND}' type='terminate' condition='host-unknown'/>`,
    );
    assert.equal(res.type, "terminate");
    assert.equal(res.condition, "host-unknown");
  });

  await t.step("see-other-uri carries the uri", () => {
    const res = ok(
      `<body xmlns='${NS_HTTPBIND}' type='terminate' condition='see-other-uri'><uri>https://node2.example.com:5280/http-bind</uri></body>`,
    );
    assert.equal(res.uri, "https://node2.example.com:5280/http-bind");
    assert.equal(res.children.length, 0);
  });

  await t.step("hostile and malformed input gives a ParseError", () => {
    for (
      const text of [
        "",
        "not xml",
        "<body xmlns='wrong'/>",
        `<html><body>502 Bad Gateway</body></html>`,
        `<body xmlns='${NS_HTTPBIND}'><message>`,
        `<body xmlns='${NS_HTTPBIND}'><a></b></body>`,
        `<body xmlns='${NS_HTTPBIND}'`,
        "\u0000\u0001",
        "<".repeat(10_000),
      ]
    ) {
      const res = parseBody(text);
      assert.ok(
        res instanceof ParseError,
        `expected ParseError for ${text.slice(0, 40)}`,
      );
      assert.equal(res.kind, "parse");
    }
  });

  await t.step("intAttr rejects garbage", () => {
    assert.equal(intAttr({ a: "12" }, "a"), 12);
    assert.equal(intAttr({ a: "-1" }, "a"), undefined);
    assert.equal(intAttr({ a: "1e3" }, "a"), undefined);
    assert.equal(intAttr({ a: "99999999999999999" }, "a"), undefined);
    assert.equal(intAttr({}, "a"), undefined);
  });
});
