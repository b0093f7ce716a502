// The receiver's Accept, issue 15 step 3: the sender is told first
// (file-accepted), the bytes are fetched bounded by the offered size (the
// policy's limit when none was offered) and checked against the offered
// SHA-256 when there is one (transfer/downloader.ts), and the sender is
// told how it ended (file-downloaded or file-failed). A cancel, ours or the
// sender's, aborts the fetch; the store has already marked the transfer
// and told whoever needs telling.
import type { FileOffer } from "./file_offer.ts";
import type { FileOutcome } from "./file_outcome.ts";
import { DEFAULT_MEDIA_TYPE } from "./file_metadata.ts";
import {
  fail,
  failureReasonOf,
  type FileTransfer,
  moveTo,
} from "./file_transfer_state.ts";
import { download } from "./transfer/downloader.ts";

export interface DownloadJob {
  readonly offer: FileOffer;
  /** The receiver's policy limit (downloader.ts caps it further). */
  readonly maxBytes: number;
  readonly signal: AbortSignal;
}

export interface DownloadDeps {
  readonly fetch: typeof fetch;
  readonly change: (step: (transfer: FileTransfer) => FileTransfer) => void;
  /** Sends an outcome of this offer to its sender. */
  readonly tell: (outcome: FileOutcome) => void;
}

export async function downloadOffer(
  job: DownloadJob,
  deps: DownloadDeps,
): Promise<Blob | undefined> {
  const { offer, signal } = job;
  deps.change((t) => moveTo(t, "downloading", { bytes: 0 }));
  deps.tell({ kind: "accepted" });
  const result = await download({
    ...offer,
    maxBytes: job.maxBytes,
    signal,
    // A size the offer did not give shows once the server declares it.
    onProgress: (bytes, size) =>
      deps.change((t) => moveTo(t, "downloading", { bytes, size })),
  }, deps.fetch);
  if (signal.aborted) return undefined;
  if (result.ok) {
    // A size not offered is known now (the card said "size not given").
    const size = result.bytes.byteLength;
    deps.change((t) => moveTo(t, "downloaded", { size }));
    deps.tell({ kind: "downloaded" });
    // Octet-stream: the view only saves it; nothing is to render it.
    return new Blob([result.bytes], { type: DEFAULT_MEDIA_TYPE });
  }
  const { reason } = result.error;
  deps.change((t) => fail(t, { kind: "transfer", reason }));
  deps.tell({ kind: "failed", reason: failureReasonOf(reason) });
  return undefined;
}
