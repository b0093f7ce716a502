// The sender's side of one attachment, issue 15 steps 1–2: the policy
// first (nothing is asked of the server for a refused file), an XEP-0363
// §4 slot and the PUT (§6) while the SHA-256 is computed, then the XEP-0447
// offer. Each step
// moves the transfer through `change`; a cancel (the signal) stops it
// between steps and aborts the PUT, and the store has already marked it.
import { asXmppError, type XmlElement } from "../core/connection.ts";
import { ParseError, StanzaError } from "../core/errors.ts";
import type { RoutedConnection } from "../router/routed_connection.ts";
import type { AttachmentPolicy } from "../../settings/settings_rules.ts";
import { fileOfferStanza } from "./file_offer.ts";
import { checkAgainstPolicy } from "./file_policy.ts";
import { fail, type FileTransfer, moveTo } from "./file_transfer_state.ts";
import type { UploadServiceStatus } from "./file_transfers_api.ts";
import { sha256Of, toBase64 } from "./transfer/digest.ts";
import type { Uploader } from "./transfer/uploader.ts";
import { slotErrorOf } from "./upload_error.ts";
import { parseUploadSlot, slotRequestStanza } from "./upload_slot.ts";

export interface SendJob {
  /** The transfer as the store added it (phase checking). */
  readonly transfer: FileTransfer;
  readonly data: Blob | Uint8Array<ArrayBuffer>;
  readonly policy: AttachmentPolicy;
  readonly signal: AbortSignal;
}

export interface SendDeps {
  readonly connection: RoutedConnection;
  readonly uploader: Uploader;
  readonly uploadService: UploadServiceStatus;
  /** file_url.ts plainHttpAllowedBeside the chat server. */
  readonly allowHttp: boolean;
  readonly timeoutMs: number;
  /** Changes the transfer in the store (a final phase stays final). */
  readonly change: (step: (transfer: FileTransfer) => FileTransfer) => void;
}

async function requestSlot(
  job: SendJob,
  deps: SendDeps,
  service: string,
): Promise<XmlElement | undefined> {
  const { transfer } = job;
  try {
    return await deps.connection.iq(
      slotRequestStanza({
        service,
        name: transfer.name,
        size: transfer.size ?? 0,
        mediaType: transfer.mediaType,
      }),
      deps.timeoutMs,
    );
  } catch (error) {
    const typed = asXmppError(error);
    deps.change((t) =>
      typed instanceof StanzaError
        ? fail(t, { kind: "slot", ...slotErrorOf(typed) })
        : fail(t, { kind: "xmpp", condition: typed.condition })
    );
    return undefined;
  }
}

export async function uploadAndOffer(
  job: SendJob,
  deps: SendDeps,
): Promise<void> {
  const { transfer, signal } = job;
  const size = transfer.size ?? 0;
  const decision = checkAgainstPolicy(job.policy, {
    name: transfer.name,
    size,
    mediaType: transfer.mediaType,
  });
  if (!decision.ok) {
    return deps.change((t) => fail(t, { kind: "policy", decision }));
  }
  const status = deps.uploadService;
  if (status.state !== "available") {
    return deps.change((t) => fail(t, { kind: "no-upload-service" }));
  }
  // Hashed while the slot is asked for and the bytes go up: Web Crypto
  // digests off the page's thread, and only the offer needs the hash. A
  // failure is held, not left unhandled, and thrown where it is needed.
  const hashing = sha256Of(job.data).then(
    (digest) => ({ sha256: toBase64(digest) }),
    (error: unknown) => ({ error }),
  );
  const result = await requestSlot(job, deps, status.service.jid);
  if (result === undefined || signal.aborted) return;
  const slot = parseUploadSlot(result, deps.allowHttp);
  if (slot instanceof ParseError) {
    return deps.change((t) =>
      fail(t, {
        kind: "slot",
        refusal: { reason: "other", condition: slot.condition },
      })
    );
  }
  deps.change((t) => moveTo(t, "uploading", { bytes: 0 }));
  const put = await deps.uploader.put({
    url: slot.putUrl,
    headers: slot.headers,
    body: job.data,
    size,
    contentType: transfer.mediaType,
    signal,
    onProgress: (sent) =>
      deps.change((t) => moveTo(t, "uploading", { bytes: sent })),
  });
  if (signal.aborted) return;
  if (!put.ok) {
    const { reason } = put.error;
    return deps.change((t) => fail(t, { kind: "transfer", reason }));
  }
  const hashed = await hashing;
  if ("error" in hashed) throw hashed.error;
  if (signal.aborted) return;
  const { sha256 } = hashed;
  // Offered before it leaves: the receiver's answer may come back before
  // send() settles.
  deps.change((t) => moveTo(t, "offered", { bytes: size }));
  try {
    await deps.connection.send(fileOfferStanza({
      to: transfer.peer,
      id: transfer.id,
      url: slot.getUrl,
      name: transfer.name,
      size,
      mediaType: transfer.mediaType,
      sha256,
    }));
  } catch (error) {
    const { condition } = asXmppError(error);
    deps.change((t) =>
      t.phase === "offered" ? fail(t, { kind: "xmpp", condition }) : t
    );
  }
}
