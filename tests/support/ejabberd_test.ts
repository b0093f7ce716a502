// The ejabberd launcher's own test: a private node serves BOSH and
// WebSocket, knows its seeded users, rosters and vCards, comes back after a
// crash, and leaves no process or file behind.
import assert from "node:assert/strict";
import type { Element } from "@xmpp/xml";
import { client, xml } from "../../shared/xmpp/session/client.ts";
import { startEjabberd } from "./ejabberd.ts";

const NS_SEARCH = "jabber:iq:search";
const NS_DATA = "jabber:x:data";

async function signIn(service: string, username: string) {
  const xmpp = client({
    service,
    domain: "localhost",
    username,
    password: `${username}-pw`,
  });
  await xmpp.start();
  return xmpp;
}

async function refusesConnections(port: number): Promise<boolean> {
  try {
    const connection = await Deno.connect({ hostname: "127.0.0.1", port });
    connection.close();
    return false;
  } catch (error) {
    if (error instanceof Deno.errors.ConnectionRefused) return true;
    throw error;
  }
}

async function processesMentioning(text: string): Promise<string[]> {
  const output = await new Deno.Command("ps", { args: ["-eo", "args"] })
    .output();
  return new TextDecoder().decode(output.stdout).split("\n")
    .filter((line) => line.includes(text));
}

Deno.test("startEjabberd: a private node with users, roster, vCard search, kill and restart", async (t) => {
  const started = performance.now();
  const server = await startEjabberd({
    https: true,
    users: [
      { username: "alice", password: "alice-pw" },
      { username: "bob", password: "bob-pw" },
    ],
    roster: {
      alice: [{
        jid: "bob@localhost",
        name: "Bob",
        groups: ["Agents", "Support"],
        subscription: "both",
      }],
    },
  });
  console.log(`started in ${Math.round(performance.now() - started)} ms`);
  const runDir = server.configPath.replace(/\/conf\/ejabberd\.yml$/, "");
  try {
    await t.step("BOSH session creation offers SCRAM-SHA-512", async () => {
      // XEP-0124 §7 / XEP-0206 §3: a session creation request.
      const response = await fetch(server.boshUrl, {
        method: "POST",
        headers: { "Content-Type": "text/xml; charset=utf-8" },
        body: `<body xmlns='http://jabber.org/protocol/httpbind' ` +
          `xmlns:xmpp='urn:xmpp:xbosh' content='text/xml; charset=utf-8' ` +
          `hold='1' rid='4242' to='localhost' wait='60' ver='1.6' ` +
          `xml:lang='en' xmpp:version='1.0'/>`,
      });
      const text = await response.text();
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("access-control-allow-origin"), "*");
      assert.match(text, / sid='[^']+'/);
      for (const mechanism of ["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"]) {
        assert.match(text, new RegExp(`<mechanism>${mechanism}</mechanism>`));
      }
    });

    await t.step("BOSH over TLS: a certificate no client trusts", async () => {
      assert.match(server.httpsBoshUrl ?? "", /^https:\/\/127\.0\.0\.1:\d+\//);
      // Deno's fetch rejects with a TypeError whose cause is rustls's
      // verdict on the self-signed certificate.
      await assert.rejects(
        fetch(server.httpsBoshUrl!, { method: "POST", body: "<body/>" }),
        (error: unknown) =>
          error instanceof TypeError &&
          /invalid peer certificate: UnknownIssuer/.test(String(error.cause)),
      );
    });

    await t.step("a seeded user has its roster over WebSocket", async () => {
      const xmpp = await signIn(server.wsUrl, "alice");
      try {
        const roster = await xmpp.iqCaller.get(
          xml("query", { xmlns: "jabber:iq:roster" }),
        );
        const items = roster.getChildren("item");
        assert.deepEqual(
          items.map((item: Element) => [item.attrs.jid, item.attrs.name]),
          [["bob@localhost", "Bob"]],
        );
        assert.deepEqual(
          items[0].getChildren("group").map((g: Element) => g.text()).sort(),
          ["Agents", "Support"],
        );
      } finally {
        await xmpp.stop();
      }
    });

    await t.step("setVcard makes a user found by vjud", async () => {
      await server.setVcard("bob", {
        fn: "Bob Builder",
        nick: "bobby",
        given: "Bob",
        family: "Builder",
        email: "bob@example.com",
      });
      const xmpp = await signIn(server.wsUrl, "alice");
      try {
        // XEP-0055 §3: ejabberd takes the search as a submitted data form.
        const result = await xmpp.iqCaller.set(
          xml(
            "query",
            { xmlns: NS_SEARCH },
            xml(
              "x",
              { xmlns: NS_DATA, type: "submit" },
              xml("field", { var: "nick" }, xml("value", {}, "bobby")),
            ),
          ),
          server.searchJid,
        );
        const jids = result.getChild("x", NS_DATA)?.getChildren("item")
          .flatMap((item: Element) => item.getChildren("field"))
          .filter((field: Element) => field.attrs.var === "jid")
          .map((field: Element) => field.getChildText("value"));
        assert.deepEqual(jids, ["bob@localhost"]);
      } finally {
        await xmpp.stop();
      }
    });

    await t.step(
      "kill() and restart() keep users on the same port",
      async () => {
        await server.kill();
        assert.ok(await refusesConnections(server.httpPort));
        await server.restart();
        const xmpp = await signIn(server.wsUrl, "bob");
        await xmpp.stop();
      },
    );
  } finally {
    const stopping = performance.now();
    await server.stop();
    console.log(`stopped in ${Math.round(performance.now() - stopping)} ms`);
  }
  assert.ok(await refusesConnections(server.httpPort));
  assert.deepEqual(await processesMentioning(runDir), []);
  await assert.rejects(Deno.stat(runDir), Deno.errors.NotFound);
  assert.match(server.logTail(), /is stopped in the node/);
});
