// Discovery over scripted clients (style.md item 10: fakes only under
// tests/): each node either comes online, fails with a given error or never
// answers, and the node cache lives in a Map. Used by
// shared/xmpp/discovery/server_discovery*_test.ts.
import assert from "node:assert/strict";
import {
  AuthError,
  TransportError,
  XmppError,
} from "../../shared/xmpp/core/errors.ts";
import {
  bareJid,
  encodeCachedNode,
  nodeCacheKey,
  type NodeStorage,
} from "../../shared/xmpp/discovery/node_cache.ts";
import {
  type Attempt,
  type DiscoveryClient,
  type DiscoveryOptions,
  signInWithDiscovery,
} from "../../shared/xmpp/discovery/server_discovery.ts";

export const P = "https://imp1.example.com:5280/http-bind";
export const S = "https://imp2.example.com:5280/http-bind";
export const N = "https://imp5.example.com:5280/http-bind";
export const V1 = '"s-1"';
export const V2 = '"s-2"';
export const KEY = nodeCacheKey(bareJid("agent1", "example.com"));

export type Script = "online" | "hang" | XmppError | (() => XmppError);

export class ScriptedClient implements DiscoveryClient {
  status = "offline";
  stopped = false;
  aborted = false;
  readonly listeners = new Set<(error: unknown) => void>();

  constructor(readonly service: string, readonly script: Script) {}

  start(): Promise<unknown> {
    this.status = "connecting";
    if (this.script === "hang") return new Promise(() => {});
    if (this.script === "online") {
      this.status = "online";
      return Promise.resolve();
    }
    const error = typeof this.script === "function"
      ? this.script()
      : this.script;
    // As xmpp.js does: the error is emitted, and start() rejects with it.
    for (const listener of this.listeners) listener(error);
    this.status = error instanceof AuthError ? "open" : "disconnect";
    return Promise.reject(error);
  }

  stop(): Promise<unknown> {
    this.stopped = true;
    this.status = "offline";
    return Promise.resolve();
  }

  abort(): void {
    this.aborted = true;
    this.status = "offline";
  }

  on(_event: "error", listener: (error: unknown) => void): void {
    this.listeners.add(listener);
  }

  removeListener(_event: "error", listener: (error: unknown) => void): void {
    this.listeners.delete(listener);
  }
}

export function mapStorage(entries: Record<string, string> = {}) {
  const map = new Map(Object.entries(entries));
  const storage: NodeStorage = {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
  return { map, storage };
}

export function cachedAt(service: string, settingsVersion = V1) {
  return { [KEY]: encodeCachedNode({ service, settingsVersion }) };
}

export const unreachable = () => new TransportError("unreachable", "refused");
export const seeOtherUri = (uri: string) => () =>
  new TransportError("see-other-uri", "moved", { uri });

/** One script per node, or one per connection to it, in order. */
export function harness(
  scripts: Record<string, Script | Script[]>,
  options: Partial<DiscoveryOptions> & { cache?: Record<string, string> } = {},
) {
  const { map, storage } = mapStorage(options.cache);
  const clients: ScriptedClient[] = [];
  const reported: Attempt[] = [];
  const run = () =>
    signInWithDiscovery({
      settings: { primary: P, secondary: S },
      settingsVersion: V1,
      username: "agent1",
      password: "secret",
      domain: "example.com",
      storage,
      onAttempt: (attempt) => reported.push(attempt),
      ...options,
      connect: (service) => {
        const script = scripts[service] ?? "hang";
        const nth = clients.filter((c) => c.service === service).length;
        const client = new ScriptedClient(
          service,
          Array.isArray(script) ? script[nth] ?? "hang" : script,
        );
        clients.push(client);
        return client;
      },
    });
  const connected = () => clients.map((client) => client.service);
  const cached = () => {
    const raw = map.get(KEY);
    return raw === undefined ? undefined : JSON.parse(raw);
  };
  return { run, clients, connected, cached, map, reported };
}

export async function rejection(promise: Promise<unknown>): Promise<XmppError> {
  const error = await promise.then(
    () => assert.fail("expected the sign-in to fail"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof XmppError, String(error));
  return error;
}
