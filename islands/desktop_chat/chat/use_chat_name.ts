// The display name of a chat's person, for views that need only the name
// (people.ts and shared/xmpp/identity/person.ts decide it: a stranger's is
// their address).
import type { Account } from "../../../shared/xmpp/session/account.ts";
import { peopleOf } from "../identity/people.ts";

/** Reads signals: a component calling it re-renders when the name changes. */
export function useChatName(account: Account, jid: string): string {
  return peopleOf(account).personOf(jid).name;
}
