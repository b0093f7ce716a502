// The BOSH scheduler against a scripted connection manager
// (tests/support/bosh_harness.ts): session creation, batching, the
// connection limit and rid window, rid order, retries, acks, restart and the
// long poll.
import assert from "node:assert/strict";
import { NS_HTTPBIND } from "./bosh_body.ts";
import {
  empty,
  features,
  harness,
  withMessage,
} from "../../../tests/support/bosh_harness.ts";

Deno.test("BoshSession scheduling", async (t) => {
  await t.step(
    "creates the session, adopts parameters, holds a poll",
    async () => {
      const h = harness();
      await h.openSession(
        "requests='3' hold='1' wait='45' inactivity='30' ack='1000'",
      );
      assert.equal(h.session.sid, "S");
      assert.equal(h.session.requests, 3);
      assert.equal(h.session.wait, 45);
      assert.equal(h.session.inactivity, 30);
      assert.equal(h.session.serverAcks, true);
      assert.equal(h.responses[0].kind, "create");
      assert.equal(h.responses[1].kind, "restart");
      const poll = await h.call(1);
      assert.equal(poll.rid, 1001);
      assert.match(poll.body, /sid='S'/);
      assert.match(poll.body, /\/>$/);
      h.session.abort();
    },
  );

  await t.step("payload queued in one tick travels in one body", async () => {
    const h = harness();
    await h.openSession();
    await h.call(1);
    h.session.send("<message id='a'/>");
    h.session.send("<message id='b'/>");
    h.session.send("<message id='c'/>");
    const batch = await h.call(2);
    assert.match(
      batch.body,
      /<message id='a'\/><message id='b'\/><message id='c'\/><\/body>$/,
    );
    assert.equal(batch.rid, 1002);
    h.session.abort();
  });

  await t.step(
    "never more than `requests` in flight; rids strictly increase",
    async () => {
      const h = harness();
      await h.openSession();
      await h.call(1); // the held poll
      for (let i = 0; i < 20; i++) {
        h.session.send(`<message id='${i}'/>`);
        await new Promise((r) => setTimeout(r, 0));
        // Answer whatever is in flight apart from the held poll, one at a time.
        const pending = h.calls.filter((c) => !c.settled);
        if (pending.length >= 2) pending[0].answer(empty);
      }
      // What waited for an earlier request to arrive has gone too.
      await h.until(
        () =>
          h.session.queued === 0 &&
          h.calls.filter((c) => !c.settled).length <= 2,
        "drain",
      );
      assert.ok(h.maxOpen <= 2, `max in flight ${h.maxOpen}`);
      const rids = h.calls.map((c) => c.rid);
      for (let i = 1; i < rids.length; i++) {
        assert.equal(
          rids[i],
          rids[i - 1] + 1,
        );
      }
      const sent = h.calls.map((c) => c.body).join("");
      for (let i = 0; i < 20; i++) {
        assert.ok(
          sent.includes(`<message id='${i}'/>`),
        );
      }
      h.session.abort();
    },
  );

  await t.step("responses are delivered in rid order", async () => {
    const h = harness();
    await h.openSession();
    const poll = await h.call(1);
    h.session.send("<message id='x'/>");
    const second = await h.call(2);
    second.answer(withMessage("second"));
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(h.responses.length, 2, "held back until rid 1001 answers");
    poll.answer(withMessage("first"));
    await h.until(() => h.responses.length === 4, "both delivered");
    assert.deepEqual(
      h.responses.slice(2).map((r) => r.res.children[0].attrs.id),
      ["first", "second"],
    );
    h.session.abort();
  });

  await t.step(
    "a failed request is resent under the same rid with the same payload",
    async () => {
      const h = harness();
      await h.openSession();
      await h.call(1);
      h.session.send("<message id='m'/>");
      const first = await h.call(2);
      first.fail(new TypeError("connection reset"));
      const again = await h.call(3);
      assert.equal(again.rid, first.rid);
      assert.equal(again.body, first.body);
      again.answer(empty, 503);
      const third = await h.call(4);
      assert.equal(third.rid, first.rid);
      third.answer(empty);
      await new Promise((r) => setTimeout(r, 5));
      assert.deepEqual(h.ends, []);
      h.session.abort();
    },
  );

  await t.step(
    "a garbled response is asked for again under the same rid",
    async () => {
      const h = harness();
      await h.openSession();
      const poll = await h.call(1);
      poll.answer("<html>proxy error");
      const again = await h.call(2);
      assert.equal(again.rid, poll.rid);
      again.answer(withMessage("ok"));
      await h.until(() => h.responses.length === 3, "delivered");
      h.session.abort();
    },
  );

  await t.step(
    "an answer is delivered once its Content-Length bytes are in",
    async () => {
      const h = harness();
      await h.openSession();
      const end = (await h.call(1)).answerUnended(withMessage("m1"));
      // The stream has not ended: waiting for its end would hang here.
      await h.until(() => h.responses.length === 3, "delivered");
      assert.equal(h.responses[2].res.children[0].attrs.id, "m1");
      end();
      h.session.abort();
    },
  );

  await t.step("retries are bounded and end in a typed error", async () => {
    const h = harness({ maxRetries: 2 });
    h.session.start();
    for (let i = 0; i < 3; i++) {
      (await h.call(i)).fail(new TypeError("refused"));
    }
    await h.until(() => h.ends.length === 1, "end");
    assert.equal(h.calls.length, 3);
    assert.equal(h.ends[0]?.condition, "unreachable");
    assert.equal(h.ends[0]?.kind, "transport");
    assert.match(h.ends[0]!.message, /cannot be reached/);
  });

  await t.step(
    "XEP-0124 §9: a reported missing response is requested again",
    async () => {
      const h = harness();
      await h.openSession("requests='2' hold='1' wait='60' ack='1000'");
      const poll = await h.call(1);
      h.session.send("<message id='m'/>");
      const second = await h.call(2);
      // The server says it answered 1001 but we never got it.
      second.answer(
        `<body xmlns='${NS_HTTPBIND}' ack='1002' report='1001' time='300'/>`,
      );
      const resent = await h.call(3);
      assert.equal(resent.rid, 1001);
      assert.equal(resent.body, poll.body);
      assert.ok(poll.settled, "the lost attempt was abandoned");
      resent.answer(withMessage("late"));
      await h.until(() => h.responses.length === 4, "delivered");
      assert.equal(h.responses[2].res.children[0].attrs.id, "late");
      h.session.abort();
    },
  );

  await t.step(
    "response acks go out when an earlier response is missing",
    async () => {
      const h = harness();
      // Three connections, so the rid window allows 1003 while 1001 is held.
      await h.openSession("requests='3' hold='1' wait='60'");
      await h.call(1); // 1001 held
      h.session.send("<message id='a'/>");
      (await h.call(2)).answer(empty); // 1002 answered before 1001
      h.session.send("<message id='b'/>");
      const third = await h.call(3);
      assert.equal(third.rid, 1003);
      assert.match(third.body, /ack='1000'/);
      h.session.abort();
    },
  );

  await t.step(
    "the rid window holds back a request while the oldest is unanswered",
    async () => {
      const h = harness();
      await h.openSession();
      const poll = await h.call(1); // 1001 held
      h.session.send("<message id='a'/>");
      (await h.call(2)).answer(empty); // 1002 answered, 1001 still held
      h.session.send("<message id='b'/>");
      await new Promise((r) => setTimeout(r, 5));
      assert.equal(
        h.calls.length,
        4,
        "1003 would be out of the server's window",
      );
      poll.answer(empty);
      const next = await h.call(3);
      assert.equal(next.rid, 1003);
      assert.match(next.body, /<message id='b'\/>/);
      h.session.abort();
    },
  );

  await t.step("restart carries xmpp:restart and no payload", async () => {
    const h = harness();
    await h.openSession();
    const poll = await h.call(1);
    h.session.restart("example.com", "en");
    h.session.send("<iq id='bind'/>");
    const restart = await h.call(2);
    assert.match(restart.body, /xmpp:restart='true'/);
    assert.doesNotMatch(restart.body, /<iq/);
    poll.answer(empty);
    restart.answer(withMessage("features"));
    const next = await h.call(3);
    assert.match(next.body, /<iq id='bind'\/>/);
    await h.until(
      () => h.responses.some((r) => r.kind === "restart"),
      "restart response",
    );
    h.session.abort();
  });

  await t.step(
    "the held poll answered empty at once says the next request arrived",
    async () => {
      const h = harness();
      await h.openSession();
      const poll = await h.call(1);
      h.session.send("<message id='a'/>");
      const next = await h.call(2);
      assert.equal(h.session.inflight.get(next.rid)?.acknowledged, false);
      // XEP-0124 §11: the server answers the oldest when a new one comes.
      poll.answer(empty);
      await h.until(() => h.responses.length === 3, "delivered");
      assert.equal(h.session.inflight.get(next.rid)?.acknowledged, true);
      h.session.abort();
    },
  );

  await t.step(
    "a poll answered with content says nothing of the next",
    async () => {
      const h = harness();
      await h.openSession();
      const poll = await h.call(1);
      h.session.send("<message id='a'/>");
      const next = await h.call(2);
      poll.answer(withMessage("pushed"));
      await h.until(() => h.responses.length === 3, "delivered");
      assert.equal(h.session.inflight.get(next.rid)?.acknowledged, false);
      h.session.abort();
    },
  );

  await t.step("no long poll before the stream is authenticated", async () => {
    const h = harness();
    h.session.start();
    (await h.call(0)).answer(
      `<body xmlns='${NS_HTTPBIND}' sid='S' requests='2' hold='1'>${features}</body>`,
    );
    await h.until(() => h.responses.length === 1, "created");
    // The server only ever answers us before SASL succeeds: a poll here
    // would only race the <auth/> the client is about to send.
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(h.calls.length, 1);
    h.session.send("<auth/>");
    const auth = await h.call(1);
    assert.match(auth.body, /<auth\/>/);
    // An answer with nothing in it leaves the client waiting: poll for more.
    auth.answer(empty);
    const poll = await h.call(2);
    assert.match(poll.body, /\/>$/);
    h.session.abort();
  });

  await t.step(
    "what the client answers in a microtask travels instead of the poll",
    async () => {
      const h = harness();
      await h.openSession();
      const poll = await h.call(1);
      // As xmpp.js does: the answer goes out a few promise hops after the
      // handler saw the ping (middleware, iq callee).
      h.setOnResponse(() =>
        Promise.resolve().then(() => undefined).then(() =>
          h.session.send("<iq id='pong'/>")
        )
      );
      poll.answer(withMessage("ping"));
      const next = await h.call(2);
      assert.match(next.body, /<iq id='pong'\/>/);
      await new Promise((r) => setTimeout(r, 5));
      assert.equal(h.calls.length, 3 + 1, "no empty poll beside it");
      h.session.abort();
    },
  );
});
