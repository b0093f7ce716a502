// One attachment in the conversation (seed: "Attachments"): the file's
// name and size in the attachment header, a progress bar while bytes move,
// Accept/Decline for an offer the policy allows, and what became of it in
// plain words on both sides. Nothing here opens the file.
import { useRef } from "preact/hooks";
import type {
  FilesModel,
  FileTransfer,
} from "../../../../shared/xmpp/files/file_transfers_api.ts";
import { pure } from "../conversation/pure.ts";
import {
  ROW_KEY_ATTRIBUTE,
  type RowObserver,
  useMeasuredRow,
} from "../conversation/row_observer.ts";
import { fullLabel, isoLabel, timeLabel } from "../conversation/time_format.ts";
import {
  formatSize,
  moved,
  phaseText,
  policyText,
  UNVERIFIED,
} from "./file_messages.ts";
import { saveBlob } from "./save_blob.ts";

export interface FileCardProps {
  readonly rowKey: string;
  readonly transfer: FileTransfer;
  /** The contact's display name. */
  readonly name: string;
  readonly files: FilesModel;
  readonly observer: RowObserver;
}

export const FileCard = pure(function FileCard(props: FileCardProps) {
  const { transfer, name, files } = props;
  const ref = useMeasuredRow<HTMLDivElement>(props.observer);
  const card = useRef<HTMLDivElement>(null);
  const attrs = { [ROW_KEY_ATTRIBUTE]: props.rowKey };
  const out = transfer.direction === "out";
  const moving = transfer.phase === "uploading" ||
    transfer.phase === "downloading";
  const refused = !out && transfer.phase === "offered" &&
      transfer.decision !== undefined && !transfer.decision.ok
    ? policyText(transfer.decision, transfer.name, transfer.size)
    : undefined;
  const canAnswer = !out && transfer.phase === "offered" &&
    transfer.decision?.ok === true;
  const cancellable = moving || transfer.phase === "checking" ||
    (out && transfer.phase === "offered");
  const unverified = transfer.unverified && refused === undefined &&
    (moving || transfer.phase === "offered" || transfer.phase === "downloaded");

  function accept(): void {
    files.accept(transfer.key).then((blob) => {
      const host = card.current?.getRootNode();
      if (blob !== undefined && host !== undefined) {
        saveBlob(blob, transfer.name, host);
      }
    }).catch((error: unknown) => {
      // The store ends the transfer failed with its reason; this is a bug.
      console.error("desktop-chat: accept failed", error);
    });
  }

  return (
    <div
      ref={ref}
      {...attrs}
      class="message-row file-row"
      data-direction={transfer.direction}
      data-file-key={transfer.key}
      data-phase={transfer.phase}
      data-refused={refused === undefined ? undefined : "true"}
    >
      <div ref={card} class="file-card" role="group" aria-label="Attachment">
        <div class="attachment-header">
          <svg
            class="file-icon"
            viewBox="0 0 16 16"
            width="20"
            height="20"
            aria-hidden="true"
          >
            <path d="M4 1.5h5l3.5 3.5v9.5h-8.5z M9 1.5V5h3.5" />
          </svg>
          <span class="file-name" title={transfer.name}>{transfer.name}</span>
          <span class="file-size">{formatSize(transfer.size)}</span>
        </div>
        {moving && <Progress transfer={transfer} />}
        <div class="file-footer">
          <p class="file-status">
            <span class="visually-hidden">
              {out ? "You: " : `${name}: `}
            </span>
            {refused ?? phaseText(transfer, name)}
          </p>
          <time
            class="file-time"
            dateTime={isoLabel(transfer.at)}
            title={fullLabel(transfer.at)}
          >
            {timeLabel(transfer.at)}
          </time>
        </div>
        {unverified && <p class="file-note">{UNVERIFIED}</p>}
        {(canAnswer || cancellable) && (
          <div class="file-actions">
            {canAnswer && (
              <button
                type="button"
                class="button button-primary"
                onClick={accept}
              >
                Accept
              </button>
            )}
            {canAnswer && (
              <button
                type="button"
                class="button"
                onClick={() => files.decline(transfer.key)}
              >
                Decline
              </button>
            )}
            {cancellable && (
              <button
                type="button"
                class="button"
                onClick={() => files.cancel(transfer.key)}
              >
                Cancel
              </button>
            )}
          </div>
        )}
      </div>
    </div>
  );
});

function Progress({ transfer }: { transfer: FileTransfer }) {
  const size = transfer.size;
  const percent = size === undefined || size === 0
    ? undefined
    : Math.min(100, Math.round((transfer.bytes / size) * 100));
  return (
    <div
      class="file-progress"
      role="progressbar"
      aria-label={transfer.phase === "uploading" ? "Upload" : "Download"}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={moved(transfer)}
    >
      <div class="file-progress-bar" style={{ width: `${percent ?? 0}%` }} />
    </div>
  );
}
