// One-to-one chat between headless clients through real Prosody and
// ejabberd, over BOSH and WebSocket (each cell of the matrix a named step):
// a message each way with receipts (XEP-0184), chat states both ways
// (XEP-0085), carbons of the agent's other client (XEP-0280) and forged
// ones ignored, a bounce (RFC 6120 §8.3) marking a message failed, and one
// that could not leave kept as failed and sent again by Retry. The carbon
// steps also check what reached the desk on the wire, so they rest on
// what the servers do: both copy to the other resource, and both pass a
// carbon forged by another account through to the client, which alone must
// refuse it (CVE-2017-5589).
import assert from "node:assert/strict";
import { xml } from "@xmpp/xml";
import type { ChatState } from "../../shared/xmpp/chat/chat_model.ts";
import {
  type AccountSession,
  carbonOf,
  chatMessage,
  contactPairSeed,
  enableCarbons,
  flushed,
  forgedCarbon,
  nextStanza,
  NS_RECEIPTS,
  type RawSession,
  receiptsIn,
  recordStates,
  signInAccount,
  signInRaw,
  signOut,
  startClient,
} from "../support/chat_clients.ts";
import type { XmppClient } from "../../shared/xmpp/session/client.ts";
import { connectionFromClient } from "../../shared/xmpp/session/client_connection.ts";
import { until } from "../support/until.ts";
import { matrixTest } from "../support/xmpp_servers.ts";

const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

function seed(user: (base: string) => string) {
  return contactPairSeed(user, ["stranger"]);
}

matrixTest("chat between headless clients", {
  seed,
  cellTimeoutMs: 90_000,
}, async (cell, t) => {
  const raws: RawSession[] = [];
  const accounts: AccountSession[] = [];
  const streams: XmppClient[] = [];
  try {
    // The agent's desktop (desk) and its other client (phone, carbons on).
    const agent = await signInAccount(cell, "agent", "desk");
    accounts.push(agent);
    const contact = await signInAccount(cell, "contact", "pc");
    accounts.push(contact);
    const phone = await signInRaw(cell, "agent", "phone");
    raws.push(phone);
    const stranger = await signInRaw(cell, "stranger", "pc");
    raws.push(stranger);
    for (const raw of [phone, stranger]) {
      // RFC 6121 §4.2.2: the server sends the initial presence back to the
      // resource itself once it has processed it; only then is the resource
      // available for what the steps send to its bare JID (§8.5.2.1).
      const reflected = nextStanza(
        raw.connection,
        (s) => s.is("presence") && s.attrs.from === raw.fullJid,
        `${raw.fullJid}'s own presence back`,
      );
      await raw.connection.send(xml("presence"));
      await reflected;
    }
    await enableCarbons(phone.connection);
    const chats = agent.account.chats;
    const theirChats = contact.account.chats;
    const agentJid = cell.jid("agent");
    const contactJid = cell.jid("contact");
    const strangerJid = cell.jid("stranger");
    await until(
      agent.account.presence.presenceOf(contactJid),
      (p) => p.show !== "unavailable",
      "the contact online for the agent",
    );

    await t.step(
      `${cell.name}: a message each way, with receipts`,
      async () => {
        for (
          const [from, to, fromJid, toJid, resource, body] of [
            [agent, contact, agentJid, contactJid, "desk", "Hello <b>&amp; ✓"],
            [contact, agent, contactJid, agentJid, "pc", "Hi! 👋\nsecond line"],
          ] as const
        ) {
          const mine = from.account.chats.conversation(toJid);
          const record = recordStates(
            mine,
            (m) => m.direction === "out" && m.body === body,
          );
          try {
            await from.account.chats.send(toJid, body);
            const theirs = await until(
              to.account.chats.conversation(fromJid),
              (c) => c.messages.some((m) => m.body === body),
              `${toJid} has "${body}"`,
            );
            const got = theirs.messages.find((m) => m.body === body);
            assert.equal(got?.direction, "in");
            assert.equal(got?.resource, resource);
            assert.equal(got?.state, "delivered");
            const sentAs = mine.value.messages.find((m) => m.body === body);
            assert.equal(got?.id, sentAs?.id);
            await until(
              mine,
              (c) =>
                c.messages.some((m) =>
                  m.body === body && m.state === "delivered"
                ),
              `"${body}" delivered`,
            );
            // XEP-0184 §5: delivered on the contact's receipt for that id.
            assert.ok(receiptsIn(to.sent).includes(got?.id ?? ""), "receipt");
            assert.deepEqual(record.states, ["pending", "sent", "delivered"]);
          } finally {
            record.stop();
          }
        }
      },
    );

    await t.step(`${cell.name}: no receipt, not delivered`, async () => {
      const body = "are you there?";
      const mine = chats.conversation(strangerJid);
      const arrived = nextStanza(
        stranger.connection,
        (s) => s.getChildText("body") === body,
        "the message at the stranger's client",
      );
      await chats.send(strangerJid, body);
      const message = await arrived;
      assert.ok(message.getChild("request", NS_RECEIPTS), "receipt requested");
      const id = message.attrs.id ?? "";
      assert.equal(mine.value.messages.find((m) => m.body === body)?.id, id);
      await until(
        mine,
        (c) => c.messages.find((m) => m.id === id)?.state === "sent",
        "sent",
      );
      // A reply that carries no receipt arrives after it, in order (RFC 6120
      // §10.1): the message is still only sent once the reply is shown.
      await stranger.connection.send(
        chatMessage(agentJid, "who is this?", "stranger-1"),
      );
      const after = await until(
        mine,
        (c) => c.messages.some((m) => m.body === "who is this?"),
        "the stranger's reply",
      );
      assert.equal(after.messages.find((m) => m.id === id)?.state, "sent");
      // XEP-0184 §8: no receipt to someone not allowed to see our presence.
      await flushed(agent.account.connection);
      assert.ok(!receiptsIn(agent.sent).includes("stranger-1"));
      await stranger.connection.send(
        xml(
          "message",
          { to: agent.fullJid, id: crypto.randomUUID() },
          xml("received", { xmlns: NS_RECEIPTS, id }),
        ),
      );
      await until(
        mine,
        (c) => c.messages.find((m) => m.id === id)?.state === "delivered",
        "delivered on the receipt",
      );
    });

    await t.step(`${cell.name}: chat states both ways`, async () => {
      const atContact = theirChats.conversation(agentJid);
      const atAgent = chats.conversation(contactJid);
      const state = (
        conversation: typeof atAgent,
        want: ChatState,
        what: string,
        ms?: number,
      ) => until(conversation, (c) => c.theirState === want, what, ms);
      chats.typing(contactJid, "Let me ch");
      await state(atContact, "composing", "agent composing at the contact");
      chats.typing(contactJid, "");
      await state(atContact, "active", "agent active at the contact");
      theirChats.typing(agentJid, "One mo");
      await state(atAgent, "composing", "contact composing at the agent");
      // XEP-0085 §5.2: paused once the composer is idle (5 s).
      await state(atAgent, "paused", "contact paused at the agent", 8_000);
      await theirChats.send(agentJid, "Found it");
      await state(atAgent, "active", "contact active with its message");
      theirChats.closeChat(agentJid);
      await state(atAgent, "gone", "contact gone at the agent");
    });

    await t.step(
      `${cell.name}: carbons of the agent's other client`,
      async () => {
        const atAgent = chats.conversation(contactJid);
        // XEP-0280 §6: the phone's message comes back to the desk as "sent".
        const fromPhone = "Sent from my phone";
        const sentCopy = nextStanza(
          agent.account.connection,
          (s) => carbonOf(s)?.inner.attrs.id === "phone-1",
          "the sent carbon at the desk",
        );
        await phone.connection.send(
          chatMessage(contactJid, fromPhone, "phone-1"),
        );
        const sent = carbonOf(await sentCopy);
        assert.equal(sent?.kind, "sent");
        assert.equal(sent?.from, agentJid);
        assert.equal(sent?.inner.attrs.from, phone.fullJid);
        let conversation = await until(
          atAgent,
          (c) => c.messages.some((m) => m.id === "phone-1"),
          "the phone's message at the desk",
        );
        const out = conversation.messages.find((m) => m.id === "phone-1");
        assert.equal(out?.direction, "out");
        assert.equal(out?.body, fromPhone);
        assert.equal(out?.resource, "phone");
        // A message to the phone's full JID reaches the desk only as a carbon.
        const toPhone = "Only for your phone";
        const carbon = nextStanza(
          agent.account.connection,
          (s) => carbonOf(s)?.inner.getChildText("body") === toPhone,
          "the received carbon at the desk",
        );
        await contact.account.connection.send(
          chatMessage(phone.fullJid, toPhone, "to-phone-1"),
        );
        const received = carbonOf(await carbon);
        assert.equal(received?.kind, "received");
        assert.equal(received?.from, agentJid);
        assert.equal(received?.inner.attrs.to, phone.fullJid);
        conversation = await until(
          atAgent,
          (c) => c.messages.some((m) => m.id === "to-phone-1"),
          "the carbon of the message to the phone",
        );
        const in_ = conversation.messages.find((m) => m.id === "to-phone-1");
        assert.equal(in_?.direction, "in");
        assert.equal(in_?.body, toPhone);
        assert.equal(in_?.resource, "pc");
        // The phone got it, so the phone acknowledges it, not the desk.
        await flushed(agent.account.connection);
        assert.ok(!receiptsIn(agent.sent).includes("to-phone-1"));
      },
    );

    await t.step(`${cell.name}: forged carbons are ignored`, async () => {
      // Ids and bodies: a receipt's carbon from the step before may still
      // move a message to delivered meanwhile (that is no forgery).
      const shown = (jid: string) =>
        chats.conversation(jid).value.messages.map((m) => [m.id, m.body]);
      const before = shown(contactJid);
      const open = chats.open.value;
      // Both servers pass these through: the refusal is the client's.
      for (const kind of ["received", "sent"] as const) {
        const arrived = nextStanza(
          agent.account.connection,
          (s) => s.attrs.from === stranger.fullJid && carbonOf(s) !== undefined,
          `the forged ${kind} carbon at the desk`,
        );
        await stranger.connection.send(
          forgedCarbon(kind, agent.fullJid, {
            from: kind === "received" ? contact.fullJid : agent.fullJid,
            to: kind === "received" ? agent.fullJid : contactJid,
            body: `forged ${kind}`,
          }),
        );
        await arrived;
      }
      // The stranger's next message is handled after its forgeries.
      await stranger.connection.send(chatMessage(agentJid, "a real one"));
      const theirs = await until(
        chats.conversation(strangerJid),
        (c) => c.messages.some((m) => m.body === "a real one"),
        "the stranger's real message",
      );
      assert.deepEqual(shown(contactJid), before);
      assert.deepEqual(chats.open.value, open);
      const forged = [...open, strangerJid].flatMap((jid) =>
        chats.conversation(jid).value.messages
      ).filter((m) => m.body.startsWith("forged"));
      assert.deepEqual(forged, []);
      assert.equal(theirs.messages.at(-1)?.body, "a real one");
    });

    await t.step(
      `${cell.name}: a bounce marks the message failed`,
      async () => {
        const nobody = `nobody-${cell.user("x")}@${cell.server.domain}`;
        const body = "into the void";
        const bounce = nextStanza(
          agent.account.connection,
          (s) => s.is("message") && s.attrs.type === "error",
          "the bounce",
        );
        await chats.send(nobody, body);
        const condition = (await bounce).getChild("error")?.getChildElements()
          .find((e) => e.attrs.xmlns === NS_STANZAS)?.name;
        // RFC 6121 §8.5.1: no such user, a message gets service-unavailable.
        assert.equal(condition, "service-unavailable");
        const conversation = await until(
          chats.conversation(nobody),
          (c) =>
            c.messages.some((m) => m.body === body && m.state === "failed"),
          "the message failed",
        );
        const failed = conversation.messages.find((m) => m.body === body);
        assert.equal(failed?.error?.condition, condition);
      },
    );

    await t.step(
      `${cell.name}: a message that cannot leave fails; Retry sends it`,
      async () => {
        const body = "typed while the stream was gone";
        await signOut(agent.xmpp);
        await chats.send(contactJid, body);
        const lost = chats.conversation(contactJid).value.messages;
        const failed = lost.find((m) => m.body === body);
        assert.equal(failed?.state, "failed");
        assert.equal(failed?.error?.condition, "connection-lost");
        // The account moves onto a new stream (roadmap "failover").
        const next = await startClient(cell, "agent", "desk-2");
        streams.push(next.xmpp);
        await agent.account.attach(
          connectionFromClient(next.xmpp),
          cell.service,
        );
        const id = failed?.id ?? "";
        const record = recordStates(
          chats.conversation(contactJid),
          (m) => m.id === id,
        );
        try {
          await chats.retry(contactJid, id);
          const at = await until(
            theirChats.conversation(agentJid),
            (c) => c.messages.some((m) => m.id === id),
            "the retried message at the contact",
          );
          assert.equal(at.messages.find((m) => m.id === id)?.body, body);
          const mine = await until(
            chats.conversation(contactJid),
            (c) => c.messages.find((m) => m.id === id)?.state === "delivered",
            "the retried message delivered",
          );
          // Kept in its place, not added again.
          assert.equal(
            mine.messages.findIndex((m) => m.id === id),
            lost.findIndex((m) => m.id === id),
          );
          assert.equal(mine.messages.filter((m) => m.id === id).length, 1);
          assert.deepEqual(record.states, [
            "failed",
            "pending",
            "sent",
            "delivered",
          ]);
        } finally {
          record.stop();
        }
      },
    );
  } finally {
    for (const xmpp of streams) await signOut(xmpp);
    for (const session of [...raws, ...accounts].reverse()) {
      await session[Symbol.asyncDispose]();
    }
  }
});
