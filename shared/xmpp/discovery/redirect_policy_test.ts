import assert from "node:assert/strict";
import { xml } from "@xmpp/xml";
import {
  checkRedirectTarget,
  SeeOtherHostError,
  seeOtherHostError,
  seeOtherHostService,
} from "./redirect_policy.ts";

const P = "https://imp1.example.com:5280/http-bind";
const S = "https://imp2.example.com:5280/http-bind";

Deno.test("checkRedirectTarget", async (t) => {
  await t.step("another chat server address is followed, normalized", () => {
    assert.deepEqual(
      checkRedirectTarget(P, "HTTPS://IMP5.example.com:443/bind"),
      {
        ok: true,
        service: "https://imp5.example.com/bind",
      },
    );
    assert.deepEqual(checkRedirectTarget(P, "wss://imp5.example.com/ws"), {
      ok: true,
      service: "wss://imp5.example.com/ws",
    });
  });

  await t.step("other schemes are refused", () => {
    for (
      const target of [
        "javascript:alert(1)",
        "data:text/xml,<body/>",
        "blob:https://imp5.example.com/1",
        "file:///etc/passwd",
        "xmpp:imp5.example.com",
        "ftp://imp5.example.com/",
        "/relative/http-bind",
        "",
      ]
    ) {
      const check = checkRedirectTarget(P, target);
      assert.equal(check.ok, false, target);
    }
  });

  await t.step("credentials in the address are refused", () => {
    assert.equal(
      checkRedirectTarget(P, "https://u:p@imp5.example.com/bind").ok,
      false,
    );
  });

  await t.step("secure to clear is refused; clear to secure is fine", () => {
    const down = checkRedirectTarget(P, "http://imp5.example.com/bind");
    assert.equal(down.ok, false);
    assert.match(!down.ok ? down.reason : "", /in clear/);
    assert.equal(
      checkRedirectTarget("http://imp1.example.com/bind", S).ok,
      true,
    );
    // Loopback counts as secure (W3C Secure Contexts), as in client.ts.
    assert.equal(
      checkRedirectTarget(P, "http://127.0.0.1:5280/http-bind").ok,
      true,
    );
  });
});

Deno.test("seeOtherHostService keeps scheme, path and port", () => {
  assert.deepEqual(seeOtherHostService(P, "imp5.example.com"), {
    ok: true,
    service: "https://imp5.example.com:5280/http-bind",
  });
  assert.deepEqual(seeOtherHostService(P, "imp5.example.com:7335"), {
    ok: true,
    service: "https://imp5.example.com:7335/http-bind",
  });
  assert.deepEqual(seeOtherHostService(P, "[2001:db8::5]"), {
    ok: true,
    service: "https://[2001:db8::5]:5280/http-bind",
  });
  assert.deepEqual(seeOtherHostService("wss://imp1.example.com/ws", "imp5"), {
    ok: true,
    service: "wss://imp5/ws",
  });
  for (
    const host of [
      "",
      "imp5.example.com/evil",
      "user@imp5.example.com",
      "imp5.example.com:99999",
      "imp5.example.com:port",
      "javascript:alert(1)",
      "imp5 example.com",
      "a".repeat(2000),
    ]
  ) {
    assert.equal(seeOtherHostService(P, host).ok, false, host.slice(0, 40));
  }
});

Deno.test("seeOtherHostError reads the stream error element", () => {
  const NS_STREAMS = "http://etherx.jabber.org/streams";
  const NS_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams";
  const error = seeOtherHostError(
    xml(
      "stream:error",
      { "xmlns:stream": NS_STREAMS },
      xml("see-other-host", { xmlns: NS_ERRORS }, "imp5.example.com:5280"),
    ),
  );
  assert.ok(error instanceof SeeOtherHostError);
  assert.equal(error.condition, "see-other-host");
  assert.equal(error.host, "imp5.example.com:5280");
  // Other stream errors, stanzas and lookalikes are not redirects.
  for (
    const element of [
      xml(
        "stream:error",
        { "xmlns:stream": NS_STREAMS },
        xml("conflict", { xmlns: NS_ERRORS }),
      ),
      xml(
        "error",
        { xmlns: "jabber:client" },
        xml("see-other-host", {
          xmlns: NS_ERRORS,
        }, "x"),
      ),
      xml("message", {}, xml("see-other-host", { xmlns: NS_ERRORS }, "x")),
    ]
  ) {
    assert.equal(seeOtherHostError(element), undefined);
  }
  // A host far too long is cut, then refused by seeOtherHostService.
  const long = seeOtherHostError(
    xml(
      "stream:error",
      { "xmlns:stream": NS_STREAMS },
      xml("see-other-host", { xmlns: NS_ERRORS }, "a".repeat(100_000)),
    ),
  );
  assert.ok(long && long.host.length < 2_000);
  assert.equal(seeOtherHostService(P, long.host).ok, false);
});
