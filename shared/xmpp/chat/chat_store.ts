// The agent's conversations as a model (chat_model.ts): read-only signals
// out, the chat window's verbs in. Incoming messages go through the pure
// handler (chat_incoming.ts); this store only feeds it, sends what it asks
// for and keeps the state (and, when given a storage, the session's
// history, chat_history.ts).
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
import { parseBareJid } from "../core/jid_parse.ts";
import type { RosterItem } from "../roster/roster_parser.ts";
import type { RoutedConnection } from "../router/routed_connection.ts";
import { NS_CARBONS } from "./carbon_parser.ts";
import { handleMessage } from "./chat_incoming.ts";
import type {
  ChatMessageError,
  ChatState,
  Conversation,
  IncomingMessage,
  MessageState,
} from "./chat_model.ts";
import { chatMessageStanza, chatStateStanza } from "./chat_stanzas.ts";
import { type CarbonsStatus, enableCarbons } from "./carbons.ts";
import type {
  ChatsOptions,
  ChatsStore,
  ChatsStoreModel,
} from "./chat_store_api.ts";
import { keepHistory, restoreHistory } from "./history_writer.ts";
import {
  addMessage,
  type ChatsState,
  closeChat,
  EMPTY_CHATS,
  emptyConversation,
  failUnsent,
  openChat,
  retryMessage,
  setMessageState,
  viewChat,
} from "./chat_state.ts";
import { NS_CHATSTATES } from "./chat_state_parser.ts";
import { createTyping } from "./chat_typing.ts";
import { MESSAGE_LIMITS } from "./message_parser.ts";
import { cleanBody } from "./message_text.ts";
import { NS_RECEIPTS } from "./receipt_parser.ts";

export type {
  CarbonsStatus,
  ChatsOptions,
  ChatsStore,
  HistoryStorage,
  PageEvents,
} from "./chat_store_api.ts";

function logError(error: XmppError): void {
  console.warn("Desktop Chat: chat", error);
}

/** XEP-0184 §8: whoever may see our presence (RFC 6121 §3) may get receipts. */
function seesOurPresence(item: RosterItem | undefined): boolean {
  return item?.subscription === "from" || item?.subscription === "both";
}

/** What a failed send looks like on the message. */
function failure(error: XmppError): ChatMessageError {
  // The contract's one word for "never reached the server".
  if (error.kind === "transport") return { condition: "connection-lost" };
  return error.text === undefined
    ? { condition: error.condition }
    : { condition: error.condition, text: error.text };
}

const Chats = createModel(
  (connection: RoutedConnection, options: ChatsOptions): ChatsStoreModel => {
    const now = options.now ?? Date.now;
    const onError = options.onError ?? logError;
    const timeoutMs = options.timeoutMs ?? DEFAULT_IQ_TIMEOUT_MS;
    const account = connection.bareJid;
    const stored = options.history === undefined
      ? EMPTY_CHATS
      : restoreHistory(options.history, account, onError);
    const state = signal<ChatsState>(stored);
    const carbons = signal<CarbonsStatus>("off");
    const listeners = new Set<(incoming: IncomingMessage) => void>();
    const open = computed(() => state.value.open);
    const active = computed(() => state.value.active);
    const unreadChats = computed(() => {
      let count = 0;
      for (const conversation of state.value.conversations.values()) {
        if (conversation.unread > 0) count++;
      }
      return count;
    });
    const views = new Map<string, ReadonlySignal<Conversation>>();

    function quietly(sending: Promise<void>): void {
      sending.catch((error: unknown) => onError(asXmppError(error)));
    }

    /** XEP-0085 §5.1: no more notifications to who showed it ignores them. */
    function mayNotify(jid: string): boolean {
      return state.peek().chatStates.get(jid) !== false;
    }

    function notify(jid: string, chatState: ChatState): void {
      if (mayNotify(jid)) {
        quietly(connection.send(chatStateStanza(jid, chatState)));
      }
    }
    const typing = createTyping(notify, options.timers);

    function deliverIncoming(incoming: IncomingMessage): void {
      for (const listener of [...listeners]) {
        // One failing view must not keep the message from the others.
        try {
          listener(incoming);
        } catch (error) {
          onError(asXmppError(error));
        }
      }
    }

    function onMessage(stanza: XmlElement): void {
      const outcome = handleMessage(state.peek(), stanza, {
        ownBareJid: connection.bareJid,
        now: now(),
        mayAnswerReceipt: (jid) =>
          seesOurPresence(options.roster.contacts.peek().get(jid)),
        newId: stanzaId,
      });
      // Receipts (XEP-0184 §5) go to the transport before the state
      // changes: a render the change schedules must not run before the
      // transport's flush.
      for (const effect of outcome.effects) {
        if (effect.type === "send") quietly(connection.send(effect.stanza));
      }
      state.value = outcome.state;
      // Worth a line: someone tried to pass as the agent's own account.
      if (outcome.rejected?.condition === "forged-carbon") {
        onError(outcome.rejected);
      }
      for (const effect of outcome.effects) {
        if (effect.type === "incoming") deliverIncoming(effect.incoming);
      }
    }
    // Every message: the handler sorts them (an empty match hears all).
    effect(() => connection.router.message({}, onMessage));
    // The transport's list of what never left: those messages failed.
    effect(() =>
      connection.on("unsent", (ids) => {
        state.value = failUnsent(state.peek(), new Set(ids), {
          condition: "connection-lost",
        });
      })
    );
    effect(() =>
      options.features.addFeatures(NS_RECEIPTS, NS_CHATSTATES, NS_CARBONS)
    );
    const history = options.history === undefined
      ? undefined
      : keepHistory(state, options.history, account, {
        timers: options.timers,
        pageEvents: options.pageEvents,
        onError,
      });

    function move(
      jid: string,
      id: string,
      next: MessageState,
      error?: ChatMessageError,
    ): void {
      state.value = setMessageState(state.peek(), jid, id, next, error);
    }

    /**
     * Hands the message to the transport now; the promise settles its
     * state. The caller shows it pending in between: pending → sent stays
     * in order even when the send settles at once.
     */
    function transmit(jid: string, id: string, body: string): Promise<void> {
      const stanza = chatMessageStanza({
        to: jid,
        id,
        body,
        withChatState: mayNotify(jid),
      });
      // Handled at once: no unhandled rejection while the state updates.
      return connection.send(stanza).then(
        () => undefined,
        (error: unknown) => failure(asXmppError(error)),
      ).then((error) => {
        if (error === undefined) move(jid, id, "sent");
        else move(jid, id, "failed", error);
      });
    }

    function bareOf(jid: string): string | undefined {
      const bare = parseBareJid(jid);
      return bare instanceof ParseError ? undefined : bare;
    }

    function close(jid: string): void {
      if (!state.peek().open.includes(jid)) return;
      typing.closed(jid);
      // XEP-0085 §2.1: `gone` ends our part in the conversation.
      notify(jid, "gone");
      state.value = closeChat(state.peek(), jid);
    }

    // createModel's dispose runs the effects' cleanups (and nothing else):
    // timers stop, and what is pending goes to the history.
    effect(() => () => {
      typing[Symbol.dispose]();
      listeners.clear();
      history?.[Symbol.dispose]();
    });

    return {
      open,
      active,
      unreadChats,
      carbons,
      conversation(jid) {
        const key = bareOf(jid) ?? jid;
        let view = views.get(key);
        if (view === undefined) {
          // One empty value per JID, so an unopened chat never notifies.
          const empty = emptyConversation(key);
          view = computed(() => state.value.conversations.get(key) ?? empty);
          views.set(key, view);
        }
        return view;
      },
      openChat(jid) {
        const bare = bareOf(jid);
        if (bare === undefined) return;
        // Recent Chats lists people the agent chatted with: a message
        // sent or received, not a chat merely opened (seed, "Add Contact").
        state.value = openChat(state.peek(), bare, true);
      },
      view(jid) {
        const bare = jid === undefined ? undefined : bareOf(jid);
        if (jid !== undefined && bare === undefined) return;
        state.value = viewChat(state.peek(), bare);
      },
      closeChat(jid) {
        const bare = bareOf(jid);
        if (bare !== undefined) close(bare);
      },
      closeAll() {
        for (const jid of state.peek().open) close(jid);
      },
      async send(jid, body) {
        const bare = parseBareJid(jid);
        if (bare instanceof ParseError) throw bare;
        const text = cleanBody(body, MESSAGE_LIMITS.bodyLength);
        if (text === "") return;
        const id = stanzaId();
        const sent = transmit(bare, id, text);
        const opened = openChat(state.peek(), bare, true);
        state.value = addMessage(opened, bare, {
          id,
          direction: "out",
          body: text,
          at: now(),
          state: "pending",
        });
        options.recent?.note(bare);
        typing.sent(bare);
        await sent;
      },
      async retry(jid, id) {
        const bare = bareOf(jid);
        if (bare === undefined) return;
        const next = retryMessage(state.peek(), bare, id);
        if (next === state.peek()) return;
        const message = next.conversations.get(bare)?.messages.find((one) =>
          one.id === id
        );
        const sent = message === undefined
          ? undefined
          : transmit(bare, id, message.body);
        state.value = next;
        await sent;
      },
      typing(jid, draft) {
        const bare = bareOf(jid);
        if (bare !== undefined && state.peek().open.includes(bare)) {
          typing.changed(bare, draft);
        }
      },
      onIncoming(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      enableCarbons: () =>
        enableCarbons(connection, timeoutMs, carbons, onError),
      wipeHistory() {
        history?.wipe();
      },
    };
  },
);

export function createChats(
  connection: RoutedConnection,
  options: ChatsOptions,
): ChatsStore {
  return new Chats(connection, options);
}
