// The seed's "Recent Chats" group: people who chatted with the agent in this
// session and are not in the contact list, so the agent can add them from
// there (seed, "Add Contact"). Kept in memory only; it goes with sign-out.
import {
  computed,
  createModel,
  effect,
  type ReadonlySignal,
  signal,
} from "@preact/signals-core";
import type { XmlElement } from "../core/connection.ts";
import { cleanText } from "../core/display_text.ts";
import { ParseError } from "../core/errors.ts";
import { parseJid } from "../core/jid_parse.ts";
import type { RosterItem } from "../roster/roster_parser.ts";
import type { RoutedConnection } from "../router/routed_connection.ts";

export interface RecentChat {
  /** Bare JID, lower-case. */
  readonly jid: string;
  /** XEP-0172 nickname the sender offered, if any. */
  readonly nick?: string;
  /**
   * Milliseconds since the epoch of the message that last moved this chat
   * to the top. Nothing displays it: more messages from whoever is already
   * first leave the list as it is (a burst of 500 is not 500 new lists).
   */
  readonly at: number;
}

export interface RecentChatsOptions {
  readonly roster: {
    readonly contacts: ReadonlySignal<ReadonlyMap<string, RosterItem>>;
  };
  readonly now?: () => number;
}

export interface RecentChatsModel {
  /** Newest first, contacts already in the roster left out. */
  readonly chats: ReadonlySignal<readonly RecentChat[]>;
  /** Records a chat the agent started (the chat window, roadmap item 1). */
  note(jid: string): void;
  forget(jid: string): void;
}

export type RecentChatsStore = RecentChatsModel & Disposable;

export const RECENT_CHATS_LIMIT = 50;
const NS_NICK = "http://jabber.org/protocol/nick";

/**
 * The sender of a one-to-one message with a body (RFC 6121 §5.2.2), or
 * undefined for anything else: groupchat, errors, bodiless chat states,
 * messages from the agent's own account (carbons, XEP-0280), bad JIDs.
 */
export function recentChatOf(
  stanza: XmlElement,
  ownBareJid: string,
  at: number,
): RecentChat | undefined {
  if (!stanza.is("message")) return undefined;
  const type = stanza.attrs.type ?? "normal";
  if (type !== "chat" && type !== "normal") return undefined;
  if (!stanza.getChildText("body")) return undefined;
  const from = parseJid(stanza.attrs.from);
  if (from instanceof ParseError || from.local === undefined) return undefined;
  if (from.bare === ownBareJid) return undefined;
  const nick = cleanText(stanza.getChildText("nick", NS_NICK) ?? "", 128);
  return nick === "" ? { jid: from.bare, at } : { jid: from.bare, nick, at };
}

const RecentChats = createModel(
  (
    connection: RoutedConnection,
    options: RecentChatsOptions,
  ): RecentChatsModel => {
    const now = options.now ?? Date.now;
    const all = signal<readonly RecentChat[]>([]);
    const chats = computed(() => {
      const contacts = options.roster.contacts.value;
      return all.value.filter((chat) => !contacts.has(chat.jid));
    });

    function record(chat: RecentChat): void {
      const first = all.peek()[0];
      // Already first with the same nickname: nothing shown would change,
      // and every write re-runs whatever reads the list (the search).
      if (first?.jid === chat.jid && first.nick === chat.nick) return;
      const rest = all.peek().filter((other) => other.jid !== chat.jid);
      all.value = [chat, ...rest].slice(0, RECENT_CHATS_LIMIT);
    }

    // Only messages with a body can start a chat (recentChatOf).
    effect(() =>
      connection.router.message({ name: "body" }, (stanza) => {
        const chat = recentChatOf(stanza, connection.bareJid, now());
        if (chat) record(chat);
      })
    );

    return {
      chats,
      note(jid) {
        const parsed = parseJid(jid);
        if (parsed instanceof ParseError || parsed.local === undefined) return;
        const previous = all.peek().find((chat) => chat.jid === parsed.bare);
        record({ ...previous, jid: parsed.bare, at: now() });
      },
      forget(jid) {
        all.value = all.peek().filter((chat) => chat.jid !== jid);
      },
    };
  },
);

export function createRecentChats(
  connection: RoutedConnection,
  options: RecentChatsOptions,
): RecentChatsStore {
  return new RecentChats(connection, options);
}
