// Directory search (XEP-0055) against both chat servers, over BOSH and
// WebSocket: Prosody's mod_vjud (legacy fields, on the domain) and
// ejabberd's vjud.<domain> (data forms only). The same client, unchanged:
// the search form decides the shape.
import assert from "node:assert/strict";
import { connectionFromClient } from "../../shared/xmpp/session/client_connection.ts";
import {
  createDirectorySearch,
  NoDirectoryError,
} from "../../shared/xmpp/directory/directory_search.ts";
import { type Cell, cellClient, matrixTest } from "../support/xmpp_servers.ts";

/** A family name no other cell's user has: `Quinlan-bosh`, `Quinlan-ws`. */
const family = (cell: Cell) => cell.user("Quinlan");

async function signIn(cell: Cell, base: string) {
  const xmpp = cellClient(cell, base);
  const errors: unknown[] = [];
  xmpp.on("error", (error: unknown) => errors.push(error));
  await xmpp.start();
  return {
    connection: connectionFromClient(xmpp),
    errors,
    [Symbol.asyncDispose]: () => xmpp.stop(),
  };
}

matrixTest("directory search", {
  seed: (user) => ({
    users: ["agent", "dana", "nocard"].map((base) => ({
      username: user(base),
      password: `${user(base)}-pw`,
    })),
    vcards: {
      [user("dana")]: {
        fn: `Dana ${user("Quinlan")}`,
        nick: user("danaq"),
        given: "Dana",
        family: user("Quinlan"),
        email: `${user("dana")}@example.com`,
      },
    },
  }),
}, async (cell, t) => {
  await using agent = await signIn(cell, "agent");
  const directory = createDirectorySearch(agent.connection, {
    timeoutMs: 5_000,
  });

  await t.step("the service and its shape come from disco", async () => {
    const service = await directory.service();
    assert.equal(service.jid, cell.server.searchJid);
    // Prosody's mod_vjud offers legacy fields, ejabberd a data form.
    assert.equal("form" in service, cell.server.kind === "ejabberd");
  });

  await t.step("a user with a vCard is found by family name", async () => {
    const found = await directory.search(family(cell));
    assert.deepEqual(found.map((entry) => entry.jid), [cell.jid("dana")]);
    assert.equal(found[0].first, "Dana");
    assert.equal(found[0].last, family(cell));
    assert.equal(found[0].nick, cell.user("danaq"));
  });

  await t.step("and by nickname", async () => {
    const found = await directory.search(cell.user("danaq"));
    assert.deepEqual(found.map((entry) => entry.jid), [cell.jid("dana")]);
  });

  await t.step("a vCard published while signed in is found", async () => {
    await cell.server.publishVcard(cell.user("nocard"), {
      fn: "Noor Card",
      nick: cell.user("noorc"),
      given: "Noor",
      family: cell.user("Cardew"),
      email: `${cell.user("nocard")}@example.com`,
    });
    const found = await directory.search(cell.user("Cardew"));
    assert.deepEqual(found.map((entry) => entry.jid), [cell.jid("nocard")]);
  });

  await t.step("no one matches: an empty list, not an error", async () => {
    assert.deepEqual(await directory.search(cell.user("Nobodyatall")), []);
  });

  await t.step("the directory turned off: NoDirectoryError", async () => {
    await cell.server.setDirectory(false);
    try {
      const fresh = createDirectorySearch(agent.connection, {
        timeoutMs: 5_000,
      });
      await assert.rejects(
        fresh.search(family(cell)),
        (err: unknown) =>
          err instanceof NoDirectoryError &&
          err.condition === "service-unavailable",
      );
    } finally {
      await cell.server.setDirectory(true);
    }
  });

  assert.deepEqual(agent.errors, []);
});
