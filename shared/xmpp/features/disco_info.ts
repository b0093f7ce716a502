// XEP-0030 service discovery, the info half: answering what this client is
// and understands (§3.1), including the caps node#ver a peer asks to check
// a hash (XEP-0115 §6.2), and reading such an answer from a peer.
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { ParseError, StanzaError } from "../core/errors.ts";
import type { StanzaRoutes } from "../router/stanza_router.ts";
import { type Caps, type CapsAnnouncement, capsVer } from "./caps.ts";
import {
  type DiscoIdentity,
  type DiscoInfo,
  type FeatureRegistry,
  NS_CAPS,
  NS_DISCO_INFO,
} from "./feature_registry.ts";

const XML_LANG = "xml:lang";

export function discoInfoQuery(info: DiscoInfo, node?: string): XmlElement {
  return xml(
    "query",
    node === undefined
      ? { xmlns: NS_DISCO_INFO }
      : { xmlns: NS_DISCO_INFO, node },
    ...info.identities.map((identity) => {
      const attrs: Record<string, string> = {
        category: identity.category,
        type: identity.type,
      };
      if (identity.name !== undefined) attrs.name = identity.name;
      if (identity.lang !== undefined) attrs[XML_LANG] = identity.lang;
      return xml("identity", attrs);
    }),
    ...info.features.map((feature) => xml("feature", { var: feature })),
  );
}

/**
 * Answers disco#info for this client: the registry's identities and
 * features, with or without the caps node (XEP-0115 §6.2); any other node
 * is item-not-found (XEP-0030 §3.1). Adds disco#info and caps to the
 * registry for as long as it is registered.
 */
export function serveDiscoInfo(
  router: StanzaRoutes,
  registry: FeatureRegistry,
  caps: Caps,
): () => void {
  const removeFeatures = registry.addFeatures(NS_DISCO_INFO, NS_CAPS);
  const unregister = router.iq(
    "get",
    NS_DISCO_INFO,
    "query",
    async (_request, query) => {
      const node = query.attrs.node;
      const info = registry.info.peek();
      if (node === undefined) return discoInfoQuery(info);
      if (node === `${caps.node}#${await caps.ver()}`) {
        return discoInfoQuery(info, node);
      }
      // Any other node: one we do not serve.
      throw new StanzaError("item-not-found", "cancel");
    },
  );
  return () => {
    unregister();
    removeFeatures();
  };
}

/** The identities and features of a disco#info result (XEP-0030 §3.1). */
export interface PeerInfo extends DiscoInfo {
  /** XEP-0128 extended forms, which our caps hashing does not cover. */
  readonly forms: number;
}

export function parseDiscoInfo(result: XmlElement): PeerInfo | ParseError {
  const query = result.getChild("query", NS_DISCO_INFO);
  if (query === undefined) {
    return new ParseError(
      "bad-disco-info",
      "The disco#info answer carries no query.",
    );
  }
  const identities: DiscoIdentity[] = [];
  for (const el of query.getChildren("identity")) {
    const { category, type, name } = el.attrs;
    const lang = el.attrs[XML_LANG];
    if (category === undefined || type === undefined) {
      return new ParseError(
        "bad-disco-info",
        "A disco#info identity lacks its category or type.",
      );
    }
    identities.push({
      category,
      type,
      ...(name === undefined ? {} : { name }),
      ...(lang === undefined ? {} : { lang }),
    });
  }
  const features: string[] = [];
  for (const el of query.getChildren("feature")) {
    if (el.attrs.var === undefined) {
      return new ParseError(
        "bad-disco-info",
        "A disco#info feature lacks var.",
      );
    }
    features.push(el.attrs.var);
  }
  return {
    identities,
    features,
    forms: query.getChildren("x", "jabber:x:data").length,
  };
}

/**
 * XEP-0115 §5.4: does this disco#info answer hash to the announced ver?
 * Only sha-1 and answers without extended forms are checked; any other is
 * not verified (false), and the peer's features are then to be asked for
 * directly rather than cached under the ver.
 */
export async function verifyCaps(
  announced: CapsAnnouncement,
  info: PeerInfo,
): Promise<boolean> {
  if (announced.hash !== "sha-1" || info.forms > 0) return false;
  // §5.4 step 3.3–3.4: duplicate identities or features make it invalid.
  const identityKeys = info.identities.map((id) =>
    [id.category, id.type, id.lang ?? "", id.name ?? ""].join("/")
  );
  if (new Set(identityKeys).size !== identityKeys.length) return false;
  if (new Set(info.features).size !== info.features.length) return false;
  return await capsVer(info) === announced.ver;
}
