// vCard names as a model (XEP-0054): one signal per bare JID, asked of the
// server the first time a view wants it and kept for the session. A view
// renders the JID's other names until the answer comes, so a slow or
// missing vCard never blocks anything.
import { type ReadonlySignal, type Signal, signal } from "@preact/signals-core";
import { DEFAULT_IQ_TIMEOUT_MS } from "../core/connection.ts";
import { ParseError, StanzaError, XmppError } from "../core/errors.ts";
import { parseBareJid } from "../core/jid_parse.ts";
import type { RoutedConnection } from "../router/routed_connection.ts";
import { parseVcardResult, vcardName, vcardRequest } from "./vcard_parser.ts";

export interface VcardStoreOptions {
  /** Per vCard request; default DEFAULT_IQ_TIMEOUT_MS. */
  readonly timeoutMs?: number;
  /** vCard requests in flight at once; default VCARD_CONCURRENCY. */
  readonly concurrency?: number;
}

export interface VcardModel {
  /**
   * The name `jid`'s vCard gives (FN, else NICKNAME), undefined until it
   * is known and when there is none. The first call for a bare JID asks
   * the server; the same signal is returned for the same JID.
   */
  nameOf(jid: string): ReadonlySignal<string | undefined>;
  /**
   * Every name known so far, by bare JID, without asking for more: what
   * the identity checks compare a new name with (shared/xmpp/identity/).
   */
  readonly known: ReadonlySignal<ReadonlyMap<string, string>>;
}

export type VcardStore = VcardModel & Disposable;

/** A list of a hundred contacts does not send a hundred iqs at once. */
export const VCARD_CONCURRENCY = 4;

type Lookup = "queued" | "asking" | "known" | "retry";

interface Entry {
  readonly name: Signal<string | undefined>;
  state: Lookup;
}

/**
 * Whether asking again could give another answer: a timeout or a lost
 * connection could; a stanza error (item-not-found, service-unavailable,
 * XEP-0054 §3.1) or an answer we cannot read will not.
 */
function worthRetrying(error: unknown): boolean {
  if (error instanceof StanzaError || error instanceof ParseError) return false;
  return error instanceof XmppError;
}

export function createVcardStore(
  connection: RoutedConnection,
  options: VcardStoreOptions = {},
): VcardStore {
  const timeoutMs = options.timeoutMs ?? DEFAULT_IQ_TIMEOUT_MS;
  const concurrency = options.concurrency ?? VCARD_CONCURRENCY;
  const entries = new Map<string, Entry>();
  const queue: string[] = [];
  // Names that are not bare JIDs get one shared signal that stays empty.
  const nobody = signal<string | undefined>(undefined);
  const known = signal<ReadonlyMap<string, string>>(new Map());
  let inFlight = 0;
  let disposed = false;

  async function ask(jid: string, entry: Entry): Promise<void> {
    entry.state = "asking";
    inFlight++;
    try {
      // Our own vCard is asked without `to` (XEP-0054 §3.1).
      const own = jid === connection.bareJid;
      const answer = await connection.iq(
        vcardRequest(own ? undefined : jid),
        timeoutMs,
      );
      if (disposed) return;
      const names = parseVcardResult(answer);
      const name = names instanceof ParseError ? undefined : vcardName(names);
      entry.name.value = name;
      entry.state = "known";
      if (name !== undefined) {
        known.value = new Map(known.peek()).set(jid, name);
      }
    } catch (error) {
      // No name is shown for a user without a vCard: the other names
      // stand in, and there is nothing for the agent to act on.
      entry.state = worthRetrying(error) ? "retry" : "known";
      if (!(error instanceof XmppError)) throw error;
    } finally {
      inFlight--;
      pump();
    }
  }

  function pump(): void {
    while (!disposed && inFlight < concurrency && queue.length > 0) {
      const jid = queue.shift()!;
      const entry = entries.get(jid);
      if (entry?.state === "queued") void ask(jid, entry);
    }
  }

  function request(jid: string, entry: Entry): void {
    entry.state = "queued";
    queue.push(jid);
    pump();
  }

  return {
    known,
    nameOf(jid) {
      const bare = parseBareJid(jid);
      if (bare instanceof ParseError) return nobody;
      let entry = entries.get(bare);
      if (entry === undefined) {
        entry = { name: signal<string | undefined>(undefined), state: "retry" };
        entries.set(bare, entry);
      }
      if (entry.state === "retry" && !disposed) request(bare, entry);
      return entry.name;
    },
    [Symbol.dispose]() {
      disposed = true;
      queue.length = 0;
    },
  };
}
