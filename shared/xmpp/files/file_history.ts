// The session's file transfers kept across a refresh of the tab, as the
// chats are (chat/storage_writer.ts: coalesced writes, flushed on pagehide
// and dispose, a character budget, wiped on sign-out only), under a key
// of their own per account. Only the durable facts are written: who, which
// offer, the sanitised name, size, type, phase, why it failed, when, and
// for an incoming offer its URL and SHA-256 (what Accept needs): never the
// bytes, a slot's PUT URL or its headers. Read back as untrusted input
// (another script, an older build): every field is checked, a corrupt
// entry is dropped, and reading never throws.
import type { ReadonlySignal } from "@preact/signals-core";
import { ParseError, type XmppError } from "../core/errors.ts";
import { parseJid } from "../core/jid_parse.ts";
import { isObject } from "../chat/chat_history.ts";
import { isStanzaId } from "../chat/receipt_parser.ts";
import type { Timers } from "../chat/chat_typing.ts";
import {
  createStorageWriter,
  type HistoryStorage,
  type KeepHistoryOptions,
  keepState,
  newestWithin,
  type PageEvents,
  readStored,
  type StorageWriter,
  writeWithin,
} from "../chat/storage_writer.ts";
import type { FileOffer } from "./file_offer.ts";
import type { PolicyDecision } from "./file_policy.ts";
import {
  canonicalSha256,
  DEFAULT_MEDIA_TYPE,
  plainMediaType,
} from "./file_metadata.ts";
import { sanitizeFileName } from "./file_name.ts";
import {
  addTransfer,
  type FileTransfer,
  type FileTransfers,
  incomingTransfer,
  isFinal,
  NO_TRANSFERS,
  outKey,
  TRANSFER_PHASES,
  type TransferPhase,
} from "./file_transfer_state.ts";
import { checkFileUrl } from "./file_url.ts";
import { count, optional, readFailure } from "./stored_failure.ts";

const VERSION = 1;
/** Characters at most: 500 transfers (MAX_TRANSFERS) of a long URL each. */
export const FILES_BUDGET = 300_000;

/**
 * Per account, beside the chats but not under their keys (a chat's key is
 * the chats' key and a JID, and a bare JID may be any word).
 */
export function filesKey(bareJid: string): string {
  return `desktop-chat:files:v${VERSION}:${bareJid}`;
}

/** How the attachments store keeps its transfers (file_transfers.ts). */
export interface FileHistoryOptions {
  /**
   * Where the transfers are kept across a refresh of the tab
   * (sessionStorage, never localStorage); none: in memory only.
   */
  readonly history?: HistoryStorage;
  readonly pageEvents?: PageEvents;
  readonly timers?: Timers;
}

/** What the reader needs of the store: the same checks as a live offer. */
export interface RestoreContext {
  /** file_url.ts plainHttpAllowedBeside the chat server. */
  readonly allowHttp: boolean;
  /** The receiver's policy now (not when the offer came). */
  readonly decide: (offer: FileOffer) => PolicyDecision;
}

export interface RestoredFiles {
  readonly transfers: FileTransfers;
  /** The incoming offers waiting for Accept again, by transfer key. */
  readonly offers: ReadonlyMap<string, FileOffer>;
  readonly problem?: ParseError;
}

/**
 * The transfers as at most `budget` characters, the oldest left out when
 * they do not fit; `offerOf` gives an incoming transfer's URL and hash.
 */
export function writeFiles(
  transfers: FileTransfers,
  offerOf: (key: string) => FileOffer | undefined,
  budget: number,
): string {
  const texts = [...transfers.values()].map((t) => {
    const offer = offerOf(t.key);
    // Undefined fields are left out by JSON.stringify.
    return JSON.stringify({
      d: t.direction,
      p: t.peer,
      i: t.id,
      n: t.name,
      s: t.size,
      m: t.mediaType,
      f: t.phase,
      r: t.failure,
      c: t.cancelledBy,
      t: t.at,
      u: offer?.url,
      h: offer?.sha256,
      k: offer?.kind,
    });
  });
  return `{"v":${VERSION},"f":[${newestWithin(texts, budget - 14)}]}`;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** One stored transfer, restored, with its offer when Accept is open again. */
function readTransfer(
  value: unknown,
  context: RestoreContext,
): { transfer: FileTransfer; offer?: FileOffer } | undefined {
  if (!isObject(value)) return undefined;
  const { d, p, i, n, s, t, u, h, k, f: phase } = value;
  const from = parseJid(p);
  if (from instanceof ParseError || from.bare !== p) return undefined;
  if (!isStanzaId(i) || typeof n !== "string" || !count(t)) return;
  if (
    !(TRANSFER_PHASES as readonly unknown[]).includes(phase) ||
    (s !== undefined && !count(s))
  ) return;
  const final = isFinal(phase as TransferPhase);
  const facts = {
    id: i,
    name: sanitizeFileName(n),
    ...optional("size", s as number, s !== undefined),
    mediaType: plainMediaType(text(value.m)) ?? DEFAULT_MEDIA_TYPE,
  };
  const failure = phase === "failed" ? readFailure(value.r) : undefined;
  const ended = {
    phase: phase as TransferPhase,
    // Only a file we send can have been cut by a reload before it went.
    ...optional(
      "failure",
      failure,
      !!failure && (d === "out" || failure.kind !== "reloaded"),
    ),
    ...optional(
      "cancelledBy",
      value.c as "us" | "peer",
      phase === "cancelled" && (value.c === "us" || value.c === "peer"),
    ),
  };
  if (d === "out") {
    if (s === undefined) return undefined;
    // The offer went out (offered, or accepted): offered, since the peer's
    // answer is matched by bare JID and offer id (file_transfer_state.ts
    // applyOutcome), so a later accept, download or decline still moves it
    // on, even from a peer whose own page was reloaded meanwhile. Still in
    // slot or upload: the picked File went with the page and no offer
    // left, so it failed, and the agent can pick the file again.
    const restored = final
      ? ended
      : phase === "checking" || phase === "uploading"
      ? { phase: "failed" as const, failure: { kind: "reloaded" as const } }
      : { phase: "offered" as const };
    return {
      transfer: {
        ...facts,
        key: outKey(i),
        direction: "out",
        peer: from.bare,
        bytes: 0,
        at: t,
        ...restored,
      },
    };
  }
  // parseFileOffer takes offers from users only.
  if (d !== "in" || from.local === undefined) return undefined;
  const sha256 = canonicalSha256(text(h) ?? "");
  const kind = k === "oob" ? k : "sfs";
  // The same URL rule as parseFileOffer: plain http only beside a plain or
  // loopback chat server, and for an XEP-0447 offer only with a SHA-256.
  const url = checkFileUrl(
    text(u),
    context.allowHttp && (kind === "oob" || sha256 !== undefined),
  );
  if (!url.ok) return undefined;
  const offer: FileOffer = {
    ...facts,
    from,
    url: url.href,
    kind,
    ...optional("sha256", sha256, sha256 !== undefined),
  };
  // Offered, or downloading when the page went (its bytes were only in
  // memory): offered again, Accept judged by the policy in force now, as
  // setPolicy judges a waiting offer. Its outcomes go to the bare JID (no
  // peerFull kept): the resource that offered may have gone with its own
  // page, and RFC 6121 §8.5.2.1.1 delivers a chat message to the bare JID
  // to the user's available resources. Ended: shown as it ended.
  const transfer = incomingTransfer(offer, context.decide(offer), t);
  return final ? { transfer: { ...transfer, ...ended } } : { transfer, offer };
}

/**
 * The transfers stored as `text` (null: none), restored (readTransfer).
 * Unreadable text gives none and a ParseError to log; a corrupt entry is
 * left out and the rest kept.
 */
export function readFiles(
  text: string | null,
  context: RestoreContext,
): RestoredFiles {
  const offers = new Map<string, FileOffer>();
  let transfers = NO_TRANSFERS;
  let value: unknown;
  try {
    value = text === null ? { v: VERSION, f: [] } : JSON.parse(text);
  } catch {
    // Its own message names only a position in text nobody shows.
  }
  if (!isObject(value) || value.v !== VERSION || !Array.isArray(value.f)) {
    return {
      transfers,
      offers,
      problem: new ParseError(
        "bad-history",
        "The stored files are unreadable.",
      ),
    };
  }
  for (const entry of value.f) {
    const read = readTransfer(entry, context);
    if (read === undefined) continue;
    // A duplicate or one past MAX_TRANSFERS is refused (the same map); to
    // make room only an ended one goes, which has no offer kept.
    const next = addTransfer(transfers, read.transfer);
    if (next !== transfers && read.offer) {
      offers.set(read.transfer.key, read.offer);
    }
    transfers = next;
  }
  return { transfers, offers };
}

/** The transfers stored for `bareJid` (none when unreadable: reported). */
export function restoreFiles(
  storage: HistoryStorage,
  bareJid: string,
  context: RestoreContext,
  onError: (error: XmppError) => void,
): RestoredFiles {
  const restored = readFiles(
    readStored(storage, filesKey(bareJid), onError),
    context,
  );
  if (restored.problem) onError(restored.problem);
  return restored;
}

/**
 * Writes `state` (of account `bareJid`) to `storage` as it changes, until
 * disposed (a last flush); the URL and hash of an incoming transfer come
 * from `offers` as it is then.
 */
export function keepFiles(
  state: ReadonlySignal<FileTransfers>,
  offers: ReadonlyMap<string, FileOffer>,
  storage: HistoryStorage,
  bareJid: string,
  options: KeepHistoryOptions,
): Pick<StorageWriter<FileTransfers>, "wipe"> & Disposable {
  const key = filesKey(bareJid);
  // What the key holds: progress moves no stored fact, so most changes
  // during a transfer write nothing.
  let last: string | undefined;
  const writer = createStorageWriter<FileTransfers>({
    write(transfers) {
      if (transfers.size === 0) {
        storage.removeItem(key);
        last = undefined;
        return;
      }
      const budget = options.budget ?? FILES_BUDGET;
      const textOf = (limit: number) =>
        writeFiles(transfers, (key) => offers.get(key), limit);
      const text = textOf(budget);
      if (text === last) return;
      last = text;
      writeWithin(
        storage,
        key,
        (limit) => limit === budget ? text : textOf(limit),
        budget,
        options.onError,
      );
    },
    stored() {},
    remove: () => storage.removeItem(key),
  }, options);
  return keepState(state, writer, options.pageEvents);
}
