// What the chats store takes and adds to the ChatsModel contract
// (chat_model.ts): the account composes it (session/account.ts).
import type { ReadonlySignal } from "@preact/signals-core";
import type { XmppError } from "../core/errors.ts";
import type { FeatureRegistry } from "../features/feature_registry.ts";
import type { RosterItem } from "../roster/roster_parser.ts";
import type { CarbonsStatus } from "./carbons.ts";
import type { ChatsModel } from "./chat_model.ts";
import type { Timers } from "./chat_typing.ts";
import type { HistoryStorage, PageEvents } from "./history_writer.ts";

export type { CarbonsStatus } from "./carbons.ts";
export type { HistoryStorage, PageEvents } from "./history_writer.ts";

export interface ChatsOptions {
  readonly roster: {
    readonly contacts: ReadonlySignal<ReadonlyMap<string, RosterItem>>;
  };
  /** Where receipts, chat states and carbons are advertised (XEP-0030). */
  readonly features: FeatureRegistry;
  /** Told of chats the agent starts (the seed's Recent Chats). */
  readonly recent?: { note(jid: string): void };
  readonly timers?: Timers;
  readonly now?: () => number;
  /** For the carbons iq; default DEFAULT_IQ_TIMEOUT_MS. */
  readonly timeoutMs?: number;
  /** What went wrong out of sight (a chat state or receipt not sent...). */
  readonly onError?: (error: XmppError) => void;
  /**
   * Where the session's chats are kept across a refresh (sessionStorage;
   * never localStorage); none: kept in memory only.
   */
  readonly history?: HistoryStorage;
  /** Default: globalThis, when it has events (the browser's window). */
  readonly pageEvents?: PageEvents;
}

export interface ChatsStoreModel extends ChatsModel {
  readonly carbons: ReadonlySignal<CarbonsStatus>;
  /**
   * XEP-0280 §4: asks the server to copy the agent's other clients'
   * messages here. Never rejects: without carbons the chat still works.
   */
  enableCarbons(): Promise<void>;
  /** Sign-out: the chats kept for a refresh are wiped. */
  wipeHistory(): void;
}

/** Disposing stops listening and writes what is pending to the history. */
export type ChatsStore = ChatsStoreModel & Disposable;
