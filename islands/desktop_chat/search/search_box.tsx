import type { TargetedKeyboardEvent } from "preact";
import { useEffect, useId, useMemo, useRef } from "preact/hooks";
import type { Account } from "../../../shared/xmpp/session/account.ts";
import type { DialogModel } from "../dialog_model.ts";
import { SearchModel, type SearchOption } from "./search_model.ts";
import { SearchResults } from "./search_results.tsx";

export interface SearchBoxProps {
  readonly account: Account;
  readonly dialogs: DialogModel;
  /** Every keystroke, at once: the contact list filters itself. */
  readonly onQueryChange: (text: string) => void;
}

/**
 * Seed "Search": filters the contact list and finds people in the user
 * directory to add. WAI-ARIA APG combobox with a listbox popup; focus stays
 * in the field and aria-activedescendant names the active option.
 */
export function SearchBox({ account, dialogs, onQueryChange }: SearchBoxProps) {
  const model = useMemo(
    () =>
      new SearchModel({
        search: (term, options) => account.directory.search(term, options),
        ownJid: account.jid,
        contacts: account.roster.contacts,
      }),
    [account],
  );
  // Disposing aborts a search in flight and its pending pause.
  useEffect(() => () => model[Symbol.dispose](), [model]);
  const field = useRef<HTMLInputElement>(null);
  const listId = useId();
  const optionId = (index: number) => `${listId}-${index}`;
  const expanded = model.open.value &&
    (model.options.value.length > 0 || model.message.value !== undefined);
  const active = model.active.value;

  function change(text: string) {
    model.input(text);
    onQueryChange(text);
  }

  function add(option: SearchOption) {
    model.close();
    dialogs.open(
      option.typed
        ? { kind: "add-contact", jid: option.jid }
        : { kind: "add-contact", jid: option.jid, name: option.name },
      field.current,
    );
  }

  function onKeyDown(event: TargetedKeyboardEvent<HTMLInputElement>) {
    const option = model.options.peek()[model.active.peek()];
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      model.move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter" && expanded && option !== undefined) {
      event.preventDefault();
      if (!option.inContacts) add(option);
    } else if (event.key === "Escape" && (expanded || model.term.peek())) {
      // First Escape closes the drop-down, the second clears the field;
      // the browser's own clearing of a search field is replaced by ours.
      event.preventDefault();
      event.stopPropagation();
      if (expanded) model.close();
      else change("");
    }
  }

  return (
    <div
      class="search"
      onFocusOut={(event) => {
        // Tab or a click elsewhere; clicks on the drop-down keep focus here.
        const to = event.relatedTarget;
        if (!(to instanceof Node && event.currentTarget.contains(to))) {
          model.close();
        }
      }}
    >
      <input
        ref={field}
        class="search-field"
        type="search"
        role="combobox"
        // ARIA in HTML allows combobox on a search field; Preact's types
        // accept it only next to a `list`, which stays unset.
        list={undefined}
        placeholder="Search"
        aria-label="Search contacts and directory"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0
          ? optionId(active)
          : undefined}
        autocomplete="off"
        spellcheck={false}
        value={model.term}
        onInput={(event) => change(event.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      <SearchResults
        listId={listId}
        optionId={optionId}
        hidden={!expanded}
        message={model.message.value}
        options={model.options.value}
        active={active}
        onAdd={add}
      />
    </div>
  );
}
