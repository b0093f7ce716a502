// Presence as a model: the agent's own state (seed: Change Your Desktop Chat
// State), every contact's composed presence across resources, and the
// subscription requests waiting for an answer (RFC 6121 §3, §4).
import {
  batch,
  computed,
  createModel,
  effect,
  type ReadonlySignal,
  type Signal,
  signal,
} from "@preact/signals-core";
import { xml } from "@xmpp/xml";
import { asXmppError, type XmlElement } from "../core/connection.ts";
import { cleanText } from "../core/display_text.ts";
import { ParseError, type XmppError } from "../core/errors.ts";
import { parseBareJid } from "../core/jid_parse.ts";
import {
  type ContactPresence,
  PRESENCE_LIMITS,
  presenceChange,
  type PresenceState,
  removeRequest,
  type SubscriptionRequest,
} from "./presence_state.ts";
import { type ComposedPresence, composePresence } from "./presence_compose.ts";
import type { RosterItem } from "../roster/roster_parser.ts";
import { subscriptionStanza } from "../roster/subscription.ts";
import type { RoutedConnection } from "../router/routed_connection.ts";

/** The states the agent can pick (seed: available, away, do not disturb). */
export type OwnShow = "available" | "away" | "dnd";

export interface OwnPresence {
  readonly show: OwnShow;
  readonly status: string;
}

export interface PresenceStoreOptions {
  /**
   * The roster, so that presence from strangers is ignored and requests
   * answered by another client disappear. Load it before sending initial
   * presence (RFC 6121 §2.2), or early presence is dropped.
   */
  readonly roster?: {
    readonly contacts: ReadonlySignal<ReadonlyMap<string, RosterItem>>;
  };
  /** RFC 6121 §4.7.2.3; omitted means 0. */
  readonly priority?: number;
  /** XEP-0115 §4: the <c/> every available presence of ours carries. */
  readonly caps?: () => Promise<XmlElement>;
}

export interface AcceptOptions {
  /** Also ask for the contact's presence when we lack it (default true). */
  readonly subscribeBack?: boolean;
}

export interface PresenceModel {
  /** Available until the agent picks another state (seed: Sign In). */
  readonly own: ReadonlySignal<OwnPresence>;
  readonly requests: ReadonlySignal<readonly SubscriptionRequest[]>;
  /** The last error sending presence. */
  readonly error: ReadonlySignal<XmppError | undefined>;
  /** Live composed presence; the same signal for the same bare JID. */
  presenceOf(jid: string): ReadonlySignal<ComposedPresence>;
  /** Broadcasts presence (RFC 6121 §4.2, §4.4); the first call is initial presence. */
  setPresence(show: OwnShow, status?: string): Promise<void>;
  /** RFC 6121 §3.1.4: approve, and subscribe back unless told not to. */
  accept(jid: string, options?: AcceptOptions): Promise<void>;
  /** RFC 6121 §3.1.4: refuse with unsubscribed. */
  decline(jid: string): Promise<void>;
  /**
   * Forgets every contact's presence: it belonged to a stream that is gone
   * (RFC 6121 §4.4), and the server of the next one sends what is true now
   * after our initial presence (§4.2.2). The signals stay the same.
   */
  forgetContacts(): void;
}

export type PresenceStore = PresenceModel & Disposable;

function ownPresenceStanza(
  show: OwnShow,
  status: string,
  priority: number | undefined,
  caps: XmlElement | undefined,
): XmlElement {
  return xml(
    "presence",
    {},
    show === "available" ? undefined : xml("show", {}, show),
    status === "" ? undefined : xml("status", {}, status),
    priority === undefined ? undefined : xml("priority", {}, String(priority)),
    caps,
  );
}

const Presence = createModel(
  (
    connection: RoutedConnection,
    options: PresenceStoreOptions,
  ): PresenceModel => {
    // Owned by this store alone and changed in place, one contact per
    // stanza (see PresenceChange); the views read it through `slots`.
    const contacts = new Map<string, ContactPresence>();
    let seq = 0;
    const pending = signal<PresenceState["requests"]>(new Map());
    const own = signal<OwnPresence>({ show: "available", status: "" });
    const error = signal<XmppError | undefined>(undefined);
    // One signal per watched contact: a presence stanza wakes only the
    // views of the contact it is about, not the whole list.
    const slots = new Map<string, Signal<ContactPresence | undefined>>();
    const views = new Map<string, ReadonlySignal<ComposedPresence>>();
    const roster = options.roster;
    const isKnown = roster === undefined
      ? undefined
      : (jid: string) => roster.contacts.peek().has(jid);

    function onStanza(stanza: XmlElement): void {
      const change = presenceChange(
        { contacts, requests: pending.peek(), seq },
        stanza,
        { ownBareJid: connection.bareJid, isKnown },
      );
      if (change.kind === "requests") pending.value = change.requests;
      if (change.kind !== "contact") return;
      seq = change.seq;
      if (change.presence === undefined) contacts.delete(change.jid);
      else contacts.set(change.jid, change.presence);
      const slot = slots.get(change.jid);
      if (slot !== undefined) slot.value = change.presence;
    }
    effect(() => connection.router.presence({}, onStanza));

    const requests = computed(() => {
      const items = roster?.contacts.value;
      // Approved from another client: the roster now says "from"/"both".
      return [...pending.value.values()].filter((request) => {
        const subscription = items?.get(request.jid)?.subscription;
        return subscription !== "from" && subscription !== "both";
      });
    });

    function forget(jid: string): void {
      pending.value = removeRequest(
        { contacts, requests: pending.peek(), seq },
        jid,
      ).requests;
    }

    async function send(stanza: XmlElement | ParseError): Promise<void> {
      if (stanza instanceof ParseError) throw stanza;
      await connection.send(stanza);
    }

    return {
      own,
      requests,
      error,
      presenceOf(jid) {
        const bare = parseBareJid(jid);
        const key = bare instanceof ParseError ? jid : bare;
        let view = views.get(key);
        if (view === undefined) {
          const slot = signal(contacts.get(key));
          slots.set(key, slot);
          view = computed(() => composePresence(slot.value));
          views.set(key, view);
        }
        return view;
      },
      async setPresence(show, status = "") {
        const text = cleanText(status, PRESENCE_LIMITS.statusLength);
        try {
          await connection.send(
            ownPresenceStanza(
              show,
              text,
              options.priority,
              await options.caps?.(),
            ),
          );
        } catch (err) {
          error.value = asXmppError(err);
          throw error.value;
        }
        error.value = undefined;
        own.value = { show, status: text };
      },
      async accept(jid, { subscribeBack = true } = {}) {
        const bare = parseBareJid(jid.trim());
        if (bare instanceof ParseError) throw bare;
        await send(subscriptionStanza("subscribed", bare));
        const item = roster?.contacts.peek().get(bare);
        const seesThem = item?.subscription === "to" ||
          item?.subscription === "both" || item?.ask === "subscribe";
        if (subscribeBack && !seesThem) {
          await send(subscriptionStanza("subscribe", bare));
        }
        forget(bare);
      },
      async decline(jid) {
        const bare = parseBareJid(jid.trim());
        if (bare instanceof ParseError) throw bare;
        await send(subscriptionStanza("unsubscribed", bare));
        forget(bare);
      },
      forgetContacts() {
        contacts.clear();
        batch(() => {
          for (const slot of slots.values()) slot.value = undefined;
        });
      },
    };
  },
);

export function createPresenceStore(
  connection: RoutedConnection,
  options: PresenceStoreOptions = {},
): PresenceStore {
  return new Presence(connection, options);
}
