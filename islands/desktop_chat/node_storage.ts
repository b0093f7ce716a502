import type { NodeStorage } from "../../shared/xmpp/discovery/node_cache.ts";

/**
 * localStorage, or a per-page map where the browser denies it (a sandboxed
 * gadget frame, blocked third-party storage): the node cache is only a
 * speed-up, and sign-in must not fail for want of it.
 */
export function nodeStorage(): NodeStorage {
  try {
    const storage = globalThis.localStorage;
    if (storage) return storage;
  } catch (error) {
    console.warn("Desktop Chat: localStorage is not available", error);
  }
  const memory = new Map<string, string>();
  return {
    getItem: (key) => memory.get(key) ?? null,
    setItem: (key, value) => void memory.set(key, value),
    removeItem: (key) => void memory.delete(key),
  };
}
