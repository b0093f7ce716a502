// One signed-in agent, composed: the router every incoming stanza goes
// through, the features the agent's client advertises (disco#info, caps,
// ping), and the stores the views read. The stores are built once and
// outlive any one connection: a new stream (after a lost one, roadmap
// "failover") is attached and re-synced, and the views keep their signals.
import {
  createDirectorySearch,
  type DirectorySearch,
} from "../directory/directory_search.ts";
import type { XmppConnection } from "../core/connection.ts";
import {
  type Caps,
  createCaps,
  DESKTOP_CHAT_CAPS_NODE,
} from "../features/caps.ts";
import { serveDiscoInfo } from "../features/disco_info.ts";
import {
  createFeatureRegistry,
  type FeatureRegistry,
} from "../features/feature_registry.ts";
import { servePing } from "../features/ping.ts";
import {
  createPresenceStore,
  type PresenceModel,
} from "../presence/presence_store.ts";
import {
  createRecentChats,
  type RecentChatsModel,
} from "../chat/recent_chats.ts";
import type { ChatsModel } from "../chat/chat_model.ts";
import { createChats, type HistoryStorage } from "../chat/chat_store.ts";
import { createRosterStore, type RosterModel } from "../roster/roster_store.ts";
import { createVcardStore, type VcardModel } from "../vcard/vcard_store.ts";
import { createFiles, type FilesModel } from "../files/file_transfers.ts";
import type { Uploader } from "../files/transfer/uploader.ts";
import type { AttachmentPolicy } from "../../settings/settings_rules.ts";
import {
  routeConnection,
  type RoutedConnection,
} from "../router/routed_connection.ts";

export interface Account {
  /** The agent's bare JID, lower-case. */
  readonly jid: string;
  /** The node signed in on (seed: IM&P node discovery); changes on attach. */
  readonly service: string;
  readonly roster: RosterModel;
  readonly presence: PresenceModel;
  readonly directory: DirectorySearch;
  readonly recent: RecentChatsModel;
  /** The agent's one-to-one conversations (the chat window). */
  readonly chats: ChatsModel;
  /** XEP-0054 names, asked per bare JID on first use (the header asks our own). */
  readonly vcards: VcardModel;
  /** Attachments: upload service, sent files, offers received (issue 15). */
  readonly files: FilesModel;
  /** Sends on the attached stream; `router` is where features register. */
  readonly connection: RoutedConnection;
  readonly features: FeatureRegistry;
  readonly caps: Caps;
}

export interface AccountOptions {
  readonly service: string;
  /** Per roster and directory iq; default DEFAULT_IQ_TIMEOUT_MS. */
  readonly timeoutMs?: number;
  /**
   * Where the chats and file transfers are kept across a refresh of the
   * tab (sessionStorage, never localStorage); none: in memory only.
   */
  readonly history?: HistoryStorage;
  /** The administrator's attachments policy, as read for this sign-in. */
  readonly attachments: AttachmentPolicy;
  /**
   * XEP-0363 PUT: the browser passes xhrUploader() (upload progress),
   * headless clients fetchUploader().
   */
  readonly uploader: Uploader;
  /** For downloading offered files; default globalThis.fetch. */
  readonly fetch?: typeof fetch;
}

export interface AccountStore extends Account, Disposable {
  /**
   * Brings the server up to date with the account: the roster fetched,
   * then our presence sent (RFC 6121 §2.2: roster first, so that the
   * presence our contacts send back finds them in it). A failed roster load
   * is shown by the list (with Retry); a failed presence rejects.
   */
  sync(): Promise<void>;
  /**
   * Moves the account onto a new stream of the same user (the old one is
   * gone) and syncs again; the stores and their signals stay the same.
   */
  attach(connection: XmppConnection, service: string): Promise<void>;
  /** Sign-out: the chats and transfers kept for a refresh go (before disposing). */
  wipeHistory(): void;
}

export function createAccount(
  connection: XmppConnection,
  options: AccountOptions,
): AccountStore {
  const routed = routeConnection(connection);
  const features = createFeatureRegistry();
  const caps = createCaps(features, DESKTOP_CHAT_CAPS_NODE);
  const served = [
    serveDiscoInfo(routed.router, features, caps),
    servePing(routed.router, features),
  ];
  const { timeoutMs } = options;
  const roster = createRosterStore(routed, { timeoutMs });
  const presence = createPresenceStore(routed, {
    roster,
    caps: () => caps.element(),
  });
  const recent = createRecentChats(routed, { roster });
  const chats = createChats(routed, {
    roster,
    features,
    recent,
    timeoutMs,
    history: options.history,
  });
  const vcards = createVcardStore(routed, { timeoutMs });
  const directory = createDirectorySearch(routed, { timeoutMs });
  let service = options.service;
  const files = createFiles(routed, {
    features,
    chatServer: () => service,
    policy: options.attachments,
    timeoutMs,
    history: options.history,
    uploader: options.uploader,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  let announced = false;

  function announce(): Promise<void> {
    const own = presence.own.peek();
    return presence.setPresence(own.show, own.status);
  }

  // XEP-0115 §4: a change of features is announced with a new presence.
  const stopWatching = features.info.subscribe(() => {
    if (!announced) return;
    // A failure is on presence.error, where the state menu shows it.
    announce().catch(() => undefined);
  });

  async function sync(): Promise<void> {
    const loading = roster.load();
    // XEP-0280 §4: asked alongside the roster and before our presence, so
    // no copy is missed once contacts see us; a refusal only logs (the
    // store's carbons signal says "unavailable").
    void chats.enableCarbons();
    // XEP-0363 §3: Send a file waits on it; a failure is on uploadService.
    void files.discover();
    await loading;
    await announce();
    announced = true;
  }

  return {
    get jid() {
      return routed.bareJid;
    },
    get service() {
      return service;
    },
    roster,
    presence,
    directory,
    recent,
    chats,
    vcards,
    files,
    connection: routed,
    features,
    caps,
    sync,
    attach(next, nextService) {
      presence.forgetContacts();
      routed.attach(next);
      service = nextService;
      return sync();
    },
    wipeHistory() {
      chats.wipeHistory();
      files.wipeHistory();
    },
    [Symbol.dispose]() {
      stopWatching();
      chats[Symbol.dispose]();
      files[Symbol.dispose]();
      recent[Symbol.dispose]();
      vcards[Symbol.dispose]();
      presence[Symbol.dispose]();
      roster[Symbol.dispose]();
      for (const stop of served) stop();
      routed[Symbol.dispose]();
    },
  };
}
