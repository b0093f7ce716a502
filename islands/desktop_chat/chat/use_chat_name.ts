// The display name of a chat's contact from the account's live signals
// (chat_names.ts decides the order of the sources).
import type { Account } from "../../../shared/xmpp/session/account.ts";
import { chatName } from "./chat_names.ts";

/** Reads signals: a component calling it re-renders when the name changes. */
export function useChatName(account: Account, jid: string): string {
  return chatName(jid, {
    rosterName: account.roster.contacts.value.get(jid)?.name,
    vcardName: account.vcards.nameOf(jid).value,
    nick: account.chats.conversation(jid).value.nick,
  });
}

/** The name now, without subscribing (for a notification's title). */
export function chatNameNow(account: Account, jid: string): string {
  return chatName(jid, {
    rosterName: account.roster.contacts.peek().get(jid)?.name,
    vcardName: account.vcards.nameOf(jid).peek(),
    nick: account.chats.conversation(jid).peek().nick,
  });
}
