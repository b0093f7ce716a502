import assert from "node:assert/strict";
import { xml } from "@xmpp/xml";
import {
  FakeConnection,
  settle,
} from "../../../tests/support/fake_connection.ts";
import { TransportError } from "../core/errors.ts";
import { routeConnection } from "./routed_connection.ts";

const ping = (id: string) =>
  xml("iq", { type: "get", id }, xml("ping", { xmlns: "urn:xmpp:ping" }));

Deno.test("routed connection", async (t) => {
  await t.step("incoming requests are answered on the same wire", async () => {
    const wire = new FakeConnection();
    using routed = routeConnection(wire);
    routed.router.iq("get", "urn:xmpp:ping", "ping", () => undefined);
    wire.deliver(ping("p1"));
    wire.deliver(
      xml("iq", { type: "get", id: "p2" }, xml("q", { xmlns: "x" })),
    );
    await settle();
    assert.deepEqual(
      // Each reply goes when its handler is done, in any order.
      wire.sent.map((s) => [s.attrs.id, s.attrs.type]).sort(),
      [["p1", "result"], ["p2", "error"]],
    );
  });

  await t.step(
    "every outgoing stanza gets an id unless it has one",
    async () => {
      const wire = new FakeConnection();
      using routed = routeConnection(wire);
      await routed.send(xml("message", { to: "bob@x" }, xml("body", {}, "hi")));
      await routed.send(xml("presence", {}));
      await routed.send(xml("presence", { id: "mine" }));
      const [a, b, c] = wire.sent.map((s) => s.attrs.id);
      assert.ok(a && b && a !== b);
      assert.equal(c, "mine");
    },
  );

  await t.step("attach moves sending and routing to the new wire", async () => {
    const first = new FakeConnection();
    const second = new FakeConnection();
    using routed = routeConnection(first);
    let pings = 0;
    routed.router.iq("get", "urn:xmpp:ping", "ping", () => void pings++);
    routed.attach(second);
    first.deliver(ping("old"));
    second.deliver(ping("new"));
    await settle();
    assert.equal(pings, 1);
    assert.deepEqual(first.sent, []);
    assert.deepEqual(second.sent.map((s) => s.attrs.id), ["new"]);
    await routed.send(xml("presence"));
    assert.equal(second.sent.length, 2);
    assert.equal(first.listenerCount, 0);
  });

  await t.step("unsent ids are passed on from the current wire", () => {
    const wire = new FakeConnection();
    using routed = routeConnection(wire);
    const reported: (readonly string[])[] = [];
    routed.on("unsent", (ids) => reported.push(ids));
    wire.lose(["m1", "m2"]);
    assert.deepEqual(reported, [["m1", "m2"]]);
  });

  await t.step(
    "detached or lost: send and iq reject connection-lost",
    async () => {
      const wire = new FakeConnection();
      const routed = routeConnection(wire);
      assert.equal(routed.bareJid, "agent@example.com");
      wire.lose();
      for (
        const attempt of [routed.send(xml("presence")), routed.iq(ping("x"), 1)]
      ) {
        await assert.rejects(
          attempt,
          (e: unknown) =>
            e instanceof TransportError && e.condition === "connection-lost",
        );
      }
      routed.detach();
      await assert.rejects(routed.send(xml("presence")), TransportError);
      await assert.rejects(routed.iq(ping("y"), 1), TransportError);
      assert.equal(routed.bareJid, "agent@example.com");
    },
  );
});
