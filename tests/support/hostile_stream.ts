// A raw XMPP client over WebSocket (RFC 7395) for the hostile-input corpus:
// it writes exactly the bytes a test gives it, which the product's client
// (rightly) cannot, and records how the server answers. Signs in with SASL
// PLAIN (RFC 4616), which both test servers allow on loopback.

const FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";

/** XML 1.0 §2.4/§3.1: text and attribute values as character data. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;")
    .replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

export interface RawStreamTarget {
  readonly wsUrl: string;
  readonly domain: string;
}

/** How a stream ended, as the server told it. */
export interface StreamEnd {
  /** The RFC 6120 §4.9.3 condition of a stream error, if one came. */
  readonly streamError?: string;
  /** The WebSocket close code (RFC 6455 §7.4). */
  readonly closeCode: number;
}

export class RawStream {
  readonly frames: string[] = [];
  readonly ended: Promise<StreamEnd>;
  #waiters: { match: RegExp; resolve: (frame: string) => void }[] = [];

  private constructor(readonly socket: WebSocket) {
    this.ended = new Promise((resolve) => {
      socket.addEventListener("close", (event) => {
        const error = this.frames.join("").match(
          /<(?:stream:)?error[^>]*>\s*<([a-z-]+)/,
        );
        resolve({
          ...(error ? { streamError: error[1] } : {}),
          closeCode: event.code,
        });
      });
    });
    socket.addEventListener("message", (event) => {
      const frame = String(event.data);
      this.frames.push(frame);
      this.#waiters = this.#waiters.filter((waiter) => {
        if (!waiter.match.test(frame)) return true;
        waiter.resolve(frame);
        return false;
      });
    });
  }

  static async connect(target: RawStreamTarget): Promise<RawStream> {
    const socket = new WebSocket(target.wsUrl, "xmpp");
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener("open", () => resolve(), { once: true });
      socket.addEventListener(
        "error",
        () => reject(new Error(`no WebSocket to ${target.wsUrl}`)),
        { once: true },
      );
    });
    return new RawStream(socket);
  }

  /** The next frame from now on that `match` accepts. */
  next(match: RegExp, what: string, ms = 10_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`not within ${ms} ms: ${what}`)),
        ms,
      );
      this.#waiters.push({
        match,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      });
    });
  }

  send(raw: string): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(raw);
  }

  /** Opens the stream (RFC 7395 §3.4) and waits for the features. */
  async open(domain: string): Promise<void> {
    const features = this.next(/<stream:features|<features/, "features");
    this.send(`<open xmlns="${FRAMING}" to="${domain}" version="1.0"/>`);
    await features;
  }

  /** Ends the stream (RFC 7395 §3.6) and waits for the socket to close. */
  async close(): Promise<StreamEnd> {
    this.send(`<close xmlns="${FRAMING}"/>`);
    const timer = setTimeout(() => this.socket.close(), 2_000);
    try {
      return await this.ended;
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * A stream signed in as `username` (password `<username>-pw`, as the test
 * servers are seeded) with a bound resource (RFC 6120 §7), not yet
 * available.
 */
export async function rawSignIn(
  target: RawStreamTarget,
  username: string,
  resource = "raw",
): Promise<RawStream> {
  const stream = await RawStream.connect(target);
  await stream.open(target.domain);
  const plain = btoa(`\0${username}\0${username}-pw`);
  const success = stream.next(/<success|<failure/, `${username} SASL`);
  stream.send(
    `<auth xmlns="urn:ietf:params:xml:ns:xmpp-sasl" mechanism="PLAIN">${plain}</auth>`,
  );
  if (!/<success/.test(await success)) {
    stream.socket.close();
    throw new Error(`${username}: SASL PLAIN failed`);
  }
  await stream.open(target.domain);
  const bound = stream.next(/<jid>/, `${username} bind`);
  stream.send(
    `<iq xmlns="jabber:client" type="set" id="bind"><bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"><resource>${resource}</resource></bind></iq>`,
  );
  await bound;
  return stream;
}

/**
 * Sends an XEP-0199 ping and waits for the answer: everything sent before
 * has been handled, and the stream is still alive.
 */
export async function pingServer(
  stream: RawStream,
  domain: string,
  ms = 10_000,
): Promise<void> {
  const id = `ping-${crypto.randomUUID()}`;
  const answer = stream.next(new RegExp(`id=["']${id}["']`), "ping", ms);
  stream.send(
    `<iq xmlns="jabber:client" type="get" to="${domain}" id="${id}"><ping xmlns="urn:xmpp:ping"/></iq>`,
  );
  await answer;
}
