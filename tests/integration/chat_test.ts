// One-to-one chat through real Prosody and ejabberd, over BOSH and
// WebSocket (each cell of the matrix a named step): what the servers do
// with carbons (XEP-0280), checked on raw streams first so that the
// account's tests below rest on facts, not assumptions.
import assert from "node:assert/strict";
import { xml } from "@xmpp/xml";
import {
  carbonOf,
  chatMessage,
  enableCarbons,
  forgedCarbon,
  nextStanza,
  type RawSession,
  signInRaw,
} from "../support/chat_clients.ts";
import { type Cell, matrixTest, testUsers } from "../support/xmpp_servers.ts";

const DOMAIN = "localhost";

function seed(user: (base: string) => string) {
  const item = (base: string) => ({
    jid: `${user(base)}@${DOMAIN}`,
    groups: [],
    subscription: "both" as const,
  });
  return {
    users: testUsers([user("agent"), user("contact"), user("stranger")]),
    roster: {
      [user("agent")]: [item("contact")],
      [user("contact")]: [item("agent")],
    },
  };
}

matrixTest("chat: what the servers do with carbons", { seed }, async (
  cell: Cell,
  t,
) => {
  const sessions: RawSession[] = [];
  const open = async (base: string, resource: string) => {
    const session = await signInRaw(cell, base, resource);
    sessions.push(session);
    await session.connection.send(xml("presence"));
    return session;
  };
  try {
    const desk = await open("agent", "desk");
    const phone = await open("agent", "phone");
    const contact = await open("contact", "pc");
    const stranger = await open("stranger", "pc");
    await enableCarbons(desk.connection);
    await enableCarbons(phone.connection);

    await t.step(
      `${cell.name}: a sent carbon of the other resource`,
      async () => {
        const copy = nextStanza(
          desk.connection,
          (s) => carbonOf(s)?.kind === "sent",
          "sent carbon",
        );
        const direct = nextStanza(
          contact.connection,
          (s) => s.is("message"),
          "message",
        );
        await phone.connection.send(
          chatMessage(cell.jid("contact"), "from phone", "p1"),
        );
        const carbon = carbonOf(await copy);
        assert.equal(carbon?.from, cell.jid("agent"));
        assert.equal(carbon?.inner.attrs.from, phone.fullJid);
        assert.equal(carbon?.inner.attrs.to, cell.jid("contact"));
        assert.equal(carbon?.inner.attrs.id, "p1");
        assert.equal(carbon?.inner.getChildText("body"), "from phone");
        assert.equal((await direct).getChildText("body"), "from phone");
      },
    );

    await t.step(
      `${cell.name}: a received carbon of the other resource`,
      async () => {
        const copy = nextStanza(
          desk.connection,
          (s) => carbonOf(s)?.kind === "received",
          "received carbon",
        );
        await contact.connection.send(
          chatMessage(phone.fullJid, "to phone", "c1"),
        );
        const carbon = carbonOf(await copy);
        assert.equal(carbon?.from, cell.jid("agent"));
        assert.equal(carbon?.inner.attrs.from, contact.fullJid);
        assert.equal(carbon?.inner.attrs.to, phone.fullJid);
        assert.equal(carbon?.inner.getChildText("body"), "to phone");
      },
    );

    await t.step(
      `${cell.name}: a forged carbon reaches the client`,
      async () => {
        for (const kind of ["received", "sent"] as const) {
          const arrived = nextStanza(
            desk.connection,
            (s) =>
              s.attrs.from === stranger.fullJid && carbonOf(s) !== undefined,
            `forged ${kind} carbon`,
          );
          await stranger.connection.send(
            forgedCarbon(kind, desk.fullJid, {
              from: kind === "received" ? contact.fullJid : desk.fullJid,
              to: kind === "received" ? desk.fullJid : cell.jid("contact"),
              body: `forged ${kind}`,
            }),
          );
          const forged = carbonOf(await arrived);
          assert.equal(forged?.kind, kind);
          assert.equal(forged?.inner.getChildText("body"), `forged ${kind}`);
        }
      },
    );
  } finally {
    for (const session of sessions.reverse()) {
      await session[Symbol.asyncDispose]();
    }
  }
});
