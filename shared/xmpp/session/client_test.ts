// client() wiring against a scripted BOSH connection manager: the per-client
// `bosh` options reach the transport, abort() stops a sign-in at once with a
// typed error, and the stanzas the session never sent come out as `unsent`
// ids. Real servers are in tests/integration/xmpp_client_test.ts.
import assert from "node:assert/strict";
import { client } from "./client.ts";
import { TransportError, XmppError } from "../core/errors.ts";
import { NS_HTTPBIND } from "../transport/bosh_body.ts";

const NS =
  `xmlns='${NS_HTTPBIND}' xmlns:stream='http://etherx.jabber.org/streams'`;

Deno.test("client() over a scripted BOSH manager", async (t) => {
  await t.step(
    "abort() mid sign-in: cancelled, and the bind iq unsent",
    async () => {
      const bodies: string[] = [];
      const answers: Record<number, string> = {
        0: `<body ${NS} sid='S' requests='2' hold='1'><stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features></body>`,
        1: `<body ${NS}><success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/></body>`,
        2: `<body ${NS}><stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features></body>`,
      };
      const fetch =
        ((_url: string, init: RequestInit) =>
          new Promise<Response>((resolve, reject) => {
            const n = bodies.push(String(init.body)) - 1;
            init.signal?.addEventListener(
              "abort",
              () => reject(new Error("aborted")),
            );
            if (answers[n]) {
              resolve(new Response(answers[n]));
            }
          })) as typeof globalThis.fetch;
      const xmpp = client({
        service: "http://127.0.0.1:5280/http-bind",
        domain: "example.com",
        username: "alice",
        password: "pw",
        bosh: { fetch },
      });
      const unsent: string[][] = [];
      xmpp.on("unsent", (ids: string[]) => unsent.push(ids));
      const errors: unknown[] = [];
      xmpp.on("error", (e: unknown) => errors.push(e));
      const started = xmpp.start().then(() => undefined, (e: unknown) => e);
      for (
        let i = 0;
        i < 200 && !bodies.some((b) => b.includes("<bind"));
        i++
      ) {
        await new Promise((r) => setTimeout(r, 1));
      }
      const bindId = /<iq[^>]* id="([^"]+)"/.exec(bodies.at(-1) ?? "")?.[1];
      assert.ok(bindId, "the bind iq went out");
      xmpp.abort();
      const error = await started;
      assert.ok(error instanceof TransportError);
      assert.equal(error.condition, "cancelled");
      assert.equal(xmpp.status, "offline");
      assert.deepEqual(unsent, [[bindId]]);
      assert.ok(errors.every((e) => e instanceof TransportError));
    },
  );

  await t.step(
    "a see-other-host naming no valid host fails the sign-in, typed",
    async () => {
      // RFC 6120 §4.9.3.19: the host is the server's word; a hostile one
      // (a space) made xmpp.js's own follower reject with no handler.
      let n = 0;
      const fetch = ((_url: string, init: RequestInit) => {
        const answer = n++ === 0
          ? `<body ${NS} sid='S' requests='2' hold='1'><stream:error><see-other-host xmlns='urn:ietf:params:xml:ns:xmpp-streams'>bad host</see-other-host></stream:error></body>`
          : `<body ${NS} type='terminate'/>`;
        return init.signal?.aborted
          ? Promise.reject(new Error("aborted"))
          : Promise.resolve(new Response(answer));
      }) as typeof globalThis.fetch;
      const xmpp = client({
        service: "http://127.0.0.1:5280/http-bind",
        domain: "example.com",
        username: "alice",
        password: "pw",
        bosh: { fetch },
      });
      const errors: unknown[] = [];
      xmpp.on("error", (e: unknown) => errors.push(e));
      const error = await xmpp.start().then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof XmppError, String(error));
      // Let any follow-up of the redirect settle inside this step.
      await new Promise((r) => setTimeout(r, 20));
      assert.ok(errors.every((e) => e instanceof XmppError));
      xmpp.abort();
    },
  );
});
