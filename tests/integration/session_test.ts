// The session store end to end against real Prosody and ejabberd, over BOSH
// and WebSocket (each cell of the matrix a named step): the settings read
// from an HTTP endpoint, sign-in to a roster and Available presence, each
// sign-in failure typed as the view needs it, sign-out, and a lost
// connection.
import assert from "node:assert/strict";
import { defaultSettings } from "../../shared/settings/settings_schema.ts";
import { client, type XmppClient } from "../../shared/xmpp/session/client.ts";
import { connectionFromClient } from "../../shared/xmpp/session/client_connection.ts";
import { routeConnection } from "../../shared/xmpp/router/routed_connection.ts";
import { createPresenceStore } from "../../shared/xmpp/presence/presence_store.ts";
import { createRosterStore } from "../../shared/xmpp/roster/roster_store.ts";
import {
  createSessionStore,
  type SessionStore,
} from "../../shared/xmpp/session/session_store.ts";
import { until } from "../support/until.ts";
import { unusedPort } from "../../scripts/servers/free_port.ts";
import {
  matrixTest,
  type ServerOptions,
  testUsers,
  type TransportKind,
} from "../support/xmpp_servers.ts";

/** alice and bob, each in the other's roster, named for one cell. */
function seed(user: (base: string) => string): ServerOptions {
  const item = (base: string, name: string) => ({
    jid: `${user(base)}@localhost`,
    name,
    groups: ["Agents"],
    subscription: "both" as const,
  });
  return {
    users: testUsers([user("alice"), user("bob")]),
    roster: {
      [user("alice")]: [item("bob", "Bob")],
      [user("bob")]: [item("alice", "Alice")],
    },
    https: true,
  };
}

/** Where no chat server listens, in the transport's own URL form. */
function deadService(transport: TransportKind): string {
  const origin = `127.0.0.1:${unusedPort()}`;
  return transport === "bosh"
    ? `http://${origin}/http-bind`
    : `ws://${origin}/xmpp-websocket`;
}

/**
 * Serves `{primary, secondary, attachments}` as the desktop service does,
 * counting the reads; `failNext` answers the next read with a 503.
 */
function serveSettings(primary: () => string) {
  const ac = new AbortController();
  const state = { reads: 0, failNext: false };
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen() {} },
    () => {
      state.reads++;
      if (state.failNext) {
        state.failNext = false;
        return new Response("busy", { status: 503 });
      }
      return Response.json({ ...defaultSettings(), primary: primary() }, {
        headers: { ETag: `"${encodeURIComponent(primary())}"` },
      });
    },
  );
  return {
    state,
    /** Resolves once `count` reads have been answered. */
    async reads(count: number) {
      for (let i = 0; i < 500 && state.reads < count; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.equal(state.reads, count, "settings reads");
    },
    url: `http://127.0.0.1:${server.addr.port}/api/chat-server-settings`,
    async stop() {
      ac.abort();
      await server.finished;
    },
  };
}

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (key: string) => map.get(key) ?? null,
    setItem: (key: string, value: string) => void map.set(key, value),
    removeItem: (key: string) => void map.delete(key),
  };
}

matrixTest("session store", {
  seed,
  // A dead server is noticed within BOSH's wait (60 s) at worst.
  cellTimeoutMs: 120_000,
}, async (cell, t) => {
  let primary = "";
  const settings = serveSettings(() => primary);
  let bob: XmppClient | undefined;
  const sessions: SessionStore[] = [];
  const session = () => {
    const store = createSessionStore({
      settingsUrl: settings.url,
      domain: "localhost",
      storage: memoryStorage(),
    });
    sessions.push(store);
    return store;
  };
  try {
    const server = cell.server;
    primary = cell.service;
    const aliceName = cell.user("alice");
    const alicePassword = `${aliceName}-pw`;

    bob = client({
      service: cell.service,
      domain: server.domain,
      username: cell.user("bob"),
      password: `${cell.user("bob")}-pw`,
    });
    // The last step kills the server under bob too; that loss is expected.
    const bobErrors: unknown[] = [];
    bob.on("error", (error: unknown) => bobErrors.push(error));
    await bob.start();
    // As sign_in.ts does: the router takes an online connection.
    const bobConnection = routeConnection(connectionFromClient(bob));
    using bobRoster = createRosterStore(bobConnection);
    using bobPresence = createPresenceStore(bobConnection, {
      roster: bobRoster,
    });
    await bobRoster.load();
    await bobPresence.setPresence("available");
    const aliceSeenByBob = bobPresence.presenceOf(cell.jid("alice"));

    await t.step(
      "sign in: roster loaded, Available, seen by a contact",
      async () => {
        const alice = session();
        await alice.signIn(aliceName, alicePassword);
        assert.equal(alice.status.value, "online");
        assert.equal(alice.failure.value, undefined);
        const account = alice.account.value!;
        assert.equal(account.jid, cell.jid("alice"));
        assert.equal(account.service, cell.service);
        assert.equal(account.roster.status.value, "ready");
        assert.deepEqual([...account.roster.contacts.value.keys()], [
          cell.jid("bob"),
        ]);
        assert.equal(account.presence.own.value.show, "available");
        await until(
          aliceSeenByBob,
          (p) => p.availability === "available",
          "bob sees alice available",
        );

        await account.presence.setPresence("dnd", "On a call");
        await until(
          aliceSeenByBob,
          (p) => p.availability === "dnd" && p.status === "On a call",
          "bob sees alice's new state",
        );

        await alice.signOut();
        assert.equal(alice.status.value, "offline");
        assert.equal(alice.account.value, undefined);
        assert.equal(alice.failure.value, undefined);
        await until(
          aliceSeenByBob,
          (p) => p.availability === "offline",
          "bob sees alice offline after sign-out",
        );
      },
    );

    await t.step(
      "settings read ahead serve one Sign In; a retry reads them again",
      async () => {
        const alice = session();
        const before = settings.state.reads;
        alice.prepare();
        alice.prepare();
        await settings.reads(before + 1);
        await alice.signIn(aliceName, "wrong");
        assert.equal(alice.failure.value?.kind, "credentials");
        assert.equal(settings.state.reads, before + 1, "no second read");
        await alice.signIn(aliceName, alicePassword);
        assert.equal(alice.status.value, "online");
        assert.equal(settings.state.reads, before + 2, "the retry read again");
        await alice.signOut();
      },
    );

    await t.step(
      "a read ahead that failed is read again at Sign In",
      async () => {
        const alice = session();
        const before = settings.state.reads;
        settings.state.failNext = true;
        alice.prepare();
        await settings.reads(before + 1);
        await alice.signIn(aliceName, alicePassword);
        assert.equal(alice.status.value, "online");
        assert.equal(settings.state.reads, before + 2);
        await alice.signOut();
      },
    );

    await t.step("a wrong password is a credentials failure", async () => {
      const alice = session();
      await alice.signIn(aliceName, "wrong");
      assert.equal(alice.status.value, "offline");
      assert.equal(alice.failure.value?.kind, "credentials");
      assert.equal(alice.account.value, undefined);
    });

    await t.step("a malformed username never reaches the server", async () => {
      const alice = session();
      await alice.signIn("al ice", "alice-pw");
      assert.equal(alice.failure.value?.kind, "input");
    });

    await t.step("a dead server is unreachable", async () => {
      primary = deadService(cell.transport);
      try {
        const alice = session();
        await alice.signIn(aliceName, alicePassword);
        assert.equal(alice.failure.value?.kind, "unreachable");
      } finally {
        primary = cell.service;
      }
    });

    await t.step(
      "an untrusted certificate offers the server to open",
      async () => {
        primary = server.secureService(cell.transport);
        try {
          const alice = session();
          await alice.signIn(aliceName, alicePassword);
          assert.equal(alice.failure.value?.kind, "certificate");
          assert.equal(
            alice.failure.value?.service,
            server.secureService(cell.transport),
          );
        } finally {
          primary = cell.service;
        }
      },
    );

    await t.step(
      "settings that cannot be read are a settings failure",
      async () => {
        const alice = createSessionStore({
          settingsUrl:
            `http://127.0.0.1:${unusedPort()}/api/chat-server-settings`,
          storage: memoryStorage(),
        });
        sessions.push(alice);
        await alice.signIn(aliceName, alicePassword);
        assert.equal(alice.failure.value?.kind, "settings");
      },
    );

    await t.step(
      "a server that dies signs the agent out with a reason",
      async () => {
        const alice = session();
        await alice.signIn(aliceName, alicePassword);
        assert.equal(alice.status.value, "online");
        await server.kill();
        try {
          await until(
            alice.status,
            (s) => s === "offline",
            "signed out",
            30_000,
          );
          assert.equal(alice.failure.value?.kind, "lost");
          assert.equal(alice.account.value, undefined);
        } finally {
          // The server's other cell runs after this one.
          await server.restart();
        }
      },
    );
  } finally {
    for (const store of sessions) {
      await store.signOut();
      store[Symbol.dispose]();
    }
    if (bob && bob.status === "online") await bob.stop();
    await settings.stop();
  }
});
