import assert from "node:assert/strict";
import { NodesUnreachableError } from "../../shared/xmpp/discovery/discovery_policy.ts";
import { TimeoutError, TransportError } from "../../shared/xmpp/core/errors.ts";
import { certificatePage, failureText } from "./sign_in_messages.ts";

const P = "https://imp1.example.com:5280/http-bind";
const S = "https://imp2.example.com:5280/http-bind";

function unreachable(error: Error) {
  return failureText({ kind: "unreachable", error });
}

Deno.test("sign-in messages: timed out and refused read differently", () => {
  const timedOut = unreachable(
    new NodesUnreachableError([{ service: P, outage: "timed-out" }], {}),
  );
  assert.equal(timedOut.title, "The chat server did not answer in time.");
  assert.match(
    timedOut.detail,
    /^imp1\.example\.com:5280 did not answer in time\. It may be busy/,
  );
  assert.equal(timedOut.retry, true);

  const refused = unreachable(
    new NodesUnreachableError([
      { service: P, outage: "refused" },
      { service: S, outage: "refused" },
    ], {}),
  );
  assert.equal(refused.title, "None of the chat servers can be reached.");
  assert.match(
    refused.detail,
    /^imp1\.example\.com:5280 refused the connection or could not be found; imp2\.example\.com:5280 refused .* Check your network connection/,
  );

  const mixed = unreachable(
    new NodesUnreachableError([
      { service: P, outage: "refused" },
      { service: S, outage: "timed-out" },
    ], {}),
  );
  assert.equal(mixed.title, "None of the chat servers can be reached.");
  assert.match(
    mixed.detail,
    /imp1\S* refused .*; imp2\S* did not answer in time/,
  );

  const down = unreachable(
    new NodesUnreachableError([{ service: S, outage: "down" }], {}),
  );
  assert.equal(down.title, "The chat server is not taking sign-ins right now.");
});

Deno.test("sign-in messages: an untyped outage still tells the two apart", () => {
  assert.equal(
    unreachable(new TimeoutError("slow")).title,
    "The chat server did not answer in time.",
  );
  assert.equal(
    unreachable(new TransportError("unreachable", "refused")).title,
    "The chat server cannot be reached.",
  );
});

Deno.test("certificatePage opens the node's https page", () => {
  assert.equal(
    certificatePage("https://chat.example:5281/http-bind"),
    "https://chat.example:5281/http-bind",
  );
  assert.equal(
    certificatePage("wss://chat.example:5281/xmpp-websocket"),
    "https://chat.example:5281/xmpp-websocket",
  );
});

Deno.test("a lost connection asks for the password, with no Retry", () => {
  const text = failureText({
    kind: "lost",
    error: new TransportError("connection-lost", "The connection was lost."),
  });
  assert.equal(text.retry, false);
  assert.match(text.detail ?? "", /password/);
});
