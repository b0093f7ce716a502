// What this client is and understands, as one account's peers learn it:
// the identities and features a disco#info answer lists (XEP-0030 §3.1) and
// the XEP-0115 caps hash summarises. Each feature adds the namespaces it
// really handles when it is set up and takes them away when disposed, so
// the list never claims more than the element does. One registry per
// account: no global mutable state.
import { computed, type ReadonlySignal, signal } from "@preact/signals-core";

/** XEP-0030 §3.1 <identity/>; `lang` is its xml:lang. */
export interface DiscoIdentity {
  readonly category: string;
  readonly type: string;
  readonly name?: string;
  readonly lang?: string;
}

export interface DiscoInfo {
  readonly identities: readonly DiscoIdentity[];
  /** Each namespace once (XEP-0030 §3.1, XEP-0115 §5.4 step 3.4). */
  readonly features: readonly string[];
}

/** XEP-0030 §3.1 / registry: Desktop Chat is a web-based client. */
export const DESKTOP_CHAT_IDENTITY: DiscoIdentity = {
  category: "client",
  type: "web",
  name: "Desktop Chat",
};

export const NS_DISCO_INFO = "http://jabber.org/protocol/disco#info";
export const NS_CAPS = "http://jabber.org/protocol/caps";

export interface FeatureRegistry {
  /** What disco#info answers and caps hashes; changes as features come and go. */
  readonly info: ReadonlySignal<DiscoInfo>;
  /** Adds namespaces; the returned function takes them away again. */
  addFeatures(...namespaces: string[]): () => void;
  addIdentity(identity: DiscoIdentity): () => void;
}

export function createFeatureRegistry(
  identity: DiscoIdentity = DESKTOP_CHAT_IDENTITY,
): FeatureRegistry {
  // Counted: two features sharing a namespace (e.g. two that both need
  // disco#info) keep it listed until both are gone.
  const features = signal<ReadonlyMap<string, number>>(new Map());
  const identities = signal<readonly DiscoIdentity[]>([identity]);
  const info = computed<DiscoInfo>(() => ({
    identities: identities.value,
    features: [...features.value.keys()],
  }));

  function change(namespaces: readonly string[], by: 1 | -1): void {
    const next = new Map(features.peek());
    for (const ns of namespaces) {
      const count = (next.get(ns) ?? 0) + by;
      if (count > 0) next.set(ns, count);
      else next.delete(ns);
    }
    features.value = next;
  }

  return {
    info,
    addFeatures(...namespaces) {
      change(namespaces, 1);
      let added = true;
      return () => {
        if (!added) return;
        added = false;
        change(namespaces, -1);
      };
    },
    addIdentity(extra) {
      identities.value = [...identities.peek(), extra];
      return () => {
        identities.value = identities.peek().filter((one) => one !== extra);
      };
    },
  };
}
