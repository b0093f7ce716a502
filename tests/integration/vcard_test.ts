// vCard names (XEP-0054) against both chat servers, over BOSH and WebSocket:
// the agent's own card, a colleague's, and a user without one (no name, no
// error), through the same store the desktop uses.
import assert from "node:assert/strict";
import { connectionFromClient } from "../../shared/xmpp/session/client_connection.ts";
import { routeConnection } from "../../shared/xmpp/router/routed_connection.ts";
import { createVcardStore } from "../../shared/xmpp/vcard/vcard_store.ts";
import type { ReadonlySignal } from "@preact/signals-core";
import { StanzaError } from "../../shared/xmpp/core/errors.ts";
import {
  parseVcardResult,
  vcardRequest,
} from "../../shared/xmpp/vcard/vcard_parser.ts";
import { type Cell, cellClient, matrixTest } from "../support/xmpp_servers.ts";
import { until } from "../support/until.ts";

function card(fn: string, nick: string) {
  return { fn, nick, given: "", family: "", email: "" };
}

async function signIn(cell: Cell, base: string) {
  const xmpp = cellClient(cell, base);
  await xmpp.start();
  return {
    connection: connectionFromClient(xmpp),
    [Symbol.asyncDispose]: () => xmpp.stop(),
  };
}

/** Waits until the question the store sent has been answered. */
async function settled(
  name: ReadonlySignal<string | undefined>,
  want?: string,
) {
  await until(name, (value) => value === want, `vCard name ${want}`);
}

matrixTest("vCard names", {
  seed: (user) => ({
    users: ["agent", "dana", "nocard"].map((base) => ({
      username: user(base),
      password: `${user(base)}-pw`,
    })),
    vcards: {
      [user("agent")]: card("Agent Smith", "smithy"),
      [user("dana")]: card("Dana Quinlan", "danaq"),
    },
  }),
}, async (cell, t) => {
  await using agent = await signIn(cell, "agent");
  using routed = routeConnection(agent.connection);
  using vcards = createVcardStore(routed, { timeoutMs: 5_000 });

  await t.step("the agent's own FN", async () => {
    await settled(vcards.nameOf(cell.jid("agent")), "Agent Smith");
  });

  await t.step("a colleague's FN", async () => {
    await settled(vcards.nameOf(cell.jid("dana")), "Dana Quinlan");
  });

  await t.step(
    "a user without a vCard: no names or item-not-found",
    async () => {
      // XEP-0054 §3.1 allows either; the store shows no name for both
      // (vcard_store_test.ts), so either is fine, anything else is not.
      const outcome = await routed.iq(vcardRequest(cell.jid("nocard")), 5_000)
        .then(parseVcardResult, (error: unknown) => error);
      if (outcome instanceof StanzaError) {
        assert.equal(outcome.condition, "item-not-found");
      } else {
        assert.deepEqual(outcome, {});
      }
      assert.equal(vcards.nameOf(cell.jid("nocard")).value, undefined);
    },
  );
});
