// One client connection through the TCP front: read a request head under
// the header timeout, forward it (re-serialized, with the client's address
// in PEER_HEADER) and its Content-Length body under the body timeout to the
// internal server on its own backend connection, pipe the response back
// verbatim until ResponseFraming says it ended, then wait for the next
// request under the keep-alive timeout. One request at a time: a pipelined
// request waits in the buffer until the previous response is done.
import { cannedResponse, type CannedStatus } from "./canned_response.ts";
import {
  clientAddress,
  encodePeer,
  PEER_HEADER,
  type PeerAddress,
} from "./client_address.ts";
import {
  answerAndClose,
  closeConn,
  concat,
  readChunk,
  writeAll,
} from "./conn_io.ts";
import {
  findHeadEnd,
  HeadError,
  leadingEmptyLines,
  parseRequestHead,
  type RequestHead,
  serializeRequestHead,
} from "./http_head.ts";
import { ResponseFraming } from "./response_framing.ts";
import type { ServiceLimits } from "./service_limits.ts";

export interface ConnectionSettings {
  readonly limits: ServiceLimits;
  readonly trusted: ReadonlySet<string>;
  connectBackend(): Promise<Deno.Conn>;
  readonly log: (line: string) => void;
  /** For what any client can cause at will, such as an abandoned body: rate-limited. */
  readonly notice: (line: string) => void;
}

type Deadline = "header" | "idle" | "body" | "request" | "send";

/** How long a last answer may take to leave before the socket is closed. */
const LINGER_MS = 1_000;
// A client-sent copy must never reach the app: only the front says who the
// client is.
const DROPPED = new Set([PEER_HEADER]);

interface BodyProgress {
  readonly client: string;
  readonly declared: number;
  sent: number;
}

export class FrontConnection {
  readonly #client: Deno.Conn;
  readonly #peer: PeerAddress;
  readonly #settings: ConnectionSettings;
  readonly #timers = new Map<Deadline, ReturnType<typeof setTimeout>>();
  #backend: Deno.Conn | undefined;
  #buffer: Uint8Array = new Uint8Array(0);
  #closed = false;
  #farewell: Promise<void> = Promise.resolve();
  #stopping = false;
  #waitingForHead = false;
  #responseStarted = false;
  #body: BodyProgress | undefined;
  #request = "";

  constructor(
    client: Deno.Conn,
    peer: PeerAddress,
    settings: ConnectionSettings,
  ) {
    this.#client = client;
    this.#peer = peer;
    this.#settings = settings;
  }

  /** Serves requests until either side closes or a limit ends the connection. */
  async run(): Promise<void> {
    try {
      for (let first = true;; first = false) {
        const head = await this.#readHead(first);
        if (head === undefined) return;
        if (head instanceof HeadError) {
          this.#shut(head.status, head.message);
          return;
        }
        if (!(await this.#exchange(head))) return;
      }
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.#settings.log(
        `desktop-chat: connection from ${this.#peer.hostname} failed: ${why}`,
      );
    } finally {
      this.#shut();
      await this.#farewell;
    }
  }

  /** Ends the connection now if it is between requests, else after the current response. */
  stop(): void {
    this.#stopping = true;
    if (this.#waitingForHead) this.#shut();
  }

  async #readHead(
    first: boolean,
  ): Promise<RequestHead | HeadError | undefined> {
    const { limits } = this.#settings;
    this.#waitingForHead = true;
    this.#responseStarted = false;
    if (this.#stopping) return undefined;
    // RFC 9112 §9.5 lets a server close an idle connection; the header
    // timeout runs from accept, or from a later request's first byte.
    this.#arm(
      first ? "header" : "idle",
      first ? limits.headerTimeoutMs : limits.keepAliveTimeoutMs,
    );
    let scanned = 0;
    let skipped = 0;
    for (;;) {
      const empty = leadingEmptyLines(this.#buffer);
      if (empty > 0) {
        skipped += empty;
        scanned = 0;
        this.#buffer = this.#buffer.subarray(empty);
      }
      if ((empty > 0 || this.#buffer.length > 0) && this.#timers.has("idle")) {
        this.#disarm("idle");
        this.#arm("header", limits.headerTimeoutMs);
      }
      const end = findHeadEnd(this.#buffer, scanned);
      const tooLarge =
        (end < 0 ? this.#buffer.length : end) + skipped > limits.maxHeadBytes;
      if (end >= 0 || tooLarge) {
        this.#waitingForHead = false;
        this.#disarm("header");
        if (tooLarge) {
          return new HeadError(
            431,
            `The request head is larger than ${limits.maxHeadBytes} bytes.`,
          );
        }
        const bytes = this.#buffer.subarray(0, end);
        this.#buffer = this.#buffer.subarray(end);
        return parseRequestHead(bytes, limits);
      }
      scanned = this.#buffer.length;
      const chunk = await readChunk(this.#client);
      if (chunk === undefined || this.#closed) return undefined;
      this.#buffer = concat(this.#buffer, chunk);
    }
  }

  /** One request and its response; true when the connection may carry another. */
  async #exchange(head: RequestHead): Promise<boolean> {
    const client = clientAddress(
      this.#peer,
      head.fields,
      this.#settings.trusted,
    );
    if (client instanceof HeadError) {
      this.#shut(client.status, client.message);
      return false;
    }
    this.#request = `${head.method} ${
      head.target.slice(0, 100)
    } from ${client.hostname}`;
    if (!this.#backend) {
      try {
        this.#backend = await this.#settings.connectBackend();
      } catch (error) {
        this.#settings.log(
          `desktop-chat: the internal server is unreachable: ${
            (error as Error).message
          }`,
        );
        this.#shut(503, "The service is not ready; try again.");
        return false;
      }
    }
    const forwarded = serializeRequestHead(head, DROPPED, [
      { name: PEER_HEADER, value: encodePeer(client) },
    ]);
    if (!(await writeAll(this.#backend, forwarded))) return false;
    this.#responseStarted = false;
    this.#arm("request", this.#settings.limits.requestTimeoutMs);
    const body = {
      client: client.hostname,
      declared: head.contentLength,
      sent: 0,
    };
    this.#body = body;
    const forwarding = this.#forwardBody(this.#backend, body);
    const response = await this.#pumpResponse(this.#backend, head.method);
    this.#disarm("request");
    if (body.sent < body.declared) {
      // The app answered before reading the whole body (a 413, a 401):
      // what is left of it cannot be told from a next request.
      this.#shut();
    }
    await forwarding;
    return response && head.keepAlive && !this.#stopping && !this.#closed;
  }

  async #forwardBody(backend: Deno.Conn, body: BodyProgress): Promise<void> {
    if (body.declared === 0) return;
    this.#arm("body", this.#settings.limits.bodyTimeoutMs);
    while (body.sent < body.declared) {
      if (this.#buffer.length === 0) {
        const chunk = await readChunk(this.#client);
        if (chunk === undefined || this.#closed) break;
        this.#buffer = chunk;
        continue;
      }
      const part = this.#buffer.subarray(0, body.declared - body.sent);
      this.#buffer = this.#buffer.subarray(part.length);
      if (!(await writeAll(backend, part))) break;
      body.sent += part.length;
    }
    this.#disarm("body");
    if (body.sent < body.declared && !this.#closed) {
      this.#settings.notice(
        `desktop-chat: ${body.client} sent ${body.sent} of ${body.declared} body bytes, then closed the connection`,
      );
      this.#shut();
    }
  }

  /** Pipes one final response back; true when it ended and the connection may persist. */
  async #pumpResponse(backend: Deno.Conn, method: string): Promise<boolean> {
    const framing = new ResponseFraming(method);
    for (;;) {
      const chunk = await readChunk(backend);
      if (chunk === undefined || this.#closed) return false;
      if (!this.#responseStarted) {
        this.#responseStarted = true;
        this.#disarm("request");
      }
      const step = framing.push(chunk);
      if (step instanceof HeadError) {
        this.#settings.log(
          `desktop-chat: bad response from the internal server: ${step.message}`,
        );
        return false;
      }
      // A client that reads nothing of its answer for a whole request
      // timeout is not going to: the send deadline frees its connection.
      this.#arm("send", this.#settings.limits.requestTimeoutMs);
      const sent = await writeAll(this.#client, chunk.subarray(0, step.used));
      this.#disarm("send");
      if (!sent) {
        return false;
      }
      if (step.done) return framing.keepAlive && step.used === chunk.length;
    }
  }

  #expire(timeout: Deadline): void {
    const { limits, log } = this.#settings;
    const body = this.#body;
    switch (timeout) {
      case "idle":
      case "send":
        return this.#shut();
      case "header":
        return this.#shut(408, "The request head did not arrive in time.");
      case "body":
        if (body) {
          log(
            `desktop-chat: ${body.client} sent ${body.sent} of ${body.declared} body bytes in ${
              seconds(limits.bodyTimeoutMs)
            } s; connection closed`,
          );
        }
        return this.#responseStarted
          ? this.#shut()
          : this.#shut(408, "The request body did not arrive in time.");
      case "request":
        log(
          `desktop-chat: ${this.#request} got no response in ${
            seconds(limits.requestTimeoutMs)
          } s; connection closed`,
        );
        return this.#shut(
          503,
          "The service did not answer in time; try again.",
        );
    }
  }

  /** Closes both sides, after writing a canned answer when a status is given. */
  #shut(status?: CannedStatus, message = ""): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    if (this.#backend) closeConn(this.#backend);
    if (status === undefined || this.#responseStarted) {
      closeConn(this.#client);
      return;
    }
    this.#farewell = answerAndClose(
      this.#client,
      cannedResponse(status, message),
      LINGER_MS,
    );
  }

  #arm(timeout: Deadline, ms: number): void {
    this.#disarm(timeout);
    if (this.#closed) return;
    this.#timers.set(
      timeout,
      setTimeout(() => {
        this.#timers.delete(timeout);
        this.#expire(timeout);
      }, ms),
    );
  }

  #disarm(timeout: Deadline): void {
    clearTimeout(this.#timers.get(timeout));
    this.#timers.delete(timeout);
  }
}

/** "10" for 10,000 ms, "0.3" for 300 ms. */
function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}
