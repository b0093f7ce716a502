// What a signed-in agent has: the stores the views read. Created by the
// session store on sign-in and disposed on sign-out or a lost connection.
import type { DirectorySearch } from "../directory/directory_search.ts";
import type { PresenceModel } from "../presence/presence_store.ts";
import type { RecentChatsModel } from "../chat/recent_chats.ts";
import type { RosterModel } from "../roster/roster_store.ts";

export interface Account {
  /** The agent's bare JID, lower-case. */
  readonly jid: string;
  /** The node signed in on (seed: IM&P node discovery). */
  readonly service: string;
  readonly roster: RosterModel;
  readonly presence: PresenceModel;
  readonly directory: DirectorySearch;
  readonly recent: RecentChatsModel;
}
