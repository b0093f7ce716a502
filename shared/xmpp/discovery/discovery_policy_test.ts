import assert from "node:assert/strict";
import {
  decideAfterFailure,
  discoveryRounds,
  MAX_REDIRECTS,
  NodesUnreachableError,
  type Outage,
  outageOf,
} from "./discovery_policy.ts";
import { SeeOtherHostError } from "./redirect_policy.ts";
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

const seeOtherHost = (host: string) => new SeeOtherHostError(host);

function seeOtherUri(uri: string | undefined): TransportError {
  return new TransportError("see-other-uri", "redirected", { uri });
}

Deno.test("discoveryRounds", async (t) => {
  const servers = { primary: P, secondary: S };

  await t.step("first sign-in: primary, then secondary", () => {
    assert.deepEqual(discoveryRounds(servers, undefined), [[
      { service: P, source: "primary" },
      { service: S, source: "secondary" },
    ]]);
  });

  await t.step("no secondary, or the same node twice: once", () => {
    const once = [[{ service: P, source: "primary" }]];
    assert.deepEqual(
      discoveryRounds({ primary: P, secondary: "" }, undefined),
      once,
    );
    assert.deepEqual(
      discoveryRounds({ primary: P, secondary: P }, undefined),
      once,
    );
  });

  await t.step("a cached node alone, then every configured node", () => {
    assert.deepEqual(discoveryRounds(servers, N), [
      [{ service: N, source: "cache" }],
      [{ service: P, source: "primary" }, { service: S, source: "secondary" }],
    ]);
  });

  await t.step("a cached configured node is in the rediscovery too", () => {
    // Issue 12: the cached secondary froze, the primary was down, and the
    // secondary was never asked again.
    assert.deepEqual(discoveryRounds(servers, S), [
      [{ service: S, source: "cache" }],
      [{ service: P, source: "primary" }, { service: S, source: "secondary" }],
    ]);
  });

  await t.step("nothing configured: no rounds", () => {
    assert.deepEqual(discoveryRounds({ primary: "", secondary: "" }, ""), []);
  });
});

Deno.test("outageOf: why a node could not serve, or undefined", () => {
  const outages: [XmppError, Outage][] = [
    [new TransportError("unreachable", "refused"), "refused"],
    [new TransportError("connection-lost", "ws failed"), "refused"],
    [new TransportError("http-error", "0", { status: 0 }), "refused"],
    [new TimeoutError("slow"), "timed-out"],
    [new TransportError("system-shutdown", "bye"), "down"],
    [new TransportError("remote-connection-failed", "no router"), "down"],
    [new TransportError("http-error", "502", { status: 502 }), "down"],
    [new TransportError("http-error", "503", { status: 503 }), "down"],
    [new StreamError("system-shutdown", "bye"), "down"],
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
  for (const [error, outage] of outages) {
    assert.equal(outageOf(error), outage, error.message);
  }
  for (const error of answered) {
    assert.equal(outageOf(error), undefined, error.message);
  }
});

Deno.test("NodesUnreachableError says why each node failed", () => {
  const one = new NodesUnreachableError(
    [{ service: P, outage: "timed-out" }],
    {},
  );
  assert.equal(one.condition, "unreachable");
  assert.match(
    one.message,
    /^The chat server https:.* did not answer in time\. Try again in a moment/,
  );
  const two = new NodesUnreachableError([
    { service: P, outage: "refused" },
    { service: S, outage: "down" },
  ], {});
  assert.match(
    two.message,
    /^None of the chat servers could be reached: .*imp1.* refused the connection or could not be reached; .*imp2.* is not serving sign-ins right now\. Check the network/,
  );
});

Deno.test("decideAfterFailure", async (t) => {
  const at = { service: P, redirects: 0 };

  await t.step("unreachable moves on; a node that answered fails", () => {
    assert.deepEqual(
      decideAfterFailure(new TransportError("unreachable", "x"), at),
      { next: "unavailable", outage: "refused" },
    );
    assert.deepEqual(
      decideAfterFailure(new TimeoutError("slow"), at),
      { next: "unavailable", outage: "timed-out" },
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
