// A scripted XmppConnection for unit tests of stores: the test delivers
// literal stanzas and answers each iq by hand, and sees everything sent.
// Stores take it through routeConnection (shared/xmpp/router/), as they
// take the real one. Test-only (style.md item 10); the real one is
// connectionFromClient.
import { xml } from "@xmpp/xml";
import {
  type ConnectionEvents,
  connectionLost,
  ensureId,
  type StanzaListener,
  type UnsentListener,
  type XmlElement,
  type XmppConnection,
} from "../../shared/xmpp/core/connection.ts";
import { StanzaError, TimeoutError } from "../../shared/xmpp/core/errors.ts";

export interface PendingIq {
  readonly request: XmlElement;
  readonly timeoutMs: number;
  /** Answers with a result iq holding `payload`. */
  result(payload?: XmlElement): void;
  error(condition: string, type?: string): void;
  /** What the real connection does once `timeoutMs` passed. */
  timeout(): void;
}

export class FakeConnection implements XmppConnection {
  readonly sent: XmlElement[] = [];
  readonly iqs: PendingIq[] = [];
  readonly #listeners = new Set<StanzaListener>();
  readonly #unsent = new Set<UnsentListener>();
  #lost = false;

  constructor(readonly bareJid = "agent@example.com") {}

  /** Like the real one: an id on everything, connection-lost once lost. */
  send(stanza: XmlElement): Promise<void> {
    ensureId(stanza);
    if (this.#lost) return Promise.reject(connectionLost());
    this.sent.push(stanza);
    return Promise.resolve();
  }

  iq(request: XmlElement, timeoutMs: number): Promise<XmlElement> {
    const id = ensureId(request);
    if (this.#lost) return Promise.reject(connectionLost());
    return new Promise((resolve, reject) => {
      const reply = (
        attrs: Record<string, string>,
        ...children: XmlElement[]
      ) => xml("iq", { ...attrs, id, from: request.attrs.to }, ...children);
      this.iqs.push({
        request,
        timeoutMs,
        result: (payload) =>
          resolve(
            payload === undefined
              ? reply({ type: "result" })
              : reply({ type: "result" }, payload),
          ),
        error: (condition, type = "cancel") =>
          reject(
            new StanzaError(condition, type, `refused (${condition})`),
          ),
        timeout: () => reject(new TimeoutError("no answer")),
      });
    });
  }

  on<E extends keyof ConnectionEvents>(
    event: E,
    listener: ConnectionEvents[E],
  ): () => void {
    const set = (event === "stanza" ? this.#listeners : this.#unsent) as Set<
      ConnectionEvents[E]
    >;
    set.add(listener);
    return () => set.delete(listener);
  }

  /** The stream is gone: what the transport never sent, then rejections. */
  lose(unsent: readonly string[] = []): void {
    this.#lost = true;
    for (const listener of [...this.#unsent]) listener(unsent);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  deliver(stanza: XmlElement): void {
    for (const listener of [...this.#listeners]) listener(stanza);
  }

  /** The iq requests not yet answered, oldest first, and forgets them. */
  takeIqs(): PendingIq[] {
    return this.iqs.splice(0);
  }
}

/** Lets promise callbacks scheduled so far run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
