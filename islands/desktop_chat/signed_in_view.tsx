import { useEffect, useMemo } from "preact/hooks";
import type { Account } from "../../shared/xmpp/session/account.ts";
import type { SessionModel } from "../../shared/xmpp/session/session_store.ts";
import { ContactList } from "./contacts/contact_list.tsx";
import { ContactListModel } from "./contacts/contact_list_model.ts";
import { Dialogs } from "./dialog_model.ts";
import { DialogHost } from "./dialogs/dialog_host.tsx";
import { SubscriptionRequests } from "./requests/subscription_requests.tsx";
import { SearchBox } from "./search/search_box.tsx";
import { StateMenu } from "./state_menu.tsx";
import { StatusMessage } from "./status_message.tsx";

export interface SignedInViewProps {
  readonly account: Account;
  readonly session: SessionModel;
}

/** The panel once signed in: who and in which state, requests, search, contacts. */
export function SignedInView({ account, session }: SignedInViewProps) {
  const list = useMemo(
    () => new ContactListModel(account.roster.groups, account.recent.chats),
    [account],
  );
  const dialogs = useMemo(() => new Dialogs(), [account]);
  useEffect(() => () => {
    list[Symbol.dispose]();
    dialogs[Symbol.dispose]();
  }, [list, dialogs]);

  return (
    <div class="signed-in">
      <header class="account-header">
        <div class="account-row">
          <span class="account-name" title={account.jid}>{account.jid}</span>
          <StateMenu account={account} session={session} />
        </div>
        <StatusMessage presence={account.presence} />
      </header>
      <SubscriptionRequests account={account} />
      <SearchBox
        account={account}
        dialogs={dialogs}
        onQueryChange={list.setFilter}
      />
      <ContactList account={account} dialogs={dialogs} model={list} />
      <DialogHost account={account} dialogs={dialogs} />
    </div>
  );
}
