// How a BOSH session ends (XEP-0124 §13, §17) against a scripted connection
// manager (tests/support/bosh_harness.ts): typed errors for each terminal
// condition, a clean sign-out whatever the server answers the held poll, and
// the stanzas it never sent reported.
import assert from "node:assert/strict";
import { NS_HTTPBIND } from "./bosh_body.ts";
import { empty, harness } from "../../../tests/support/bosh_harness.ts";

Deno.test("BoshSession ending", async (t) => {
  await t.step("legacy HTTP 404 is fatal (XEP-0124 §17.1)", async () => {
    const h = harness();
    await h.openSession();
    (await h.call(1)).answer("", 404);
    await h.until(() => h.ends.length === 1, "end");
    assert.equal(h.ends[0]?.condition, "item-not-found");
  });

  for (
    const condition of [
      "bad-request",
      "host-gone",
      "host-unknown",
      "improper-addressing",
      "internal-server-error",
      "item-not-found",
      "other-request",
      "policy-violation",
      "remote-connection-failed",
      "remote-stream-error",
      "system-shutdown",
      "undefined-condition",
    ]
  ) {
    await t.step(`terminate condition ${condition} → typed error`, async () => {
      const h = harness();
      await h.openSession();
      (await h.call(1)).answer(
        `<body xmlns='${NS_HTTPBIND}' type='terminate' condition='${condition}'/>`,
      );
      await h.until(() => h.ends.length === 1, "end");
      const err = h.ends[0]!;
      assert.equal(err.name, "TransportError");
      assert.equal(err.condition, condition);
      assert.ok(err.message.length > 20);
      assert.equal(h.session.state, "ended");
    });
  }

  await t.step("terminate at creation: host-unknown", async () => {
    const h = harness();
    h.session.start();
    (await h.call(0)).answer(
      `<body xmlns='${NS_HTTPBIND}' type='terminate' condition='host-unknown'/>`,
    );
    await h.until(() => h.ends.length === 1, "end");
    assert.equal(h.ends[0]?.condition, "host-unknown");
  });

  await t.step("see-other-uri surfaces the uri", async () => {
    const h = harness();
    h.session.start();
    (await h.call(0)).answer(
      `<body xmlns='${NS_HTTPBIND}' type='terminate' condition='see-other-uri'><uri>https://node2:5280/http-bind</uri></body>`,
    );
    await h.until(() => h.ends.length === 1, "end");
    assert.equal(h.ends[0]?.condition, "see-other-uri");
    assert.equal(h.ends[0]?.uri, "https://node2:5280/http-bind");
  });

  await t.step(
    "remote-stream-error carries the stream error's text",
    async () => {
      const h = harness();
      await h.openSession();
      (await h.call(1)).answer(
        `<body xmlns='${NS_HTTPBIND}' xmlns:stream='http://etherx.jabber.org/streams' type='terminate' condition='remote-stream-error'><stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>Replaced by new connection</text></stream:error></body>`,
      );
      await h.until(() => h.ends.length === 1, "end");
      assert.equal(h.ends[0]?.condition, "remote-stream-error");
      assert.match(h.ends[0]!.message, /Replaced by new connection/);
    },
  );

  await t.step("unknown condition is reported, not swallowed", async () => {
    const h = harness();
    await h.openSession();
    (await h.call(1)).answer(
      `<body xmlns='${NS_HTTPBIND}' type='terminate' condition='x-weird'/>`,
    );
    await h.until(() => h.ends.length === 1, "end");
    assert.equal(h.ends[0]?.condition, "undefined-condition");
    assert.match(h.ends[0]!.message, /x-weird/);
  });

  await t.step("terminate flushes the queue and ends cleanly", async () => {
    const h = harness();
    await h.openSession();
    const poll = await h.call(1);
    h.session.send("<presence type='unavailable'/>");
    h.session.terminate();
    const term = await h.call(2);
    assert.match(term.body, /type='terminate'/);
    assert.match(term.body, /<presence type='unavailable'\/>/);
    assert.throws(() => h.session.send("<message/>"), /closed/);
    poll.answer(empty);
    term.answer(`<body xmlns='${NS_HTTPBIND}' type='terminate'/>`);
    await h.until(() => h.ends.length === 1, "end");
    assert.equal(h.ends[0], undefined);
  });

  await t.step("abort cancels every request in flight", async () => {
    const h = harness();
    await h.openSession();
    const poll = await h.call(1);
    h.session.abort();
    assert.ok(poll.settled);
    assert.equal(h.session.state, "ended");
  });

  await t.step(
    "a terminate answered other-request on the held poll is a clean end",
    async () => {
      const h = harness();
      await h.openSession();
      const poll = await h.call(1);
      h.session.send("<presence type='unavailable'/>");
      h.session.terminate();
      const term = await h.call(2);
      // ejabberd 23.01 answers the held poll so, then the terminate.
      poll.answer(
        `<body xmlns='${NS_HTTPBIND}' type='terminate' condition='other-request'/>`,
      );
      await h.until(() => h.ends.length === 1, "end");
      assert.equal(h.ends[0], undefined);
      assert.deepEqual(h.unsent[0], []);
      assert.ok(term.settled, "nothing left in flight");
    },
  );

  await t.step(
    "a terminate the server never answers ends after terminateTimeout",
    async () => {
      const h = harness({ terminateTimeout: 20 });
      await h.openSession();
      await h.call(1);
      h.session.send("<presence id='bye' type='unavailable'/>");
      h.session.terminate();
      await h.call(2);
      await h.until(() => h.ends.length === 1, "end");
      assert.equal(h.ends[0], undefined);
      assert.deepEqual(h.unsent[0], [
        "<presence id='bye' type='unavailable'/>",
      ]);
    },
  );

  await t.step(
    "a failed session reports the payload it never got answered, in order",
    async () => {
      const h = harness();
      await h.openSession();
      const poll = await h.call(1);
      h.session.send("<message id='a'/>");
      await h.call(2);
      h.session.send("<message id='b'/>"); // queued: the window is full
      poll.answer(
        `<body xmlns='${NS_HTTPBIND}' type='terminate' condition='system-shutdown'/>`,
      );
      await h.until(() => h.ends.length === 1, "end");
      assert.equal(h.ends[0]?.condition, "system-shutdown");
      assert.deepEqual(h.unsent[0], ["<message id='a'/>", "<message id='b'/>"]);
    },
  );

  await t.step("abort reports what was queued or in flight", async () => {
    const h = harness();
    await h.openSession();
    await h.call(1);
    h.session.send("<message id='a'/>");
    await h.call(2);
    h.session.send("<message id='b'/>");
    h.session.abort();
    assert.equal(h.ends[0], undefined);
    assert.deepEqual(h.unsent[0], ["<message id='a'/>", "<message id='b'/>"]);
  });
});
