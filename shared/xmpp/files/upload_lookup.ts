// Finding the chat server's HTTP upload service (XEP-0363 §3): the items
// of the domain (disco#items, XEP-0030 §4), each asked for its disco#info;
// the first that lists urn:xmpp:http:upload:0 is the service. Prosody
// (mod_http_file_share) and ejabberd (mod_http_upload) both run it as a
// component `upload.<domain>`, but the XEP names no address, so the domain
// itself is asked too.
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import {
  discoGet,
  discoItems,
  NS_DISCO_INFO,
  NS_DISCO_ITEMS,
} from "../directory/search_discovery.ts";
import { parseUploadService, type UploadService } from "./upload_discovery.ts";

export type Ask = (request: XmlElement) => Promise<XmlElement>;

/**
 * The upload service of `domain`, or undefined when disco lists none.
 * Rejects with the typed error of the domain's disco#items; an item that
 * fails to answer is only not the service (RFC 6120 §8.3).
 */
export async function findUploadService(
  ask: Ask,
  domain: string,
): Promise<UploadService | undefined> {
  const items = discoItems(await ask(discoGet(domain, NS_DISCO_ITEMS)));
  const candidates = [domain, ...items.filter((jid) => jid !== domain)];
  const answers = await Promise.allSettled(
    candidates.map((jid) => ask(discoGet(jid, NS_DISCO_INFO))),
  );
  for (const [at, answer] of answers.entries()) {
    if (answer.status !== "fulfilled") continue;
    const service = parseUploadService(candidates[at], answer.value);
    if (!(service instanceof ParseError)) return service;
  }
  return undefined;
}
