// XEP-0115 entity capabilities: the verification string of what this client
// is and understands, hashed into the <c/> element every available presence
// carries, so a peer learns our features once per ver, not once per contact.
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import {
  type DiscoIdentity,
  type DiscoInfo,
  type FeatureRegistry,
  NS_CAPS,
} from "./feature_registry.ts";

/**
 * XEP-0115 §4: a URI that uniquely identifies the software. Until the
 * project has a public URL, a URN of one fixed UUID (RFC 9562 §4) names it
 * without claiming anyone's domain.
 */
export const DESKTOP_CHAT_CAPS_NODE =
  "urn:uuid:d0045899-39aa-49dc-942d-d19145a16f28";

const encoder = new TextEncoder();

/** i;octet (RFC 4790 §9.3): byte-wise over UTF-8, not UTF-16 code units. */
export function compareOctets(a: string, b: string): number {
  if (a === b) return 0;
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return x.length - y.length;
}

function compareIdentities(a: DiscoIdentity, b: DiscoIdentity): number {
  return compareOctets(a.category, b.category) ||
    compareOctets(a.type, b.type) ||
    compareOctets(a.lang ?? "", b.lang ?? "") ||
    compareOctets(a.name ?? "", b.name ?? "");
}

/**
 * The string XEP-0115 §5.1 hashes: each identity as
 * category/type/lang/name, sorted, then each feature, sorted, every one
 * followed by "<". No extended forms (XEP-0128): we publish none.
 */
export function capsString(info: DiscoInfo): string {
  const identities = [...info.identities].sort(compareIdentities).map((id) =>
    `${id.category}/${id.type}/${id.lang ?? ""}/${id.name ?? ""}<`
  );
  const features = [...info.features].sort(compareOctets).map((f) => `${f}<`);
  return identities.join("") + features.join("");
}

/** XEP-0115 §5.1 steps 7–8 with hash='sha-1' (the mandatory one, §5.1). */
export async function capsVer(info: DiscoInfo): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-1",
    encoder.encode(capsString(info)),
  );
  let binary = "";
  for (const byte of new Uint8Array(digest)) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary);
}

export interface Caps {
  readonly node: string;
  /** The <c/> for the registry's current features (XEP-0115 §4). */
  element(): Promise<XmlElement>;
  /** The ver of the current features, for disco#info's node (§6.2). */
  ver(): Promise<string>;
}

export function createCaps(
  registry: FeatureRegistry,
  node: string = DESKTOP_CHAT_CAPS_NODE,
): Caps {
  // Hashed once per change of the registry, not once per presence.
  let hashed: { info: DiscoInfo; ver: Promise<string> } | undefined;
  function ver(): Promise<string> {
    const info = registry.info.peek();
    if (hashed?.info !== info) hashed = { info, ver: capsVer(info) };
    return hashed.ver;
  }
  return {
    node,
    ver,
    async element() {
      return xml("c", {
        xmlns: NS_CAPS,
        hash: "sha-1",
        node,
        ver: await ver(),
      });
    },
  };
}

export interface CapsAnnouncement {
  readonly hash: string;
  readonly node: string;
  readonly ver: string;
}

/** The <c/> of a presence, if it has a well-formed one (XEP-0115 §4). */
export function capsOf(presence: XmlElement): CapsAnnouncement | undefined {
  const c = presence.getChild("c", NS_CAPS);
  const { hash, node, ver } = c?.attrs ?? {};
  if (hash === undefined || node === undefined || ver === undefined) {
    return undefined;
  }
  return { hash, node, ver };
}
