import assert from "node:assert/strict";
import {
  type Admission,
  clientKey,
  type ReportLimits,
  ReportRateLimiter,
} from "./csp_rate_limit.ts";

const LIMITS: ReportLimits = {
  burst: 3,
  perMinute: 6,
  globalBurst: 5,
  globalPerMinute: 60,
  maxClients: 3,
  summaryIntervalMs: 60_000,
};

function limiter(limits: ReportLimits = LIMITS) {
  let now = 1_000_000;
  const rateLimiter = new ReportRateLimiter(limits, () => now);
  return {
    admit: (address: string) => rateLimiter.admit(address),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const admitted = (admission: Admission) => admission.admitted;

Deno.test("an address gets its burst, then one report per refill interval", () => {
  const { admit, advance } = limiter();
  assert.deepEqual([1, 2, 3].map(() => admitted(admit("192.0.2.1"))), [
    true,
    true,
    true,
  ]);
  const refused = admit("192.0.2.1");
  assert.equal(refused.admitted, false);
  assert.equal(
    !refused.admitted && refused.retryAfterSeconds,
    10,
    "6 per minute: one token every 10 s",
  );
  assert.ok(admit("192.0.2.2").admitted, "another address has its own bucket");
  advance(9_999);
  assert.ok(!admit("192.0.2.1").admitted);
  advance(1);
  assert.ok(admit("192.0.2.1").admitted);
});

Deno.test("refusals are summed up at most once per interval per address", () => {
  const { admit, advance } = limiter();
  for (let i = 0; i < 3; i++) admit("192.0.2.1");
  assert.equal(
    admit("192.0.2.1").summary,
    "CSP reports: suppressed 1 report from 192.0.2.1",
    "the first refusal is told at once",
  );
  const quiet = Array.from({ length: 20 }, () => admit("192.0.2.1").summary);
  assert.deepEqual(quiet, Array(20).fill(undefined));
  advance(60_000);
  // Tokens came back: admitted, and the refusals since the last line told.
  const next = admit("192.0.2.1");
  assert.deepEqual(next, {
    admitted: true,
    summary: "CSP reports: suppressed 20 reports from 192.0.2.1",
  });
  assert.equal(admit("192.0.2.1").summary, undefined);
});

Deno.test("the global bucket caps all addresses together", () => {
  const { admit } = limiter();
  const results = ["a", "b", "c", "d", "e", "f", "g"].map((host) =>
    admitted(admit(`198.51.100.${host.charCodeAt(0)}`))
  );
  assert.deepEqual(results, [true, true, true, true, true, false, false]);
});

Deno.test("the least recently seen address is forgotten beyond maxClients", () => {
  const { admit } = limiter({ ...LIMITS, globalBurst: 1000 });
  for (let i = 0; i < 3; i++) admit("192.0.2.1");
  assert.ok(!admit("192.0.2.1").admitted);
  // Three other addresses push it out; it comes back with a full bucket.
  for (const address of ["192.0.2.2", "192.0.2.3", "192.0.2.4"]) {
    admit(address);
  }
  assert.ok(admit("192.0.2.1").admitted);
  // Recently seen is kept: 192.0.2.1 was just used, 192.0.2.2 goes first.
  for (let i = 0; i < 2; i++) admit("192.0.2.1");
  admit("192.0.2.5");
  assert.ok(!admit("192.0.2.1").admitted, "still remembered, still empty");
});

Deno.test("clientKey: IPv4 as is, IPv6 by its /64", () => {
  assert.equal(clientKey("192.0.2.1"), "192.0.2.1");
  assert.equal(clientKey("::ffff:192.0.2.1"), "192.0.2.1");
  assert.equal(clientKey("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  assert.equal(clientKey("2001:0DB8:0001:0002::9"), "2001:db8:1:2::/64");
  assert.equal(clientKey("2001:db8::1"), "2001:db8:0:0::/64");
  assert.equal(clientKey("::1"), "0:0:0:0::/64");
  assert.equal(clientKey("fe80::1%eth0"), "fe80::1%eth0", "unparsed: as is");
  assert.equal(clientKey("unknown"), "unknown");
});

Deno.test("addresses of one /64 share a bucket", () => {
  const { admit } = limiter();
  const refusedAt = ["1", "2", "3", "4"].map((last) =>
    admitted(admit(`2001:db8:1:2::${last}`))
  );
  assert.deepEqual(refusedAt, [true, true, true, false]);
});
