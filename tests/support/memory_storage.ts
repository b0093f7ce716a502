// A Web Storage in memory for the tests of what is kept across a refresh
// (chat/storage_writer.ts and its copies): it counts writes and refuses,
// as a full sessionStorage does, any value past its quota.
import type { HistoryStorage } from "../../shared/xmpp/chat/storage_writer.ts";

export class MemoryStorage implements HistoryStorage {
  readonly items = new Map<string, string>();
  writes = 0;
  /** Characters it holds at most; beyond, QuotaExceededError. */
  constructor(readonly quota = Infinity) {}
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    if (value.length > this.quota) {
      throw new DOMException("full", "QuotaExceededError");
    }
    this.writes++;
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}
