import { useComputed } from "@preact/signals";
import { useId } from "preact/hooks";
import type { SearchModel, SearchOption } from "./search_model.ts";
import { SearchResults } from "./search_results.tsx";

export interface DirectorySectionProps {
  readonly model: SearchModel;
  readonly listId: string;
  readonly optionId: (index: number) => string;
  readonly onAdd: (option: SearchOption, opener: HTMLElement) => void;
}

/**
 * Under the filtered contact list while the agent searches: the one empty
 * state when nothing matches, else a "Directory" section with the people
 * the list does not already show. One visually hidden status line tells a
 * screen reader what changed (WAI-ARIA APG combobox: results announced).
 */
export function DirectorySection(
  { model, listId, optionId, onAdd }: DirectorySectionProps,
) {
  const titleId = useId();
  const options = model.options.value;
  const note = model.note.value;
  const empty = model.empty.value;
  const announcement = useComputed(() => {
    const count = model.options.value.length;
    return model.empty.value ?? model.note.value ??
      (count === 0 ? "" : `${count} in the directory`);
  });
  const showDirectory = model.open.value &&
    (options.length > 0 || note !== undefined);

  return (
    <div class="search-section" hidden={model.query.value === ""}>
      {/* Always rendered: a live region must exist before its text changes. */}
      <p class="visually-hidden" role="status">{announcement}</p>
      {empty !== undefined && <p class="search-empty">{empty}</p>}
      <section
        class="directory"
        aria-labelledby={titleId}
        hidden={!showDirectory}
      >
        <div class="directory-header">
          <h2 class="directory-title" id={titleId}>Directory</h2>
          {note !== undefined && <p class="directory-note">{note}</p>}
        </div>
        <SearchResults
          listId={listId}
          optionId={optionId}
          options={options}
          active={model.active.value}
          onAdd={onAdd}
        />
      </section>
    </div>
  );
}
