// xmpp.js's Client, extended through its own class API rather than patched:
// a start() that awaits the stream and sign-in together, writes and errors
// that come out as our typed errors, and a stop that never waits for a
// server that cannot answer (plus abort(), which does not wait at all).
import { Client } from "@xmpp/client-core";
import { promise } from "@xmpp/events";
import { TransportError, XmppError } from "../core/errors.ts";
import { unreachableError } from "../transport/bosh_errors.ts";
import { type ErrorContext, toXmppError } from "./xmpp_error.ts";

function closed(): TransportError {
  return new TransportError(
    "connection-closed",
    "The connection to the chat server is closed. Sign in again.",
  );
}

/** The part of xmpp.js's Connection (JavaScript, untyped) used here. */
interface ConnectionBase {
  readonly options: { service: string; domain?: string; lang?: string };
  readonly timeout: number;
  readonly status: string;
  readonly socket: { end(): void } | null;
  connect(service: string): Promise<unknown>;
  open(options: { domain?: string; lang?: string }): Promise<unknown>;
  write(data: string): Promise<void>;
  stop(): Promise<unknown>;
  emit(event: string | symbol, ...args: unknown[]): boolean;
  _detachParser(): void;
  _detachSocket(): void;
  _status(status: string, ...args: unknown[]): void;
  _onSeeOtherHost(error: unknown): Promise<void>;
}

export interface ClientEntityOptions {
  service: string;
  domain: string;
  lang?: string;
  timeout: number;
}

const Connection = Client as new (
  options: ClientEntityOptions,
) => ConnectionBase;

export class ClientEntity extends Connection {
  #starting = false;

  #context(): ErrorContext {
    return { service: this.options.service, timeout: this.timeout };
  }

  /** Every `error` event carries one of our typed errors (xmpp_error.ts). */
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event !== "error") return super.emit(event, ...args);
    return super.emit("error", toXmppError(args[0], this.#context()));
  }

  /**
   * Opens the stream and signs in. xmpp.js's own start() creates its
   * "online" promise before opening the stream; when the open fails first (a
   * dead server), that promise rejects with nobody listening. Both are
   * awaited together here, and any failure is one of our typed errors.
   */
  async start(): Promise<unknown> {
    if (this.status !== "offline") {
      throw new TransportError(
        "not-offline",
        "The client is already connected; stop it before signing in again.",
      );
    }
    const { service, domain, lang } = this.options;
    this.#starting = true;
    try {
      await this.connect(service).catch((err: unknown) => {
        // No socket could be opened (a WebSocket refused, a name that does
        // not resolve, a certificate the platform does not trust): nothing
        // was exchanged, so the server is unreachable, not "lost".
        throw err instanceof XmppError ? err : unreachableError(service, err);
      });
      const [online] = await Promise.all([
        promise(this, "online"),
        this.open({ domain, lang }),
      ]);
      return online;
    } catch (err) {
      throw toXmppError(err, this.#context());
    } finally {
      this.#starting = false;
    }
  }

  /**
   * RFC 6120 §4.9.3.19 see-other-host: xmpp.js follows it by parsing the
   * host the server named, and rejects with no one listening when that host
   * is not one (`bad host`): an uncaught rejection in the page. Whatever
   * its follow-up throws becomes an `error` event, typed like the others.
   * Discovery decides whether to follow at all (node_attempt.ts).
   */
  override _onSeeOtherHost(error: unknown): Promise<void> {
    return super._onSeeOtherHost(error).catch((err: unknown) => {
      this.emit("error", err);
    });
  }

  /** Rejects with a typed error once the stream is closing or gone. */
  override async write(data: string): Promise<void> {
    if (!this.socket) throw closed();
    try {
      await super.write(data);
    } catch (err) {
      throw toXmppError(err, this.#context());
    }
  }

  /**
   * Ends the session gracefully (RFC 6120 §4.4, XEP-0124 §13) when there is
   * one to end; a sign-in still in progress, or a connection already gone,
   * is stopped at once instead.
   */
  override async stop(): Promise<unknown> {
    if (this.#starting || !this.socket) {
      this.abort();
      return undefined;
    }
    return await super.stop();
  }

  /**
   * Stops now without waiting for the server: a sign-in in progress rejects
   * (`cancelled`), the socket is closed (a BOSH session is abandoned and its
   * unsent stanzas reported, see client.ts `unsent`), the status becomes
   * `offline`.
   */
  abort(): void {
    if (this.#starting) {
      // Rejects the sign-in's pending promises, and clears their timers.
      this.emit(
        "error",
        new TransportError("cancelled", "The sign-in was cancelled."),
      );
    }
    const socket = this.socket;
    this._detachParser();
    if (socket) {
      this._detachSocket();
      socket.end();
    }
    if (this.status === "offline") return;
    this._status("disconnect", { clean: true });
    this._status("offline");
  }
}
