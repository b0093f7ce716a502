// BoshSocket as xmpp.js's Connection drives it: RFC 7395 frames in, parsed
// events out through the transport's handoff, a clean end on sign-out
// whatever the server answers the held poll, and unsent stanzas reported.
import assert from "node:assert/strict";
import type { Element } from "@xmpp/xml";
import { NS_HTTPBIND } from "./bosh_body.ts";
import { BatchHandoff, BoshParser } from "./bosh_parser.ts";
import { BoshSocket } from "./bosh_socket.ts";

const OPEN =
  "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='example.com' version='1.0'/>";
const CLOSE = "<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>";
const FEATURES = "<stream:features><mechanisms/></stream:features>";

function setup() {
  const pending: { body: string; answer(text: string): void }[] = [];
  const fetch =
    ((_url: string, init: RequestInit) =>
      new Promise<Response>((resolve, reject) => {
        init.signal?.addEventListener(
          "abort",
          () => reject(new Error("aborted")),
        );
        pending.push({
          body: String(init.body),
          answer: (text) => resolve(new Response(text)),
        });
      })) as typeof globalThis.fetch;
  const handoff = new BatchHandoff();
  const unsent: string[][] = [];
  const socket = new BoshSocket({
    options: { fetch, rid: 10 },
    handoff,
    onUnsent: (payloads) => unsent.push(payloads),
  });
  // What xmpp.js's Connection does with the socket's data (_onData).
  const parser = new BoshParser(handoff);
  const events: string[] = [];
  for (const event of ["start", "element", "end"]) {
    parser.on(event, (el: Element) => events.push(`${event}:${el.name}`));
  }
  socket.on("data", (data: string) => parser.write(data.toString()));
  const errors: unknown[] = [];
  socket.on("error", (e: unknown) => errors.push(e));
  async function request(n: number) {
    for (let i = 0; i < 200 && pending.length <= n; i++) {
      await new Promise((r) => setTimeout(r, 1));
    }
    assert.ok(pending.length > n, `request #${n}`);
    return pending[n];
  }
  return { socket, unsent, events, errors, request };
}

async function signedIn() {
  const s = setup();
  s.socket.connect("http://127.0.0.1:5280/http-bind");
  s.socket.write(OPEN);
  (await s.request(0)).answer(
    `<body xmlns='${NS_HTTPBIND}' xmlns:stream='http://etherx.jabber.org/streams' sid='S' requests='2' hold='1'>${FEATURES}</body>`,
  );
  s.socket.write(OPEN); // the restart after SASL success
  (await s.request(1)).answer(
    `<body xmlns='${NS_HTTPBIND}' xmlns:stream='http://etherx.jabber.org/streams'>${FEATURES}</body>`,
  );
  await s.request(2); // the poll
  return s;
}

Deno.test("BoshSocket", async (t) => {
  await t.step("hands over parsed stream starts and elements", async () => {
    const s = await signedIn();
    assert.deepEqual(s.events, [
      "start:open",
      "element:stream:features",
      "start:open",
      "element:stream:features",
    ]);
    s.socket.end();
  });

  await t.step(
    "sign-out answered other-request ends the stream cleanly",
    async () => {
      const s = await signedIn();
      const closed: boolean[] = [];
      s.socket.on("close", (dirty: boolean) => closed.push(dirty));
      s.socket.write(CLOSE);
      await s.request(3);
      (await s.request(2)).answer(
        `<body xmlns='${NS_HTTPBIND}' type='terminate' condition='other-request'/>`,
      );
      for (let i = 0; i < 50 && !s.events.includes("end:close"); i++) {
        await new Promise((r) => setTimeout(r, 1));
      }
      assert.equal(s.events.at(-1), "end:close");
      assert.deepEqual(s.errors, []);
      assert.deepEqual(s.unsent, []);
      s.socket.end();
      await new Promise((r) => setTimeout(r, 0));
      assert.deepEqual(closed, [false]);
    },
  );

  await t.step("end() reports what never reached the server", async () => {
    const s = await signedIn();
    s.socket.write("<message id='late'/>");
    await s.request(3);
    s.socket.write("<message id='queued'/>");
    s.socket.end();
    assert.deepEqual(s.unsent, [[
      "<message id='late'/>",
      "<message id='queued'/>",
    ]]);
  });
});
