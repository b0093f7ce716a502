import assert from "node:assert/strict";
import { NodesUnreachableError } from "../../shared/xmpp/discovery/discovery_policy.ts";
import { TransportError } from "../../shared/xmpp/core/errors.ts";
import { blockedService } from "./policy_blocks.ts";
import { policyBlockedText } from "./sign_in_messages.ts";

const primary = "https://imp1.example.com:7443/http-bind";
const secondary = "wss://imp2.example.com:7443/ws";
const unreachable = new NodesUnreachableError([
  { service: primary, outage: "refused" },
  { service: secondary, outage: "refused" },
], {});

Deno.test("a failure is put down to the page's policy only for a refused origin", () => {
  const failure = { kind: "unreachable", error: unreachable } as const;
  assert.equal(blockedService(failure, new Set()), undefined);
  assert.equal(
    blockedService(failure, new Set(["https://other.example.com"])),
    undefined,
  );
  assert.equal(
    blockedService(failure, new Set(["wss://imp2.example.com:7443"])),
    secondary,
  );
  // The same host over another scheme is another origin.
  assert.equal(
    blockedService(failure, new Set(["http://imp1.example.com:7443"])),
    undefined,
  );
});

Deno.test("a certificate failure names its one service", () => {
  const failure = {
    kind: "certificate",
    error: new TransportError("unreachable", "failed"),
    service: primary,
  } as const;
  assert.equal(
    blockedService(failure, new Set(["https://imp1.example.com:7443"])),
    primary,
  );
});

Deno.test("the agent is told the page may not connect, and what to do", () => {
  const text = policyBlockedText(primary);
  assert.match(text.title, /blocked the connection/);
  assert.match(text.detail, /imp1\.example\.com:7443/);
  assert.match(text.detail, /reload the page/);
  assert.equal(text.retry, true);
});
