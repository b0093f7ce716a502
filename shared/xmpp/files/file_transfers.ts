// The attachments of one account as a model (file_transfers_api.ts):
// upload-service discovery, sending (file_sending.ts), incoming offers and
// the outcomes both sides tell each other (file_outcome.ts). The pure
// steps are in file_transfer_state.ts; this store feeds them, moves the
// bytes through the injected uploader and fetch, and sends what they ask.
import {
  computed,
  createModel,
  effect,
  type ReadonlySignal,
  signal,
} from "@preact/signals-core";
import {
  asXmppError,
  DEFAULT_IQ_TIMEOUT_MS,
  stanzaId,
  type XmlElement,
} from "../core/connection.ts";
import { ParseError, type XmppError } from "../core/errors.ts";
import { parseBareJid, parseJid } from "../core/jid_parse.ts";
import type { RoutedConnection } from "../router/routed_connection.ts";
import type { AttachmentPolicy } from "../../settings/settings_rules.ts";
import { NS_HASHES } from "./file_metadata.ts";
import { type FileOffer, NS_OOB, NS_SFS } from "./file_offer.ts";
import {
  type FileOutcome,
  fileOutcomeStanza,
  NS_FILE_OUTCOME,
} from "./file_outcome.ts";
import { handleFileMessage, isFileMessage } from "./file_incoming.ts";
import { checkAgainstPolicy, type PolicyDecision } from "./file_policy.ts";
import { downloadOffer } from "./file_receiving.ts";
import { uploadAndOffer } from "./file_sending.ts";
import {
  addTransfer,
  fail,
  type FileTransfer,
  type FileTransfers,
  isFinal,
  moveTo,
  NO_TRANSFERS,
  outgoingTransfer,
  outKey,
  updateTransfer,
} from "./file_transfer_state.ts";
import type {
  FilesModel,
  FilesOptions,
  UploadServiceStatus,
} from "./file_transfers_api.ts";
import { plainHttpAllowedBeside } from "./file_url.ts";
import {
  type FileHistoryOptions,
  keepFiles,
  restoreFiles,
} from "./file_history.ts";
import { findUploadService } from "./upload_lookup.ts";

export type * from "./file_transfers_api.ts";

/** XEP-0300 §4: the hash function we understand, advertised by name. */
export const NS_SHA_256_NAME = "urn:xmpp:hash-function-text-names:sha-256";

function logError(error: XmppError): void {
  console.warn("Desktop Chat: files", error);
}

export interface FilesStore extends FilesModel, Disposable {
  /** Sign-out: the transfers kept for a refresh go. */
  wipeHistory(): void;
}

const Files = createModel(
  (
    connection: RoutedConnection,
    options: FilesOptions & FileHistoryOptions,
  ): Omit<FilesStore, symbol> => {
    const now = options.now ?? Date.now;
    const onError = options.onError ?? logError;
    const timeoutMs = options.timeoutMs ?? DEFAULT_IQ_TIMEOUT_MS;
    const { uploader } = options;
    const fetcher = options.fetch ?? ((input, init) => fetch(input, init));
    const policy = signal<AttachmentPolicy>(options.policy);
    const allowHttp = () => plainHttpAllowedBeside(options.chatServer());
    const { history } = options;
    // What the page had before a refresh (file_history.ts).
    const stored = history && restoreFiles(history, connection.bareJid, {
      allowHttp: allowHttp(),
      decide: decisionOn,
    }, onError);
    const state = signal<FileTransfers>(stored?.transfers ?? NO_TRANSFERS);
    const uploadService = signal<UploadServiceStatus>({ state: "unknown" });
    const transfers = computed(() => [...state.value.values()]);
    const controllers = new Map<string, AbortController>();
    /** Incoming offers as parsed: their URL and hash stay in here. */
    const offers = new Map<string, FileOffer>(stored?.offers);
    const views = new Map<string, ReadonlySignal<FileTransfer | undefined>>();

    function change(
      key: string,
      step: (transfer: FileTransfer) => FileTransfer,
    ): void {
      state.value = updateTransfer(state.peek(), key, step);
    }

    function tell(to: string, offerId: string, outcome: FileOutcome): void {
      connection.send(fileOutcomeStanza(to, stanzaId(), offerId, outcome))
        .catch((error: unknown) => onError(asXmppError(error)));
    }

    /** Where the outcomes of a transfer go: the full JID that offered. */
    function peerOf(transfer: FileTransfer): string {
      return transfer.peerFull ?? transfer.peer;
    }

    function decisionOn(offer: FileOffer): PolicyDecision {
      return checkAgainstPolicy(policy.peek(), offer);
    }

    function onMessage(stanza: XmlElement): void {
      const step = handleFileMessage(state.peek(), stanza, {
        ownBareJid: connection.bareJid,
        allowHttp: allowHttp(),
        decide: decisionOn,
        now: now(),
      });
      if (step.offer !== undefined) {
        // What the bound on transfers let go needs no URL kept either.
        for (const key of offers.keys()) {
          if (!step.transfers.has(key)) offers.delete(key);
        }
        offers.set(step.offer.key, step.offer.offer);
      }
      state.value = step.transfers;
      if (step.abort !== undefined) controllers.get(step.abort)?.abort();
    }

    effect(() => connection.router.message({ test: isFileMessage }, onMessage));
    effect(() =>
      options.features.addFeatures(
        NS_SFS,
        NS_OOB,
        NS_FILE_OUTCOME,
        NS_HASHES,
        NS_SHA_256_NAME,
      )
    );
    effect(() => () => {
      for (const controller of controllers.values()) controller.abort();
      controllers.clear();
    });
    const kept = history &&
      keepFiles(state, offers, history, connection.bareJid, {
        ...options,
        onError,
      });
    effect(() => () => kept?.[Symbol.dispose]());

    async function discover(): Promise<void> {
      uploadService.value = { state: "unknown" };
      try {
        // Read inside: without a stream, bareJid throws connection-lost.
        const own = parseJid(connection.bareJid);
        if (own instanceof ParseError) throw own;
        const found = await findUploadService(
          (request) => connection.iq(request, timeoutMs),
          own.domain,
        );
        uploadService.value = found === undefined
          ? { state: "none" }
          : { state: "available", service: found };
      } catch (error) {
        const typed = asXmppError(error);
        uploadService.value = { state: "error", error: typed };
        onError(typed);
      }
    }

    async function accept(key: string): Promise<Blob | undefined> {
      const transfer = state.peek().get(key);
      const offer = offers.get(key);
      if (transfer?.phase !== "offered" || offer === undefined) return;
      // The policy may have changed since the offer came.
      const decision = decisionOn(offer);
      if (!decision.ok) {
        change(key, (t) => ({ ...t, decision }));
        return;
      }
      const abort = new AbortController();
      controllers.set(key, abort);
      try {
        return await downloadOffer({
          offer,
          maxBytes: policy.peek().maxBytes,
          signal: abort.signal,
        }, {
          fetch: fetcher,
          change: (step) => change(key, step),
          tell: (outcome) => tell(peerOf(transfer), transfer.id, outcome),
        });
      } finally {
        controllers.delete(key);
      }
    }

    function decline(key: string): void {
      const transfer = state.peek().get(key);
      if (transfer?.direction !== "in" || transfer.phase !== "offered") return;
      change(key, (t) => moveTo(t, "declined"));
      tell(peerOf(transfer), transfer.id, { kind: "declined" });
    }

    function cancel(key: string): void {
      const transfer = state.peek().get(key);
      if (transfer === undefined || isFinal(transfer.phase)) return;
      if (transfer.direction === "in" && transfer.phase === "offered") {
        return decline(key);
      }
      change(key, (t) => moveTo(t, "cancelled", { cancelledBy: "us" }));
      controllers.get(key)?.abort();
      // Only an offer that went out (or a download begun) has someone to tell.
      if (
        transfer.direction === "in" || transfer.phase !== "checking" &&
          transfer.phase !== "uploading"
      ) {
        tell(peerOf(transfer), transfer.id, { kind: "cancelled" });
      }
    }

    return {
      uploadService,
      transfers,
      policy,
      transfer(key) {
        let view = views.get(key);
        if (view === undefined) {
          view = computed(() => state.value.get(key));
          views.set(key, view);
        }
        return view;
      },
      setPolicy(next) {
        policy.value = next;
        // An offer still waiting for Accept is judged by the policy in force.
        let transfers = state.peek();
        for (const [key, offer] of offers) {
          transfers = updateTransfer(
            transfers,
            key,
            (t) =>
              t.phase === "offered" ? { ...t, decision: decisionOn(offer) } : t,
          );
        }
        state.value = transfers;
      },
      discover,
      send(to, file, sendPolicy = policy.peek()) {
        const peer = parseBareJid(to);
        if (peer instanceof ParseError) throw peer;
        const id = stanzaId();
        const key = outKey(id);
        const transfer = outgoingTransfer(id, peer, file, now());
        state.value = addTransfer(state.peek(), transfer);
        const abort = new AbortController();
        controllers.set(key, abort);
        const done = uploadAndOffer(
          {
            transfer,
            data: file.data,
            policy: sendPolicy,
            signal: abort.signal,
          },
          {
            connection,
            uploader,
            uploadService: uploadService.peek(),
            allowHttp: allowHttp(),
            timeoutMs,
            change: (step) => change(key, step),
          },
        ).catch((error: unknown) => {
          const typed = asXmppError(error);
          onError(typed);
          change(
            key,
            (t) => fail(t, { kind: "xmpp", condition: typed.condition }),
          );
        }).then(() => {
          controllers.delete(key);
          return state.peek().get(key) ?? transfer;
        });
        return { key, done };
      },
      accept,
      decline,
      cancel,
      wipeHistory: () => kept?.wipe(),
    };
  },
);

export function createFiles(
  connection: RoutedConnection,
  options: FilesOptions & FileHistoryOptions,
): FilesStore {
  return new Files(connection, options);
}
