// XEP-0199 §4.2: answer a ping (from the server or a peer) with an empty
// result, and say so in disco#info (XEP-0199 §8).
import type { StanzaRoutes } from "../router/stanza_router.ts";
import type { FeatureRegistry } from "./feature_registry.ts";

export const NS_PING = "urn:xmpp:ping";

export function servePing(
  router: StanzaRoutes,
  registry: FeatureRegistry,
): () => void {
  const removeFeature = registry.addFeatures(NS_PING);
  const unregister = router.iq("get", NS_PING, "ping", () => undefined);
  return () => {
    unregister();
    removeFeature();
  };
}
