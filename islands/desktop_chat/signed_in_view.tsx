import { useEffect, useId, useMemo } from "preact/hooks";
import type { Account } from "../../shared/xmpp/session/account.ts";
import type { SessionModel } from "../../shared/xmpp/session/session_store.ts";
import { AccountName } from "./account_name.tsx";
import { peopleOf } from "./identity/people.ts";
import { ContactList } from "./contacts/contact_list.tsx";
import { ContactListModel } from "./contacts/contact_list_model.ts";
import { Dialogs } from "./dialog_model.ts";
import { DialogHost } from "./dialogs/dialog_host.tsx";
import { SubscriptionRequests } from "./requests/subscription_requests.tsx";
import { DirectorySection } from "./search/directory_section.tsx";
import { SearchBox } from "./search/search_box.tsx";
import { SearchModel, type SearchOption } from "./search/search_model.ts";
import { StateMenu } from "./state_menu.tsx";
import { StatusMessage } from "./status_message.tsx";

export interface SignedInViewProps {
  readonly account: Account;
  readonly session: SessionModel;
}

/**
 * The panel once signed in: who and in which state, requests, search, then
 * one list: the filtered contacts and, while searching, the directory.
 */
export function SignedInView({ account, session }: SignedInViewProps) {
  const list = useMemo(
    () => new ContactListModel(account.roster.groups, account.recent.chats),
    [account],
  );
  const search = useMemo(
    () =>
      new SearchModel({
        search: (term, options) => account.directory.search(term, options),
        ownJid: account.jid,
        identify: peopleOf(account).personOf,
        listed: list.listed,
      }),
    [account, list],
  );
  const dialogs = useMemo(() => new Dialogs(), [account]);
  useEffect(() => () => {
    list[Symbol.dispose]();
    // Aborts a directory search in flight and its pending pause.
    search[Symbol.dispose]();
    dialogs[Symbol.dispose]();
  }, [list, search, dialogs]);
  const listId = useId();
  const optionId = (index: number) => `${listId}-${index}`;

  function choose(option: SearchOption, opener: HTMLElement) {
    if (option.inContacts) return;
    // No name filled in from the directory: it is the person's own vCard,
    // and as a roster name it would be trusted and never flagged; the agent
    // names them, or their vCard name shows, checked (issue 14).
    dialogs.open({ kind: "add-contact", jid: option.jid }, opener);
  }

  return (
    <div class="signed-in" data-searching={search.query.value !== ""}>
      <header class="account-header">
        <div class="account-row">
          <AccountName account={account} />
          <StateMenu account={account} session={session} />
        </div>
        <StatusMessage presence={account.presence} />
      </header>
      <SubscriptionRequests account={account} />
      <SearchBox
        model={search}
        listId={listId}
        optionId={optionId}
        onQueryChange={list.setFilter}
        onChoose={choose}
      />
      <ContactList account={account} dialogs={dialogs} model={list} />
      <DirectorySection
        model={search}
        listId={listId}
        optionId={optionId}
        onAdd={choose}
      />
      <DialogHost account={account} dialogs={dialogs} />
    </div>
  );
}
