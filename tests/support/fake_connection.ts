// A scripted XmppConnection for unit tests of stores: the test delivers
// literal stanzas and answers each iq by hand, and sees everything sent.
// Test-only (style.md item 10); the real one is connectionFromClient.
import { xml } from "@xmpp/xml";
import type {
  StanzaListener,
  XmlElement,
  XmppConnection,
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
  #nextId = 1;

  constructor(readonly bareJid = "agent@example.com") {}

  send(stanza: XmlElement): Promise<void> {
    this.sent.push(stanza);
    return Promise.resolve();
  }

  iq(request: XmlElement, timeoutMs: number): Promise<XmlElement> {
    const id = request.attrs.id ?? `fake-${this.#nextId++}`;
    (request.attrs as Record<string, string>).id = id;
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

  on(_event: "stanza", listener: StanzaListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
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
