import type { FilesModel } from "../../../../shared/xmpp/files/file_transfers_api.ts";
import { FileCard } from "../files/file_card.tsx";
import type { ListRow } from "./message_rows.ts";
import { DayRow, MessageRow } from "./message_row.tsx";
import { dayLabel } from "./time_format.ts";
import { useVirtualList } from "./use_virtual_list.ts";

export interface MessageListProps {
  readonly rows: readonly ListRow[];
  /** The contact's display name. */
  readonly name: string;
  /** Why messages cannot go now (composerBlock), if so. */
  readonly blocked: string | undefined;
  /** The attachments, for the file cards' Accept, Decline and Cancel. */
  readonly files: FilesModel;
  onRetry(id: string): void;
}

/**
 * The conversation as a virtual list: only the rows near the viewport are
 * in the DOM, spacers stand for the rest, so a 10,000-message chat mounts
 * a few dozen rows. role=log (WAI-ARIA 1.2) with aria-live off: rows that
 * mount while scrolling are not news; LatestAnnouncer speaks new ones.
 */
export function MessageList(
  { rows, name, blocked, files, onRetry }: MessageListProps,
) {
  const list = useVirtualList(rows);
  const now = Date.now();
  const shown = rows.slice(list.range.start, list.range.end);
  return (
    <div class="message-list-frame">
      <div
        ref={list.scroller}
        class="message-list"
        role="log"
        aria-live="off"
        aria-label={`Messages with ${name}`}
        tabIndex={0}
        onScroll={list.onScroll}
      >
        {rows.length === 0 && <EmptyChat name={name} blocked={blocked} />}
        <div class="message-spacer" style={{ height: `${list.before}px` }} />
        {shown.map((row) =>
          row.kind === "day"
            ? (
              <DayRow
                key={row.key}
                rowKey={row.key}
                label={dayLabel(row.at, now)}
                observer={list.observer}
              />
            )
            : row.kind === "file"
            ? (
              <FileCard
                key={row.key}
                rowKey={row.key}
                transfer={row.transfer}
                name={name}
                files={files}
                observer={list.observer}
              />
            )
            : (
              <MessageRow
                key={row.key}
                rowKey={row.key}
                message={row.message}
                continued={row.continued}
                name={name}
                observer={list.observer}
                blocked={blocked}
                onRetry={onRetry}
              />
            )
        )}
        <div class="message-spacer" style={{ height: `${list.after}px` }} />
      </div>
      {list.unseen > 0 && (
        <button
          type="button"
          class="new-messages"
          onClick={() => {
            list.scrollToBottom();
            list.scroller.current?.focus({ preventScroll: true });
          }}
        >
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M8 3v10M3.5 8.5L8 13l4.5-4.5" />
          </svg>
          {list.unseen === 1 ? "New message" : `${list.unseen} new messages`}
        </button>
      )}
    </div>
  );
}

function EmptyChat(
  { name, blocked }: { name: string; blocked: string | undefined },
) {
  return (
    <div class="message-list-empty">
      <svg viewBox="0 0 24 24" width="32" height="32" aria-hidden="true">
        <path d="M4 5.5h16v10H9l-5 4z" />
      </svg>
      <p class="empty-title">No messages with {name} yet</p>
      {blocked === undefined && (
        <p class="empty-hint">Type below and press Enter to send.</p>
      )}
    </div>
  );
}
