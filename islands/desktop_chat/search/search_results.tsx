import { useEffect, useRef } from "preact/hooks";
import { personLabel } from "../../../shared/xmpp/identity/person.ts";
import { useOpenChat } from "../chat/open_chat_context.ts";
import { IdentityNotes } from "../identity/identity_notes.tsx";
import type { SearchOption } from "./search_model.ts";

export interface SearchResultsProps {
  readonly listId: string;
  readonly optionId: (index: number) => string;
  readonly options: readonly SearchOption[];
  /** Index of the active option, or -1. */
  readonly active: number;
  readonly onAdd: (option: SearchOption, opener: HTMLElement) => void;
}

/** The directory's people: the listbox the Search combobox controls. */
export function SearchResults(
  { listId, optionId, options, active, onAdd }: SearchResultsProps,
) {
  const list = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (active >= 0) {
      list.current?.children[active]?.scrollIntoView({ block: "nearest" });
    }
  }, [active]);

  return (
    <ul
      ref={list}
      id={listId}
      class="search-list"
      role="listbox"
      aria-label="Directory results"
      // Keeps focus in the field, where the combobox keys are handled.
      onMouseDown={(event) => event.preventDefault()}
    >
      {options.map((option, index) => (
        <SearchResult
          key={option.jid}
          id={optionId(index)}
          option={option}
          active={index === active}
          onAdd={onAdd}
        />
      ))}
    </ul>
  );
}

interface SearchResultProps {
  readonly id: string;
  readonly option: SearchOption;
  readonly active: boolean;
  readonly onAdd: (option: SearchOption, opener: HTMLElement) => void;
}

function SearchResult({ id, option, active, onAdd }: SearchResultProps) {
  const { jid, name, person, inContacts, typed } = option;
  const canAdd = !inContacts;
  const label = typed && canAdd ? `Add ${jid}` : name;
  const openChat = useOpenChat();
  return (
    <li
      id={id}
      class="search-option"
      role="option"
      aria-selected={active}
      title={personLabel(person)}
      data-looks-like={person.looksLike?.jid}
      // A typed address reads "Add …"; a person found starts a chat
      // (issue 13), the add icon adds them.
      onClick={typed && canAdd
        ? (event) => onAdd(option, event.currentTarget)
        : () => openChat?.(jid)}
    >
      <span class="search-option-text">
        <span class="search-name">{label}</span>
        {name !== jid && <span class="search-jid">{jid}</span>}
        {
          // A non-contact: their address above, then in words that they
          // are no contact, any flag, and the directory's name as a claim.
          !typed && <IdentityNotes person={person} />
        }
      </span>
      {inContacts && <span class="search-note">In your contacts</span>}
      {canAdd && (
        // Seed: hover over the contact and click the icon. The keyboard
        // path is Enter on the active option, so it is not a tab stop.
        <button
          type="button"
          class="icon-button search-add"
          tabIndex={-1}
          aria-label={`Add ${name}`}
          onClick={(event) => {
            event.stopPropagation();
            onAdd(option, event.currentTarget);
          }}
        >
          <AddIcon />
        </button>
      )}
    </li>
  );
}

function AddIcon() {
  return (
    <svg
      viewBox="0 0 16 16"
      width="16"
      height="16"
      aria-hidden="true"
      focusable="false"
    >
      <circle cx="6" cy="5" r="2.6" fill="none" stroke="currentColor" />
      <path
        d="M1.5 13.5c0-2.5 2-4 4.5-4s4.5 1.5 4.5 4M12.5 5v5M10 7.5h5"
        fill="none"
        stroke="currentColor"
        stroke-width="1.4"
        stroke-linecap="round"
      />
    </svg>
  );
}
