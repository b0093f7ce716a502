import assert from "node:assert/strict";
import { ArrivalGuard } from "./bosh_order.ts";
import { type BoshRequest, newRequest } from "./bosh_request.ts";

function onTheWire(sentAt: number): BoshRequest {
  const req = newRequest(1, "payload", "<body/>");
  req.sentAt = sentAt;
  req.abort = new AbortController();
  return req;
}

Deno.test("ArrivalGuard", async (t) => {
  await t.step("nothing in flight: go now", () => {
    assert.equal(new ArrivalGuard().delay([], 1000), 0);
  });

  await t.step("a young request holds the next one for the margin", () => {
    const guard = new ArrivalGuard({ orderFloor: 2 });
    guard.observe(12); // session creation took 12 ms, handshake included
    assert.equal(guard.margin, 12);
    assert.equal(guard.delay([onTheWire(1000)], 1004), 8);
  });

  await t.step("a request older than the margin (a held poll) does not", () => {
    const guard = new ArrivalGuard({ orderFloor: 2 });
    guard.observe(12);
    assert.equal(guard.delay([onTheWire(1000)], 1500), 0);
  });

  await t.step("the margin has a floor and a cap", () => {
    const guard = new ArrivalGuard({ orderFloor: 3, orderCap: 50 });
    guard.observe(0.5);
    assert.equal(guard.margin, 3);
    guard.observe(400);
    assert.equal(guard.margin, 50);
  });

  await t.step("the slowest measured round trip counts", () => {
    const guard = new ArrivalGuard();
    guard.observe(30);
    guard.observe(5);
    assert.equal(guard.margin, 30);
  });

  await t.step("an acknowledged request has arrived, however young", () => {
    const guard = new ArrivalGuard({ orderFloor: 50 });
    const acked = onTheWire(1000);
    acked.acknowledged = true;
    assert.equal(guard.delay([acked], 1001), 0);
  });

  await t.step("a request waiting to be retried must go first", () => {
    const waiting = onTheWire(0);
    waiting.abort = undefined;
    assert.equal(new ArrivalGuard().delay([waiting], 5000), Infinity);
  });
});
