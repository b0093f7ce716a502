import type { TargetedKeyboardEvent } from "preact";
import { useOpenChat } from "../chat/open_chat_context.ts";
import type { SearchModel, SearchOption } from "./search_model.ts";

export interface SearchBoxProps {
  readonly model: SearchModel;
  /** The Directory section's listbox, and its options' ids. */
  readonly listId: string;
  readonly optionId: (index: number) => string;
  /** Every keystroke, at once: the contact list filters itself. */
  readonly onQueryChange: (text: string) => void;
  /** Enter on the active directory option. */
  readonly onChoose: (option: SearchOption, opener: HTMLElement) => void;
}

/**
 * Seed "Search": filters the contact list and finds people in the user
 * directory. WAI-ARIA APG combobox whose listbox is the Directory section
 * under the filtered list: focus stays in the field, Down/Up move the
 * active option (aria-activedescendant), Enter picks it, Escape clears.
 */
export function SearchBox(
  { model, listId, optionId, onQueryChange, onChoose }: SearchBoxProps,
) {
  const expanded = model.options.value.length > 0;
  const active = model.active.value;
  const openChat = useOpenChat();

  function change(text: string) {
    model.input(text);
    onQueryChange(text);
  }

  function onKeyDown(event: TargetedKeyboardEvent<HTMLInputElement>) {
    const option = model.options.peek()[model.active.peek()];
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      model.move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter" && option !== undefined) {
      event.preventDefault();
      // A person found starts a chat (issue 13); a typed address is added.
      if (option.typed || !openChat) onChoose(option, event.currentTarget);
      else openChat(option.jid);
    } else if (event.key === "Escape" && model.term.peek() !== "") {
      // Clears the search; on an empty field Escape goes on to the panel.
      // The browser's own clearing of a search field is replaced by ours.
      event.preventDefault();
      event.stopPropagation();
      change("");
    }
  }

  return (
    <div class="search">
      <input
        class="search-field"
        type="search"
        role="combobox"
        // ARIA in HTML allows combobox on a search field; Preact's types
        // accept it only next to a `list`, which stays unset.
        list={undefined}
        placeholder="Search contacts and directory"
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
        onBlur={() => model.blur()}
      />
    </div>
  );
}
