// The contact list as a model: read-only signals out, the seed's contact and
// group actions in. Every action is a roster set to the server; the state
// changes only when the server's push comes back (RFC 6121 §2.1.6), so a
// change made by the agent's other client (Jabber) shows up the same way.
import {
  computed,
  createModel,
  effect,
  type ReadonlySignal,
  signal,
} from "@preact/signals-core";
import { xml } from "@xmpp/xml";
import {
  asXmppError,
  DEFAULT_IQ_TIMEOUT_MS,
  type XmlElement,
} from "../core/connection.ts";
import { ParseError, type XmppError } from "../core/errors.ts";
import { parseBareJid } from "../core/jid_parse.ts";
import {
  type ContactEdit,
  planAdd,
  planDeleteGroup,
  planEdit,
  planMove,
  planRemoveFromGroup,
  planRenameGroup,
  type RosterChange,
  rosterSetStanza,
} from "./roster_changes.ts";
import {
  NS_ROSTER,
  parseRosterResult,
  type RosterItem,
} from "./roster_parser.ts";
import {
  applyRosterResult,
  EMPTY_ROSTER,
  groupRoster,
  handleRosterPush,
  type RosterGroup,
  type RosterState,
} from "./roster_state.ts";
import { subscriptionStanza } from "./subscription.ts";
import { answerFromReply } from "../router/iq_reply.ts";
import type { RoutedConnection } from "../router/routed_connection.ts";
import type { IqAnswer } from "../router/stanza_router.ts";

/** idle: not asked yet; loading: roster get in flight; failed: see `error`. */
export type RosterStatus = "idle" | "loading" | "ready" | "failed";

export interface RosterStoreOptions {
  /** Per roster get/set; a missing reply becomes a TimeoutError. */
  readonly timeoutMs?: number;
}

export interface RosterModel {
  readonly status: ReadonlySignal<RosterStatus>;
  /** Why loading failed, or why the last push could not be answered. */
  readonly error: ReadonlySignal<XmppError | undefined>;
  /** Keyed by bare JID. */
  readonly contacts: ReadonlySignal<ReadonlyMap<string, RosterItem>>;
  /** Sorted by name, NO_GROUP ("") last; a contact appears in each of its groups. */
  readonly groups: ReadonlySignal<readonly RosterGroup[]>;
  /** The last push refused as forged or malformed (roadmap item 5). */
  readonly lastRejectedPush: ReadonlySignal<ParseError | undefined>;
  /** Fetches the roster (RFC 6121 §2.2); outcome on `status` and `error`. */
  load(): Promise<void>;
  addContact(
    jid: string,
    name?: string,
    groups?: readonly string[],
  ): Promise<void>;
  editContact(jid: string, edit: ContactEdit): Promise<void>;
  moveContacts(
    jids: readonly string[],
    fromGroup: string,
    toGroup: string,
  ): Promise<void>;
  removeFromGroup(jids: readonly string[], group: string): Promise<void>;
  /** Out of the roster whatever its groups (RFC 6121 §2.5). */
  removeContact(jid: string): Promise<void>;
  renameGroup(from: string, to: string): Promise<void>;
  deleteGroup(group: string): Promise<void>;
  /** RFC 6121 §3.1.1: ask to see the contact's presence. */
  subscribe(jid: string): Promise<void>;
  /** RFC 6121 §3.1.4 / §3.4: let the contact see ours (or pre-approve). */
  approve(jid: string): Promise<void>;
  /** RFC 6121 §3.2: refuse or revoke the contact's subscription. */
  deny(jid: string): Promise<void>;
}

export type RosterStore = RosterModel & Disposable;

const Roster = createModel(
  (connection: RoutedConnection, options: RosterStoreOptions): RosterModel => {
    const timeoutMs = options.timeoutMs ?? DEFAULT_IQ_TIMEOUT_MS;
    const state = signal<RosterState>(EMPTY_ROSTER);
    const status = signal<RosterStatus>("idle");
    const error = signal<XmppError | undefined>(undefined);
    const lastRejectedPush = signal<ParseError | undefined>(undefined);
    const contacts = computed(() => state.value.items);
    const groups = computed(() => groupRoster(state.value.items.values()));

    function onPush(stanza: XmlElement): IqAnswer {
      const outcome = handleRosterPush(
        state.peek(),
        stanza,
        connection.bareJid,
      );
      state.value = outcome.state;
      if (outcome.rejected) lastRejectedPush.value = outcome.rejected;
      // The push's one reply (RFC 6120 §8.2.3), which the router sends.
      const [reply] = outcome.effects;
      return reply === undefined ? undefined : answerFromReply(reply.stanza);
    }
    // RFC 6121 §2.1.6; unregistered when the model is disposed.
    effect(() => connection.router.iq("set", NS_ROSTER, "query", onPush));

    async function apply(
      planned: RosterChange | readonly RosterChange[] | ParseError,
    ): Promise<void> {
      if (planned instanceof ParseError) throw planned;
      const changes = "kind" in planned ? [planned] : planned;
      const results = await Promise.allSettled(
        changes.map((change) =>
          connection.iq(rosterSetStanza(change), timeoutMs)
        ),
      );
      const failed = results.find((result) => result.status === "rejected");
      if (failed) throw asXmppError(failed.reason);
    }

    async function sendSubscription(
      type: "subscribe" | "subscribed" | "unsubscribed",
      jid: string,
    ): Promise<void> {
      const stanza = subscriptionStanza(type, jid);
      if (stanza instanceof ParseError) throw stanza;
      await connection.send(stanza);
    }

    return {
      status,
      error,
      contacts,
      groups,
      lastRejectedPush,
      async load() {
        status.value = "loading";
        try {
          const answer = await connection.iq(
            xml("iq", { type: "get" }, xml("query", { xmlns: NS_ROSTER })),
            timeoutMs,
          );
          const result = parseRosterResult(answer);
          if (result instanceof ParseError) throw result;
          state.value = applyRosterResult(state.peek(), result);
          error.value = undefined;
          status.value = "ready";
        } catch (err) {
          error.value = asXmppError(err);
          status.value = "failed";
        }
      },
      addContact(jid, name, groupNames = []) {
        return apply(planAdd(jid, name, groupNames));
      },
      editContact(jid, edit) {
        return apply(planEdit(state.peek(), jid, edit));
      },
      moveContacts(jids, fromGroup, toGroup) {
        return apply(planMove(state.peek(), jids, fromGroup, toGroup));
      },
      removeFromGroup(jids, group) {
        return apply(planRemoveFromGroup(state.peek(), jids, group));
      },
      removeContact(jid) {
        const bare = parseBareJid(jid.trim());
        return apply(
          bare instanceof ParseError ? bare : { kind: "remove", jid: bare },
        );
      },
      renameGroup(from, to) {
        return apply(planRenameGroup(state.peek(), from, to));
      },
      deleteGroup(group) {
        return apply(planDeleteGroup(state.peek(), group));
      },
      subscribe: (jid) => sendSubscription("subscribe", jid),
      approve: (jid) => sendSubscription("subscribed", jid),
      deny: (jid) => sendSubscription("unsubscribed", jid),
    };
  },
);

export function createRosterStore(
  connection: RoutedConnection,
  options: RosterStoreOptions = {},
): RosterStore {
  return new Roster(connection, options);
}
