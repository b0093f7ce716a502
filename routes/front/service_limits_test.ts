import assert from "node:assert/strict";
import { ConfigError } from "../config.ts";
import { AddressSlots, RateLimitedLog } from "./address_slots.ts";
import {
  clientAddress,
  decodePeer,
  encodePeer,
  normalizeAddress,
} from "./client_address.ts";
import { DEFAULT_SERVICE_LIMITS, loadServiceLimits } from "./service_limits.ts";

Deno.test("loadServiceLimits: safe defaults when nothing is set", () => {
  assert.deepEqual(loadServiceLimits({}), DEFAULT_SERVICE_LIMITS);
  assert.equal(DEFAULT_SERVICE_LIMITS.headerTimeoutMs, 10_000);
  assert.equal(DEFAULT_SERVICE_LIMITS.bodyTimeoutMs, 10_000);
  assert.equal(DEFAULT_SERVICE_LIMITS.requestTimeoutMs, 30_000);
  assert.ok(DEFAULT_SERVICE_LIMITS.maxConnectionsPerAddress >= 128);
});

Deno.test("loadServiceLimits reads each setting", () => {
  const limits = loadServiceLimits({
    DESKTOP_CHAT_HEADER_TIMEOUT_MS: "300",
    DESKTOP_CHAT_BODY_TIMEOUT_MS: "400",
    DESKTOP_CHAT_REQUEST_TIMEOUT_MS: "500",
    DESKTOP_CHAT_KEEP_ALIVE_TIMEOUT_MS: "600",
    DESKTOP_CHAT_MAX_CONNECTIONS_PER_ADDRESS: "7",
    DESKTOP_CHAT_MAX_CONNECTIONS: "8",
    DESKTOP_CHAT_TRUSTED_PROXIES: "10.0.0.1, ::FFFF:10.0.0.2 2001:db8:0:0::1",
  });
  assert.deepEqual(limits, {
    ...DEFAULT_SERVICE_LIMITS,
    headerTimeoutMs: 300,
    bodyTimeoutMs: 400,
    requestTimeoutMs: 500,
    keepAliveTimeoutMs: 600,
    maxConnectionsPerAddress: 7,
    maxConnections: 8,
    trustedProxies: ["10.0.0.1", "10.0.0.2", "2001:db8::1"],
  });
});

Deno.test("loadServiceLimits throws ConfigError naming the setting", () => {
  const bad: [string, string][] = [
    ["DESKTOP_CHAT_HEADER_TIMEOUT_MS", "0"],
    ["DESKTOP_CHAT_BODY_TIMEOUT_MS", "10s"],
    ["DESKTOP_CHAT_REQUEST_TIMEOUT_MS", "3600001"],
    ["DESKTOP_CHAT_KEEP_ALIVE_TIMEOUT_MS", "-5"],
    ["DESKTOP_CHAT_MAX_CONNECTIONS_PER_ADDRESS", "1.5"],
    ["DESKTOP_CHAT_MAX_CONNECTIONS", "many"],
    ["DESKTOP_CHAT_TRUSTED_PROXIES", "10.0.0.0/8"],
  ];
  for (const [setting, value] of bad) {
    assert.throws(
      () => loadServiceLimits({ [setting]: value }),
      (error) => error instanceof ConfigError && error.setting === setting,
      `${setting}=${value}`,
    );
  }
});

Deno.test("normalizeAddress gives one spelling per address", () => {
  assert.equal(normalizeAddress("::ffff:127.0.0.2"), "127.0.0.2");
  assert.equal(normalizeAddress("::ffff:7f00:2"), "127.0.0.2");
  assert.equal(normalizeAddress("2001:DB8:0::1"), "2001:db8::1");
  assert.equal(normalizeAddress("10.1.2.3"), "10.1.2.3");
});

Deno.test("clientAddress reads X-Forwarded-For only from a trusted peer", () => {
  const peer = { hostname: "10.0.0.1", port: 4000 };
  const xff = [{
    name: "X-Forwarded-For",
    value: "1.1.1.1, 2.2.2.2, 10.0.0.2",
  }];
  assert.deepEqual(clientAddress(peer, xff, new Set()), peer);
  assert.deepEqual(
    clientAddress(peer, xff, new Set(["10.0.0.1", "10.0.0.2"])),
    { hostname: "2.2.2.2", port: 0 },
  );
  assert.deepEqual(clientAddress(peer, [], new Set(["10.0.0.1"])), peer);
});

Deno.test("the peer header round-trips and refuses anything else", () => {
  const peer = { hostname: "2001:db8::1", port: 443 };
  assert.deepEqual(decodePeer(encodePeer(peer)), peer);
  assert.equal(decodePeer(null), undefined);
  assert.equal(decodePeer("1.2.3.4"), undefined);
  assert.equal(decodePeer("1 2 3"), undefined);
});

Deno.test("AddressSlots bounds each address and the total; exempt peers only the total", () => {
  const slots = new AddressSlots({
    maxConnectionsPerAddress: 2,
    maxConnections: 3,
  });
  assert.equal(slots.acquire("a", false), undefined);
  assert.equal(slots.acquire("a", false), undefined);
  assert.equal(slots.acquire("a", false), "address");
  assert.equal(slots.acquire("a", true), undefined);
  assert.equal(slots.acquire("b", false), "total");
  slots.release("a");
  assert.equal(slots.acquire("b", false), undefined);
  assert.equal(slots.total, 3);
});

Deno.test("RateLimitedLog writes one line per window and counts the rest", () => {
  let now = 0;
  const lines: string[] = [];
  const log = new RateLimitedLog((line) => lines.push(line), 10_000, () => now);
  log.write("one");
  now = 5_000;
  log.write("two");
  log.write("three");
  now = 10_000;
  log.write("four");
  assert.deepEqual(lines, [
    "one",
    "four (2 more like it not logged since the last)",
  ]);
});
