// Headless clients for the chat integration tests: a raw signed-in stream
// (the agent's other client, a contact, a stranger), the stanzas they wait
// for, and the XEP-0280 carbons a raw client enables or forges.
import type { ReadonlySignal } from "@preact/signals-core";
import { xml } from "@xmpp/xml";
import type {
  ChatMessage,
  Conversation,
  MessageState,
} from "../../shared/xmpp/chat/chat_model.ts";
import type { XmlElement } from "../../shared/xmpp/core/connection.ts";
import {
  routeConnection,
  type SwitchableConnection,
} from "../../shared/xmpp/router/routed_connection.ts";
import {
  type AccountStore,
  createAccount,
} from "../../shared/xmpp/session/account.ts";
import type { XmppClient } from "../../shared/xmpp/session/client.ts";
import { connectionFromClient } from "../../shared/xmpp/session/client_connection.ts";
import { type Cell, cellClient, testUsers } from "./xmpp_servers.ts";
import { HEADLESS } from "./account_options.ts";

/**
 * A matrix cell's seed for two-party tests: `agent` and `contact` in each
 * other's roster (subscription both), plus `others` who are in no roster.
 */
export function contactPairSeed(
  user: (base: string) => string,
  others: readonly string[] = [],
) {
  const item = (base: string) => ({
    jid: `${user(base)}@localhost`,
    groups: [],
    subscription: "both" as const,
  });
  return {
    users: testUsers([user("agent"), user("contact"), ...others.map(user)]),
    roster: {
      [user("agent")]: [item("contact")],
      [user("contact")]: [item("agent")],
    },
  };
}

export const NS_CARBONS = "urn:xmpp:carbons:2";
export const NS_FORWARD = "urn:xmpp:forward:0";
export const NS_RECEIPTS = "urn:xmpp:receipts";
export const NS_CHATSTATES = "http://jabber.org/protocol/chatstates";

export interface RawSession extends AsyncDisposable {
  readonly xmpp: XmppClient;
  readonly connection: SwitchableConnection;
  /** The bound full JID (RFC 6120 §7). */
  readonly fullJid: string;
  /** Every stanza this client sent, in order (the client's `send` event). */
  readonly sent: XmlElement[];
}

/** Signs `cell.user(base)` in with `resource`, recording what it sends. */
export async function startClient(
  cell: Cell,
  base: string,
  resource: string,
): Promise<{ xmpp: XmppClient; sent: XmlElement[] }> {
  const xmpp = cellClient(cell, base, { resource });
  const sent: XmlElement[] = [];
  xmpp.on("send", (stanza: XmlElement) => sent.push(stanza));
  await xmpp.start();
  return { xmpp, sent };
}

/** A raw stream of `cell.user(base)`; not yet available. */
export async function signInRaw(
  cell: Cell,
  base: string,
  resource: string,
): Promise<RawSession> {
  const { xmpp, sent } = await startClient(cell, base, resource);
  const connection = routeConnection(connectionFromClient(xmpp));
  return {
    xmpp,
    connection,
    fullJid: String(xmpp.jid),
    sent,
    [Symbol.asyncDispose]: () => signOut(xmpp),
  };
}

export async function signOut(xmpp: XmppClient): Promise<void> {
  if (xmpp.status !== "offline" && xmpp.status !== "disconnect") {
    await xmpp.stop();
  }
}

/**
 * The next stanza `connection` receives that `match` accepts. Registered
 * at once, so a stanza arriving after this call is not missed.
 */
export function nextStanza(
  connection: SwitchableConnection | { on: SwitchableConnection["on"] },
  match: (stanza: XmlElement) => boolean,
  what: string,
  ms = 10_000,
): Promise<XmlElement> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`not within ${ms} ms: ${what}`));
    }, ms);
    const off = connection.on("stanza", (stanza) => {
      if (!match(stanza)) return;
      clearTimeout(timer);
      off();
      resolve(stanza);
    });
  });
}

/** XEP-0280 §4: this resource gets carbons from now on. */
export async function enableCarbons(
  connection: SwitchableConnection,
): Promise<void> {
  await connection.iq(
    xml("iq", { type: "set" }, xml("enable", { xmlns: NS_CARBONS })),
    5_000,
  );
}

/**
 * A one-to-one chat message with a body (RFC 6121 §5.2.2), asking for a
 * receipt (XEP-0184 §5) as the desktop does.
 */
export function chatMessage(
  to: string,
  body: string,
  id: string = crypto.randomUUID(),
): XmlElement {
  return xml(
    "message",
    { type: "chat", to, id },
    xml("body", {}, body),
    xml("active", { xmlns: NS_CHATSTATES }),
    xml("request", { xmlns: NS_RECEIPTS }),
  );
}

/** The receipts (XEP-0184 §5) among `sent`, by the id they acknowledge. */
export function receiptsIn(sent: readonly XmlElement[]): string[] {
  return sent.flatMap((stanza) => {
    const id = stanza.getChild("received", NS_RECEIPTS)?.attrs.id;
    return id === undefined ? [] : [id];
  });
}

/**
 * Resolves once everything `connection` was given before the call has
 * gone out: a ping (XEP-0199) to the server, answered after them.
 */
export async function flushed(
  connection: SwitchableConnection | AccountStore["connection"],
): Promise<void> {
  await connection.iq(
    xml("iq", { type: "get" }, xml("ping", { xmlns: "urn:xmpp:ping" })),
    5_000,
  );
}

/**
 * The message inside a carbon (`<sent>` or `<received>`, XEP-0280 §7),
 * with the wrapper's sender; undefined when `stanza` is no carbon.
 */
export function carbonOf(
  stanza: XmlElement,
): { kind: "sent" | "received"; from: string; inner: XmlElement } | undefined {
  for (const kind of ["sent", "received"] as const) {
    const inner = stanza.getChild(kind, NS_CARBONS)
      ?.getChild("forwarded", NS_FORWARD)?.getChild("message");
    if (inner !== undefined) {
      return { kind, from: stanza.attrs.from ?? "", inner };
    }
  }
  return undefined;
}

/**
 * What CVE-2017-5589 was about: a carbon wrapper sent by someone other
 * than the account itself, claiming a message `from` → `to`.
 */
export function forgedCarbon(
  kind: "sent" | "received",
  wrapperTo: string,
  inner: { from: string; to: string; body: string; id?: string },
): XmlElement {
  return xml(
    "message",
    { to: wrapperTo, type: "chat", id: crypto.randomUUID() },
    xml(
      kind,
      { xmlns: NS_CARBONS },
      xml(
        "forwarded",
        { xmlns: NS_FORWARD },
        xml(
          "message",
          {
            from: inner.from,
            to: inner.to,
            type: "chat",
            id: inner.id ?? crypto.randomUUID(),
          },
          xml("body", {}, inner.body),
        ),
      ),
    ),
  );
}

export interface AccountSession extends AsyncDisposable {
  readonly xmpp: XmppClient;
  readonly account: AccountStore;
  readonly fullJid: string;
  /** Every stanza this client sent, in order. */
  readonly sent: XmlElement[];
}

/**
 * Signs `cell.user(base)` in as the desktop does (sign_in.ts): the account
 * composed on the online connection, then synced (roster, presence).
 */
export async function signInAccount(
  cell: Cell,
  base: string,
  resource: string,
): Promise<AccountSession> {
  const { xmpp, sent } = await startClient(cell, base, resource);
  const account = createAccount(connectionFromClient(xmpp), {
    service: cell.service,
    ...HEADLESS,
  });
  try {
    await account.sync();
  } catch (error) {
    account[Symbol.dispose]();
    await signOut(xmpp);
    throw error;
  }
  return {
    xmpp,
    account,
    fullJid: String(xmpp.jid),
    sent,
    async [Symbol.asyncDispose]() {
      account[Symbol.dispose]();
      await signOut(xmpp);
    },
  };
}

/**
 * The states the message `match` picks in `conversation` went through,
 * each once, in the order seen (send() does not return the id, so tests
 * pick their message by its body); stop() ends the recording.
 */
export function recordStates(
  conversation: ReadonlySignal<Conversation>,
  match: (message: ChatMessage) => boolean,
): { readonly states: MessageState[]; stop(): void } {
  const states: MessageState[] = [];
  const stop = conversation.subscribe((value) => {
    const message = value.messages.find(match);
    if (message !== undefined && states.at(-1) !== message.state) {
      states.push(message.state);
    }
  });
  return { states, stop };
}
