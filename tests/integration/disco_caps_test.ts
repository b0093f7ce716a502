// What a peer learns of the agent's client, through real servers in every
// cell of the matrix: disco#info of the agent's full JID lists the
// registered identity and features (XEP-0030 §3.1), the chat's among them
// (receipts, chat states, carbons), the caps hash in its presence verifies
// against that answer (XEP-0115 §5.4), an iq nobody handles gets
// service-unavailable (RFC 6120 §8.4), and an async handler's answer
// arrives.
import assert from "node:assert/strict";
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../../shared/xmpp/core/connection.ts";
import {
  ParseError,
  StanzaError,
  TransportError,
} from "../../shared/xmpp/core/errors.ts";
import {
  type CapsAnnouncement,
  capsOf,
} from "../../shared/xmpp/features/caps.ts";
import {
  parseDiscoInfo,
  verifyCaps,
} from "../../shared/xmpp/features/disco_info.ts";
import {
  DESKTOP_CHAT_IDENTITY,
  NS_CAPS,
  NS_DISCO_INFO,
} from "../../shared/xmpp/features/feature_registry.ts";
import { NS_PING } from "../../shared/xmpp/features/ping.ts";
import {
  routeConnection,
  type RoutedConnection,
} from "../../shared/xmpp/router/routed_connection.ts";
import {
  type AccountStore,
  createAccount,
} from "../../shared/xmpp/session/account.ts";
import type { XmppClient } from "../../shared/xmpp/session/client.ts";
import { connectionFromClient } from "../../shared/xmpp/session/client_connection.ts";
import { HEADLESS } from "../support/account_options.ts";
import {
  NS_CARBONS,
  NS_CHATSTATES,
  NS_RECEIPTS,
} from "../support/chat_clients.ts";
import {
  type Cell,
  cellClient,
  matrixTest,
  testUsers,
} from "../support/xmpp_servers.ts";

const DOMAIN = "localhost";
const NS_SLOW = "urn:example:desktop-chat:slow";
/** What a peer must learn to chat with the agent (issue 13). */
const CHAT_FEATURES = [NS_RECEIPTS, NS_CHATSTATES, NS_CARBONS];

function open(cell: Cell, base: string): XmppClient {
  return cellClient(cell, base);
}

async function stop(xmpp: XmppClient): Promise<void> {
  if (xmpp.status !== "offline" && xmpp.status !== "disconnect") {
    await xmpp.stop();
  }
}

/** The agent's next available presence the peer hears, with its caps. */
function nextCaps(
  peer: RoutedConnection,
  from: string,
): Promise<{ fullJid: string; caps: CapsAnnouncement }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no presence with caps from ${from}`));
    }, 10_000);
    const off = peer.router.presence({ xmlns: NS_CAPS }, (stanza) => {
      const caps = capsOf(stanza);
      const sender = stanza.attrs.from ?? "";
      if (caps === undefined || !sender.startsWith(`${from}/`)) return;
      clearTimeout(timer);
      off();
      resolve({ fullJid: sender, caps });
    });
  });
}

function discoInfo(to: string, node?: string): XmlElement {
  return xml(
    "iq",
    { type: "get", to },
    xml(
      "query",
      node === undefined
        ? { xmlns: NS_DISCO_INFO }
        : { xmlns: NS_DISCO_INFO, node },
    ),
  );
}

matrixTest(
  "disco#info and caps of the agent's client",
  {
    seed: (user) => ({
      users: testUsers([user("agent"), user("peer")]),
      roster: {
        [user("agent")]: [{
          jid: `${user("peer")}@${DOMAIN}`,
          groups: [],
          subscription: "both",
        }],
        [user("peer")]: [{
          jid: `${user("agent")}@${DOMAIN}`,
          groups: [],
          subscription: "both",
        }],
      },
    }),
  },
  async (cell, t) => {
    const peerClient = open(cell, "peer");
    const agentClient = open(cell, "agent");
    let account: AccountStore | undefined;
    try {
      const peer = routeConnection(connectionFromClient(peerClient));
      await peerClient.start();
      await peer.send(xml("presence"));

      const heard = nextCaps(peer, cell.jid("agent"));
      const sent: XmlElement[] = [];
      agentClient.on("send", (stanza: XmlElement) => sent.push(stanza));
      const agentConnection = connectionFromClient(agentClient);
      const requests: string[] = [];
      agentConnection.on("stanza", (stanza) => {
        const { type, id } = stanza.attrs;
        if (stanza.is("iq") && (type === "get" || type === "set")) {
          requests.push(id ?? "");
        }
      });
      await agentClient.start();
      account = createAccount(agentConnection, {
        service: cell.service,
        ...HEADLESS,
      });
      await account.sync();
      const { fullJid, caps } = await heard;
      const ownAccount = account;

      await t.step(
        `${cell.name}: disco#info lists identity and features`,
        async () => {
          const info = parseDiscoInfo(await peer.iq(discoInfo(fullJid), 5_000));
          assert.ok(!(info instanceof ParseError), String(info));
          assert.deepEqual(info.identities, [DESKTOP_CHAT_IDENTITY]);
          assert.deepEqual(
            [...info.features].sort(),
            [...ownAccount.features.info.value.features].sort(),
          );
          for (
            const ns of [NS_DISCO_INFO, NS_CAPS, NS_PING, ...CHAT_FEATURES]
          ) {
            assert.ok(info.features.includes(ns), ns);
          }
        },
      );

      await t.step(
        `${cell.name}: the caps in presence verify (XEP-0115 §5.4)`,
        async () => {
          assert.equal(caps.hash, "sha-1");
          assert.equal(caps.node, ownAccount.caps.node);
          const node = `${caps.node}#${caps.ver}`;
          const answer = await peer.iq(discoInfo(fullJid, node), 5_000);
          assert.equal(
            answer.getChild("query", NS_DISCO_INFO)?.attrs.node,
            node,
          );
          const info = parseDiscoInfo(answer);
          assert.ok(!(info instanceof ParseError), String(info));
          assert.equal(await verifyCaps(caps, info), true);
          // The hash covers the chat's features: a peer that caches it
          // knows the agent takes receipts and chat states (XEP-0115 §1.2).
          for (const ns of CHAT_FEATURES) {
            assert.ok(info.features.includes(ns), ns);
          }
          await assert.rejects(
            peer.iq(discoInfo(fullJid, `${caps.node}#stale`), 5_000),
            (e: unknown) =>
              e instanceof StanzaError && e.condition === "item-not-found",
          );
        },
      );

      await t.step(
        `${cell.name}: an iq nobody handles gets service-unavailable`,
        async () => {
          await assert.rejects(
            peer.iq(
              xml(
                "iq",
                { type: "get", to: fullJid },
                xml("query", { xmlns: "urn:example:nobody" }),
              ),
              5_000,
            ),
            (e: unknown) =>
              e instanceof StanzaError && e.condition === "service-unavailable",
          );
          const pong = await peer.iq(
            xml(
              "iq",
              { type: "get", to: fullJid },
              xml("ping", { xmlns: NS_PING }),
            ),
            5_000,
          );
          assert.equal(pong.attrs.type, "result");
        },
      );

      await t.step(
        `${cell.name}: an async handler's reply arrives`,
        async () => {
          const off = ownAccount.connection.router.iq(
            "get",
            NS_SLOW,
            "query",
            async (_iq, query) => {
              await new Promise((resolve) => setTimeout(resolve, 50));
              return xml(
                "query",
                { xmlns: NS_SLOW },
                xml("echo", {}, query.getChildText("say") ?? ""),
              );
            },
          );
          try {
            const answer = await peer.iq(
              xml(
                "iq",
                { type: "get", to: fullJid },
                xml("query", { xmlns: NS_SLOW }, xml("say", {}, "hello")),
              ),
              5_000,
            );
            assert.equal(
              answer.getChild("query", NS_SLOW)?.getChildText("echo"),
              "hello",
            );
          } finally {
            off();
          }
        },
      );

      await t.step(
        `${cell.name}: one reply per request, an id on every stanza`,
        () => {
          const stanzas = sent.filter((s) =>
            ["iq", "message", "presence"].includes(s.name)
          );
          assert.deepEqual(stanzas.filter((s) => !s.attrs.id), []);
          const replies = stanzas.filter((s) =>
            s.is("iq") &&
            (s.attrs.type === "result" || s.attrs.type === "error")
          ).map((s) => s.attrs.id);
          // Ours: 3 disco#info, the unhandled iq, the ping, the async one;
          // a server may ask too (its caps cache, for PEP: XEP-0163 §4),
          // Prosody twice under one id: one reply per request received.
          assert.ok(replies.length >= 6, replies.join());
          assert.deepEqual([...replies].sort(), [...requests].sort());
        },
      );

      await t.step(
        `${cell.name}: after sign-out, send and iq reject connection-lost`,
        async () => {
          // A request in flight fails at once, not when its timeout ends.
          const off = ownAccount.connection.router.iq(
            "get",
            NS_SLOW,
            "query",
            () => new Promise(() => {}),
          );
          const started = Date.now();
          const pending = peer.iq(
            xml(
              "iq",
              { type: "get", to: fullJid },
              xml("query", { xmlns: NS_SLOW }),
            ),
            30_000,
          );
          await peerClient.stop();
          off();
          const lost = (e: unknown) =>
            e instanceof TransportError && e.condition === "connection-lost";
          await assert.rejects(pending, lost);
          assert.ok(Date.now() - started < 5_000);
          await assert.rejects(peer.send(xml("presence")), lost);
          await assert.rejects(
            peer.iq(discoInfo(fullJid), 5_000),
            lost,
          );
        },
      );
    } finally {
      account?.[Symbol.dispose]();
      await stop(agentClient);
      await stop(peerClient);
    }
  },
);
