// client() wiring against a scripted BOSH connection manager: the per-client
// `bosh` options reach the transport, abort() stops a sign-in at once with a
// typed error, and the stanzas the session never sent come out as `unsent`
// ids. Real servers are in tests/integration/xmpp_client_test.ts.
import assert from "node:assert/strict";
import { client } from "./client.ts";
import { TransportError } from "../core/errors.ts";
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
});
