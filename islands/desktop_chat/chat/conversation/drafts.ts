// What the agent had typed in each chat, kept while they switch tabs or
// minimise the window: per account, in memory only, so sign-out (a new
// Account) leaves none behind.
const drafts = new WeakMap<object, Map<string, string>>();

export function draftOf(account: object, jid: string): string {
  return drafts.get(account)?.get(jid) ?? "";
}

export function keepDraft(account: object, jid: string, text: string): void {
  let chats = drafts.get(account);
  if (chats === undefined) drafts.set(account, chats = new Map());
  if (text === "") chats.delete(jid);
  else chats.set(jid, text);
}
