// Finding the user directory through service discovery (XEP-0030): the host
// first (Prosody's mod_vjud registers there), then the host's items
// (ejabberd's vjud.<domain> component). Only disco can say there is no
// directory; a discovery that fails is reported as the failure it is.
import { xml } from "@xmpp/xml";
import { asXmppError, type XmlElement } from "../core/connection.ts";
import {
  ParseError,
  StanzaError,
  TimeoutError,
  type XmppError,
} from "../core/errors.ts";
import { parseJid } from "../core/jid_parse.ts";
import { DIRECTORY_LIMITS } from "./directory_entries.ts";
import { NS_SEARCH } from "./search_legacy.ts";

export const NS_DISCO_INFO = "http://jabber.org/protocol/disco#info";
export const NS_DISCO_ITEMS = "http://jabber.org/protocol/disco#items";

/** What the agent reads when the chat server has no directory. */
export const NO_DIRECTORY_MESSAGE =
  "Your chat server has no user directory. Type a full address (name@domain) to add someone.";

/** ... or one whose search form has no field we can fill. */
export const UNSEARCHABLE_DIRECTORY_MESSAGE =
  "Your chat server's directory cannot be searched by name. Type a full address (name@domain) to add someone.";

/**
 * The server has no user directory we can use: disco lists none
 * (service-unavailable), or the one it lists takes none of the fields we
 * can fill (feature-not-implemented). The agent can still add a contact by
 * address, as the message (shown under the search field) says.
 */
export class NoDirectoryError extends StanzaError {
  constructor(condition: "service-unavailable" | "feature-not-implemented") {
    super(
      condition,
      "cancel",
      condition === "service-unavailable"
        ? NO_DIRECTORY_MESSAGE
        : UNSEARCHABLE_DIRECTORY_MESSAGE,
    );
    this.name = "NoDirectoryError";
  }
}

export type Ask = (request: XmlElement) => Promise<XmlElement>;

/** XEP-0030 §3.1 features in a disco#info answer. */
export function discoFeatures(info: XmlElement): Set<string> {
  const query = info.getChild("query", NS_DISCO_INFO);
  return new Set(
    (query?.getChildren("feature") ?? [])
      .map((feature) => feature.attrs.var)
      .filter((name): name is string => name !== undefined),
  );
}

/** XEP-0030 §4.1 item JIDs in a disco#items answer, bounded. */
export function discoItems(items: XmlElement): string[] {
  return (items.getChild("query", NS_DISCO_ITEMS)?.getChildren("item") ?? [])
    .map((item) => item.attrs.jid)
    .filter((jid): jid is string =>
      jid !== undefined && !(parseJid(jid) instanceof ParseError)
    )
    .slice(0, DIRECTORY_LIMITS.itemsProbed);
}

/** A disco#info or disco#items get (XEP-0030 §3.1, §4.1) to `to`. */
export function discoGet(to: string, xmlns: string): XmlElement {
  return xml("iq", { type: "get", to }, xml("query", { xmlns }));
}

/** A disco request that failed, worded for the agent. */
function discoveryFailure(err: unknown, jid: string): XmppError {
  const error = asXmppError(err);
  if (!(error instanceof TimeoutError)) return error;
  return new TimeoutError(
    `The chat server (${jid}) did not answer, so its user directory could not be found. Try again.`,
    { cause: error },
  );
}

async function askDisco(ask: Ask, to: string, xmlns: string) {
  try {
    return await ask(discoGet(to, xmlns));
  } catch (err) {
    throw discoveryFailure(err, to);
  }
}

/**
 * The JID of a jabber:iq:search service of `domain`. Throws
 * NoDirectoryError only when every answer says "not a directory": an item
 * that returned an error stanza is not one (RFC 6120 §8.3), but an item
 * that did not answer might be, so its failure is thrown instead.
 */
export async function findSearchService(
  ask: Ask,
  domain: string,
): Promise<string> {
  const info = await askDisco(ask, domain, NS_DISCO_INFO);
  if (discoFeatures(info).has(NS_SEARCH)) return domain;
  const candidates = discoItems(
    await askDisco(ask, domain, NS_DISCO_ITEMS),
  );
  const answers = await Promise.allSettled(
    candidates.map((jid) => ask(discoGet(jid, NS_DISCO_INFO))),
  );
  const index = answers.findIndex((answer) =>
    answer.status === "fulfilled" && discoFeatures(answer.value).has(NS_SEARCH)
  );
  if (index !== -1) return candidates[index];
  answers.forEach((answer, at) => {
    if (answer.status === "fulfilled") return;
    const error = discoveryFailure(answer.reason, candidates[at]);
    if (!(error instanceof StanzaError)) throw error;
  });
  throw new NoDirectoryError("service-unavailable");
}
