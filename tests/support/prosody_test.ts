import assert from "node:assert/strict";
import { client, xml } from "@xmpp/client";
import {
  type HttpsProsodyServer,
  PortInUseError,
  type ProsodyServer,
  seedUsers,
  startProsody,
  TEST_ITERATIONS,
} from "../../scripts/servers/prosody.ts";

type Mechanism = "PLAIN" | "SCRAM-SHA-1";

// @xmpp/client ships no types; this is the part of it these tests touch.
interface XmppElement {
  readonly attrs: Record<string, string>;
  getChild(name: string, xmlns?: string): XmppElement | undefined;
  getChildren(name: string): XmppElement[];
  getChildText(name: string): string | null;
}

interface Session {
  readonly jid: string;
  request(stanza: unknown): Promise<XmppElement>;
  close(): Promise<void>;
}

type Authenticate = (
  credentials: { username: string; password: string },
  mechanism: string,
) => Promise<void>;

/** Signs in over WebSocket with exactly `mechanism`, failing if not offered. */
async function signIn(
  server: ProsodyServer,
  username: string,
  password: string,
  mechanism: Mechanism,
): Promise<Session> {
  const xmpp = client({
    service: server.wsUrl,
    domain: server.domain,
    resource: "harness",
    credentials: async (authenticate: Authenticate, offered: string[]) => {
      assert.ok(offered.includes(mechanism), `offered: ${offered.join(", ")}`);
      await authenticate({ username, password }, mechanism);
    },
  });
  // stack-notes: the reconnect module leaves timers behind unless stopped.
  xmpp.reconnect.stop();
  const address = await xmpp.start();
  return {
    jid: String(address),
    request: (stanza) => xmpp.iqCaller.request(stanza),
    close: () => xmpp.stop(),
  };
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

const ALICE = { username: "alice", password: "alice-pw" };
const BOB = { username: "bob", password: "bob-pw" };

/** XEP-0124 §7 / XEP-0206 §3: a session creation request. */
function createBoshSession(
  url: string,
  domain: string,
  init: { client?: Deno.HttpClient; origin?: string } = {},
): Promise<Response> {
  return fetch(url, {
    method: "POST",
    client: init.client,
    headers: {
      "Content-Type": "text/xml; charset=utf-8",
      ...(init.origin ? { "Origin": init.origin } : {}),
    },
    body: `<body xmlns='http://jabber.org/protocol/httpbind' ` +
      `xmlns:xmpp='urn:xmpp:xbosh' content='text/xml; charset=utf-8' ` +
      `hold='1' rid='4242' to='${domain}' wait='60' ver='1.6' ` +
      `xml:lang='en' xmpp:version='1.0'/>`,
  });
}

/** Session creation over HTTPS, trusting exactly the server's certificate. */
async function createTrustedHttpsSession(
  server: HttpsProsodyServer,
): Promise<{ status: number; text: string }> {
  using client = Deno.createHttpClient({
    caCerts: [server.tlsCertificate.pem],
  });
  const response = await createBoshSession(
    server.httpsBoshUrl,
    server.domain,
    { client },
  );
  return { status: response.status, text: await response.text() };
}

Deno.test("startProsody: BOSH over http and https, seeded and registered sign-in, vCard search, kill and restart", async (t) => {
  const started = performance.now();
  const server = await startProsody({
    https: true,
    users: [ALICE, BOB],
    roster: {
      alice: [{
        jid: "bob@localhost",
        name: "Bob",
        groups: ["Agents"],
        subscription: "both",
      }],
    },
  });
  console.log(`started in ${Math.round(performance.now() - started)} ms`);
  try {
    await t.step(
      "BOSH session creation answers with sid and requests",
      async () => {
        const response = await createBoshSession(
          server.boshUrl,
          server.domain,
          { origin: "http://127.0.0.1:1" },
        );
        const text = await response.text();
        assert.equal(response.status, 200);
        // Another loopback origin may use BOSH (http_cors_override).
        assert.equal(
          response.headers.get("access-control-allow-origin"),
          "http://127.0.0.1:1",
        );
        assert.match(text, / sid='[^']+'/);
        assert.match(text, / requests='2'/);
        assert.match(text, /<mechanism>SCRAM-SHA-1<\/mechanism>/);
      },
    );

    await t.step(
      "BOSH over HTTPS refuses an untrusted client, serves a trusting one",
      async () => {
        assert.match(
          server.httpsBoshUrl,
          new RegExp(`^https://127\\.0\\.0\\.1:${server.httpsPort}/http-bind$`),
        );
        assert.match(server.tlsCertificate.pem, /^-----BEGIN CERTIFICATE-----/);
        assert.equal(
          await Deno.readTextFile(server.tlsCertificate.path),
          server.tlsCertificate.pem,
        );
        // Deno's fetch rejects with a TypeError whose cause is rustls's
        // verdict on the self-signed certificate.
        await assert.rejects(
          createBoshSession(server.httpsBoshUrl, server.domain),
          (error: unknown) =>
            error instanceof TypeError &&
            /invalid peer certificate: UnknownIssuer/.test(
              String(error.cause),
            ),
        );
        const { status, text } = await createTrustedHttpsSession(server);
        assert.equal(status, 200);
        assert.match(text, /^<body [^>]*\bsid='[^']+'/);
      },
    );

    await t.step(
      "a seeded user signs in with SCRAM-SHA-1 and has its roster",
      async () => {
        const session = await signIn(
          server,
          "alice",
          "alice-pw",
          "SCRAM-SHA-1",
        );
        try {
          assert.match(session.jid, /^alice@localhost\/harness$/);
          const result = await session.request(
            xml(
              "iq",
              { type: "get" },
              xml("query", { xmlns: "jabber:iq:roster" }),
            ),
          );
          const items = result.getChild("query")?.getChildren("item") ?? [];
          assert.deepEqual(
            items.map((item) => [item.attrs.jid, item.attrs.subscription]),
            [["bob@localhost", "both"]],
          );
          assert.equal(items[0].getChildText("group"), "Agents");
        } finally {
          await session.close();
        }
      },
    );

    await t.step("a seeded user signs in with PLAIN", async () => {
      const session = await signIn(server, "bob", "bob-pw", "PLAIN");
      await session.close();
    });

    await t.step("a user registered with prosodyctl signs in", async () => {
      await server.register("carol", "carol-pw");
      const session = await signIn(server, "carol", "carol-pw", "PLAIN");
      await session.close();
    });

    await t.step(
      "setVcard on a running server shows up in directory search",
      async () => {
        await server.setVcard("bob", {
          fn: "Bob Builder",
          nick: "bobby",
          given: "Bob",
          family: "Builder",
          email: "bob@example.com",
        });
        const session = await signIn(server, "alice", "alice-pw", "PLAIN");
        try {
          // XEP-0055 §2; prosody-notes: fill every field with the term.
          const term = "build";
          const result = await session.request(
            xml(
              "iq",
              { type: "set", to: server.domain },
              xml(
                "query",
                { xmlns: "jabber:iq:search" },
                xml("first", {}, term),
                xml("last", {}, term),
                xml("nick", {}, term),
                xml("email", {}, term),
              ),
            ),
          );
          const items = result.getChild("query")?.getChildren("item") ?? [];
          assert.deepEqual(items.map((item) => item.attrs.jid), [
            "bob@localhost",
          ]);
          assert.equal(items[0].getChildText("nick"), "bobby");
        } finally {
          await session.close();
        }
      },
    );

    await t.step("kill() makes the ports refuse connections", async () => {
      await server.kill();
      assert.ok(await refusesConnections(server.httpPort));
      assert.ok(await refusesConnections(server.c2sPort));
      assert.ok(await refusesConnections(server.httpsPort));
    });

    await t.step(
      "restart() serves the same users on the same ports",
      async () => {
        await server.restart();
        const session = await signIn(server, "carol", "carol-pw", "PLAIN");
        await session.close();
        assert.equal((await createTrustedHttpsSession(server)).status, 200);
      },
    );
  } finally {
    const stopping = performance.now();
    await server.stop();
    console.log(`stopped in ${Math.round(performance.now() - stopping)} ms`);
  }
  await server.stop();
  assert.ok(await refusesConnections(server.httpPort));
  await assert.rejects(Deno.stat(server.configPath), Deno.errors.NotFound);
  await assert.rejects(
    Deno.stat(server.tlsCertificate.path),
    Deno.errors.NotFound,
  );
  assert.match(server.logTail(), /Shutting down/);
});

Deno.test("startProsody fails clearly when a fixed port is taken", async () => {
  const holder = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    await assert.rejects(
      startProsody({ httpPort: holder.addr.port }),
      (error: unknown) =>
        error instanceof PortInUseError && error.port === holder.addr.port,
    );
  } finally {
    holder.close();
  }
});

Deno.test("seedUsers writes 2,000 users with rosters in seconds", async () => {
  const users = Array.from({ length: 2000 }, (_, i) => ({
    username: `agent${i}`,
    password: `pw${i}`,
  }));
  // Every user has the 20 users after it as contacts.
  const roster = Object.fromEntries(users.map((user, i) => [
    user.username,
    Array.from({ length: 20 }, (_, k) => ({
      jid: `agent${(i + k + 1) % users.length}@localhost`,
      groups: ["Agents"],
      subscription: "both" as const,
    })),
  ]));
  const dataDir = await Deno.makeTempDir({ prefix: "prosody-seed-" });
  try {
    const seeding = performance.now();
    await seedUsers(dataDir, users, {
      roster,
      iterationCount: TEST_ITERATIONS,
    });
    const seedMs = performance.now() - seeding;
    const starting = performance.now();
    await using server = await startProsody({ dataDir });
    console.log(
      `seeded 2,000 users in ${Math.round(seedMs)} ms, ` +
        `started on them in ${Math.round(performance.now() - starting)} ms`,
    );
    const session = await signIn(server, "agent1999", "pw1999", "SCRAM-SHA-1");
    const result = await session.request(
      xml("iq", { type: "get" }, xml("query", { xmlns: "jabber:iq:roster" })),
    );
    await session.close();
    assert.equal(result.getChild("query")?.getChildren("item").length, 20);
    assert.ok(seedMs < 30_000, `seeding took ${seedMs} ms`);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
