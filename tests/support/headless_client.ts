// The other party of a browser test: a headless client of a test user
// (password `<name>-pw`, as tests/support seeds them) signed in over BOSH, and
// a wait for a stanza it receives. One copy for every browser test.
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../../shared/xmpp/core/connection.ts";
import { client, type XmppClient } from "../../shared/xmpp/session/client.ts";

export interface HeadlessServer {
  readonly boshUrl: string;
  readonly domain: string;
}

export interface HeadlessOptions {
  readonly resource?: string;
  /**
   * Sends initial presence (default true): RFC 6121 §3.1.5, subscription
   * answers and presence go to available resources only. Without it the
   * user stays signed out for its contacts.
   */
  readonly available?: boolean;
}

export async function headlessClient(
  server: HeadlessServer,
  username: string,
  options: HeadlessOptions = {},
): Promise<XmppClient> {
  const xmpp = client({
    service: server.boshUrl,
    domain: server.domain,
    username,
    password: `${username}-pw`,
    resource: options.resource ?? "desk",
  });
  await xmpp.start();
  if (options.available ?? true) await xmpp.send(xml("presence"));
  return xmpp;
}

/** Resolves once `xmpp` receives a stanza `match` accepts; rejects after `ms`. */
export function stanzaArrives(
  xmpp: XmppClient,
  match: (stanza: XmlElement) => boolean,
  what: string,
  ms = 10_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      xmpp.removeListener("stanza", listener);
      reject(new Error(`not within ${ms / 1000} s: ${what}`));
    }, ms);
    const listener = (stanza: XmlElement) => {
      if (!match(stanza)) return;
      clearTimeout(timer);
      xmpp.removeListener("stanza", listener);
      resolve();
    };
    xmpp.on("stanza", listener);
  });
}
