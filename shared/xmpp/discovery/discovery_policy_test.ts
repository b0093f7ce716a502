import assert from "node:assert/strict";
import { xml } from "@xmpp/xml";
import {
  checkRedirectTarget,
  decideAfterFailure,
  isNodeUnavailable,
  MAX_REDIRECTS,
  nextCandidates,
  seeOtherHostOf,
  seeOtherHostService,
} from "./discovery_policy.ts";
import {
  AuthError,
  ParseError,
  StanzaError,
  StreamError,
  TimeoutError,
  TransportError,
  type XmppError,
} from "../core/errors.ts";

const P = "https://imp1.example.com:5280/http-bind";
const S = "https://imp2.example.com:5280/http-bind";
const N = "https://imp5.example.com:5280/http-bind";

/** A StreamError as toXmppError builds it from xmpp.js's error. */
function seeOtherHost(host: string): StreamError {
  const element = xml(
    "stream:error",
    {},
    xml("see-other-host", {
      xmlns: "urn:ietf:params:xml:ns:xmpp-streams",
    }, host),
  );
  return new StreamError("see-other-host", "redirected", {
    cause: Object.assign(new Error("see-other-host"), { element }),
  });
}

function seeOtherUri(uri: string | undefined): TransportError {
  return new TransportError("see-other-uri", "redirected", { uri });
}

Deno.test("nextCandidates", async (t) => {
  const servers = { primary: P, secondary: S };

  await t.step("first sign-in: primary, then secondary", () => {
    assert.deepEqual(nextCandidates(servers, undefined, []), [
      { service: P, source: "primary" },
      { service: S, source: "secondary" },
    ]);
  });

  await t.step("no secondary configured", () => {
    assert.deepEqual(
      nextCandidates({ primary: P, secondary: "" }, undefined, []),
      [
        { service: P, source: "primary" },
      ],
    );
  });

  await t.step("a cached node goes first, then rediscovery", () => {
    assert.deepEqual(nextCandidates(servers, N, []), [
      { service: N, source: "cache" },
      { service: P, source: "primary" },
      { service: S, source: "secondary" },
    ]);
  });

  await t.step("a cached configured node is not tried twice", () => {
    assert.deepEqual(nextCandidates(servers, S, []), [
      { service: S, source: "cache" },
      { service: P, source: "primary" },
    ]);
    assert.deepEqual(nextCandidates(servers, S, [S]), [
      { service: P, source: "primary" },
    ]);
  });

  await t.step("failed nodes are skipped; none left is empty", () => {
    assert.deepEqual(nextCandidates(servers, undefined, [P]), [
      { service: S, source: "secondary" },
    ]);
    assert.deepEqual(nextCandidates(servers, N, [N, P, S]), []);
    assert.deepEqual(
      nextCandidates({ primary: "", secondary: "" }, "", []),
      [],
    );
  });
});

Deno.test("isNodeUnavailable: only a node that could not be reached", () => {
  const unavailable: XmppError[] = [
    new TransportError("unreachable", "refused"),
    new TransportError("connection-lost", "ws failed"),
    new TransportError("system-shutdown", "bye"),
    new TransportError("remote-connection-failed", "no router"),
    new TransportError("http-error", "502", { status: 502 }),
    new TransportError("http-error", "503", { status: 503 }),
    new TransportError("http-error", "0", { status: 0 }),
    new TimeoutError("slow"),
    new StreamError("system-shutdown", "bye"),
  ];
  const answered: XmppError[] = [
    new AuthError("not-authorized", "wrong password"),
    new AuthError("insecure", "PLAIN over http"),
    new TransportError("http-error", "405", { status: 405 }),
    new TransportError("bad-request", "400", { status: 400 }),
    new TransportError("item-not-found", "404", { status: 404 }),
    new TransportError("policy-violation", "403"),
    new TransportError("host-unknown", "wrong domain"),
    new TransportError("bad-response", "not BOSH"),
    new TransportError("undefined-condition", "?"),
    new StreamError("host-unknown", "wrong domain"),
    new StreamError("conflict", "replaced"),
    new StanzaError("service-unavailable", "cancel", "no"),
    new ParseError("bad-format", "garbled"),
  ];
  for (const error of unavailable) {
    assert.equal(isNodeUnavailable(error), true, error.message);
  }
  for (const error of answered) {
    assert.equal(isNodeUnavailable(error), false, error.message);
  }
});

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

Deno.test("seeOtherHostOf reads the host from xmpp.js's stream error", () => {
  assert.equal(
    seeOtherHostOf(seeOtherHost("imp5.example.com")),
    "imp5.example.com",
  );
  assert.equal(
    seeOtherHostOf(new StreamError("see-other-host", "no cause")),
    undefined,
  );
  assert.equal(
    seeOtherHostOf(
      new StreamError("see-other-host", "odd cause", { cause: { element: 1 } }),
    ),
    undefined,
  );
  assert.equal(seeOtherHostOf(new StreamError("conflict", "x")), undefined);
});

Deno.test("decideAfterFailure", async (t) => {
  const at = { service: P, redirects: 0 };

  await t.step("unreachable moves on; a node that answered fails", () => {
    assert.deepEqual(
      decideAfterFailure(new TransportError("unreachable", "x"), at),
      { next: "unavailable" },
    );
    const auth = new AuthError("not-authorized", "wrong password");
    assert.deepEqual(decideAfterFailure(auth, at), {
      next: "fail",
      error: auth,
    });
  });

  await t.step("see-other-uri and see-other-host are followed", () => {
    assert.deepEqual(decideAfterFailure(seeOtherUri(N), at), {
      next: "redirect",
      service: N,
    });
    assert.deepEqual(decideAfterFailure(seeOtherHost("imp5.example.com"), at), {
      next: "redirect",
      service: N,
    });
  });

  await t.step("a refused target fails with the redirect's own class", () => {
    const uri = decideAfterFailure(seeOtherUri("javascript:alert(1)"), at);
    assert.equal(uri.next, "fail");
    if (uri.next === "fail") {
      assert.ok(uri.error instanceof TransportError);
      assert.equal(uri.error.condition, "see-other-uri");
      assert.match(uri.error.message, /refused/);
      assert.doesNotMatch(uri.error.message, /javascript/);
    }
    assert.equal(decideAfterFailure(seeOtherUri(undefined), at).next, "fail");
    const host = decideAfterFailure(seeOtherHost("a/b"), at);
    assert.equal(host.next, "fail");
    if (host.next === "fail") {
      assert.ok(host.error instanceof StreamError);
      assert.equal(host.error.condition, "see-other-host");
    }
  });

  await t.step(`at most ${MAX_REDIRECTS} redirects`, () => {
    assert.equal(
      decideAfterFailure(seeOtherUri(N), {
        service: P,
        redirects: MAX_REDIRECTS - 1,
      }).next,
      "redirect",
    );
    const over = decideAfterFailure(seeOtherUri(N), {
      service: P,
      redirects: MAX_REDIRECTS,
    });
    assert.equal(over.next, "fail");
    assert.match(
      over.next === "fail" ? over.error.message : "",
      /more than 3 times/,
    );
  });
});
