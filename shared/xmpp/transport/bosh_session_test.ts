// The scheduler against a scripted connection manager: each HTTP request is
// held until the test answers it, so rid, in-flight, retry and ordering rules
// can be checked exactly. Real-server behaviour is covered in tests/.
import assert from "node:assert/strict";
import { NS_HTTPBIND } from "./bosh_body.ts";
import type { BoshResponse } from "./bosh_body.ts";
import {
  BoshSession,
  type BoshSessionOptions,
  type RequestKind,
} from "./bosh_session.ts";
import type { TransportError } from "../core/errors.ts";

interface Call {
  rid: number;
  body: string;
  answer(text: string, status?: number): void;
  /** Answers with all of `text` but leaves the stream open; returns its end. */
  answerUnended(text: string): () => void;
  fail(err: Error): void;
  settled: boolean;
}

function harness(options: Partial<BoshSessionOptions> = {}) {
  const calls: Call[] = [];
  let open = 0;
  let maxOpen = 0;
  const fetch =
    ((_url: string, init: RequestInit) =>
      new Promise<Response>((resolve, reject) => {
        const body = String(init.body);
        open++;
        maxOpen = Math.max(maxOpen, open);
        const call: Call = {
          rid: Number(/rid='(\d+)'/.exec(body)?.[1]),
          body,
          settled: false,
          answer(text, status = 200) {
            if (call.settled) return;
            call.settled = true;
            open--;
            resolve(new Response(text, { status }));
          },
          answerUnended(text) {
            const bytes = new TextEncoder().encode(text);
            let body!: ReadableStreamDefaultController<Uint8Array>;
            call.settled = true;
            open--;
            resolve(
              new Response(
                new ReadableStream<Uint8Array>({
                  start(c) {
                    body = c;
                    c.enqueue(bytes);
                  },
                }),
                { headers: { "content-length": String(bytes.byteLength) } },
              ),
            );
            return () => body.close();
          },
          fail(err) {
            if (call.settled) return;
            call.settled = true;
            open--;
            reject(err);
          },
        };
        init.signal?.addEventListener(
          "abort",
          () => call.fail(new Error("aborted")),
        );
        calls.push(call);
      })) as typeof globalThis.fetch;

  const responses: { kind: RequestKind; res: BoshResponse }[] = [];
  const ends: (TransportError | undefined)[] = [];
  const session = new BoshSession(
    {
      url: "http://cm.test/http-bind",
      to: "example.com",
      rid: 1000,
      retryDelay: () => 1,
      fetch,
      ...options,
    },
    {
      onResponse: (kind, res) => responses.push({ kind, res }),
      onEnd: (err) => ends.push(err),
    },
  );

  async function until(what: () => boolean, label: string) {
    for (let i = 0; i < 200; i++) {
      if (what()) return;
      await new Promise((r) => setTimeout(r, 1));
    }
    assert.fail(`timed out waiting for ${label}`);
  }

  /** The nth HTTP request (0-based), once it has been made. */
  async function call(n: number): Promise<Call> {
    await until(() => calls.length > n, `request #${n}`);
    return calls[n];
  }

  async function openSession(attrs = "requests='2' hold='1' wait='60'") {
    session.start();
    (await call(0)).answer(
      `<body xmlns='${NS_HTTPBIND}' sid='S' ${attrs}><features xmlns='http://etherx.jabber.org/streams'/></body>`,
    );
    await until(() => session.state === "open", "open");
  }

  return {
    session,
    calls,
    call,
    until,
    openSession,
    responses,
    ends,
    get maxOpen() {
      return maxOpen;
    },
  };
}

const empty = `<body xmlns='${NS_HTTPBIND}'/>`;
const withMessage = (id: string) =>
  `<body xmlns='${NS_HTTPBIND}'><message id='${id}'/></body>`;

Deno.test("BoshSession", async (t) => {
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
      await h.until(
        () => h.calls.filter((c) => !c.settled).length <= 2,
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
    assert.equal(h.responses.length, 1, "held back until rid 1001 answers");
    poll.answer(withMessage("first"));
    await h.until(() => h.responses.length === 3, "both delivered");
    assert.deepEqual(
      h.responses.slice(1).map((r) => r.res.children[0].attrs.id),
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
      await h.until(() => h.responses.length === 2, "delivered");
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
      await h.until(() => h.responses.length === 2, "delivered");
      assert.equal(h.responses[1].res.children[0].attrs.id, "m1");
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
      await h.until(() => h.responses.length === 3, "delivered");
      assert.equal(h.responses[1].res.children[0].attrs.id, "late");
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
        3,
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
});
