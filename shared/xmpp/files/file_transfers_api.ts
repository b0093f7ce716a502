// What the attachments store (file_transfers.ts) takes and gives: the
// account composes it as `account.files`; the chat window reads its
// signals and calls its verbs.
import type { ReadonlySignal } from "@preact/signals-core";
import type { XmppError } from "../core/errors.ts";
import type { FeatureRegistry } from "../features/feature_registry.ts";
import type { AttachmentPolicy } from "../../settings/settings_rules.ts";
import type { FileTransfer } from "./file_transfer_state.ts";
import type { UploadService } from "./upload_discovery.ts";
import type { Uploader } from "./transfer/uploader.ts";

export type {
  FileTransfer,
  TransferFailureReason,
  TransferPhase,
} from "./file_transfer_state.ts";

/** The chat server's XEP-0363 service, as "Send a file" needs to know it. */
export type UploadServiceStatus =
  /** Not asked yet (before sign-in's sync), or being asked. */
  | { readonly state: "unknown" }
  | { readonly state: "available"; readonly service: UploadService }
  /** disco lists no upload service: Send a file is off, with this reason. */
  | { readonly state: "none" }
  /** The server did not answer disco; `discover()` again may help. */
  | { readonly state: "error"; readonly error: XmppError };

/** A file the agent picked: a browser File gives `{ name, type, data: file }`. */
export interface OutgoingFile {
  /** As picked; sanitised before it goes anywhere (file_name.ts). */
  readonly name: string;
  /** MIME type as picked ("" when the browser does not know). */
  readonly type: string;
  readonly data: Blob | Uint8Array<ArrayBuffer>;
}

export interface SendHandle {
  /** The transfer's key, at once: `transfer(key)`, `cancel(key)`. */
  readonly key: string;
  /** Settles when the offer went out or the send ended (never rejects). */
  readonly done: Promise<FileTransfer>;
}

export interface FilesModel {
  readonly uploadService: ReadonlySignal<UploadServiceStatus>;
  /** Every transfer of the session, oldest first. */
  readonly transfers: ReadonlySignal<readonly FileTransfer[]>;
  /** The administrator's policy the store applies (setPolicy changes it). */
  readonly policy: ReadonlySignal<AttachmentPolicy>;
  transfer(key: string): ReadonlySignal<FileTransfer | undefined>;
  setPolicy(policy: AttachmentPolicy): void;
  /** XEP-0363 §3 discovery; the account runs it at every sync. */
  discover(): Promise<void>;
  /**
   * Checks `file` against `policy` (default: the store's), then slot,
   * upload, SHA-256 and the offer to `to` (a bare JID; throws a ParseError
   * for anything else).
   */
  send(to: string, file: OutgoingFile, policy?: AttachmentPolicy): SendHandle;
  /**
   * Downloads an incoming offer the policy allows; resolves with its bytes
   * once they are all there and their SHA-256 matched, else undefined (the
   * transfer's phase says why).
   */
  accept(key: string): Promise<Blob | undefined>;
  /** An incoming offer: nothing is downloaded and the sender is told. */
  decline(key: string): void;
  /** Stops a transfer either way; the other side is told. */
  cancel(key: string): void;
}

export interface FilesOptions {
  /** Where the file-sharing features are advertised (XEP-0030). */
  readonly features: FeatureRegistry;
  /** The chat server's BOSH/WebSocket URL (file_url.ts: when http is ok). */
  readonly chatServer: () => string;
  readonly policy: AttachmentPolicy;
  /** The browser passes xhrUploader(), headless clients fetchUploader(). */
  readonly uploader: Uploader;
  /** For downloads; default globalThis.fetch. */
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  readonly now?: () => number;
  readonly onError?: (error: XmppError) => void;
}
