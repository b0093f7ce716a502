// A raw XMPP client over WebSocket (RFC 7395) for the hostile-input corpus:
// it writes exactly the bytes a test gives it, which the product's client
// (rightly) cannot, and records how the server answers. Signs in with SASL
// PLAIN (RFC 4616), which both test servers allow on loopback.
import { fileOfferStanza } from "../../shared/xmpp/files/file_offer.ts";

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

/** A raw stanza for `throwBombs`: see tests/fixtures/hostile_stanzas.ts. */
export interface Bomb {
  readonly name: string;
  /** `{to}` and `{domain}` are filled in. */
  readonly raw: string;
  /** Sent instead of the stream's first `<open/>`. */
  readonly beforeOpen?: boolean;
}

/**
 * Sends each bomb on a fresh stream of `username` (or an unopened one),
 * addressed to `to`, and tells how the server answered: the stream closed
 * (with its stream error, RFC 6120 §4.9) or accepted and still alive.
 */
export async function throwBombs(
  target: RawStreamTarget,
  username: string,
  to: string,
  bombs: readonly Bomb[],
): Promise<string[]> {
  const answers: string[] = [];
  for (const bomb of bombs) {
    const raw = bomb.raw.replaceAll("{to}", to)
      .replaceAll("{domain}", target.domain);
    const stream = bomb.beforeOpen
      ? await RawStream.connect(target)
      : await rawSignIn(target, username);
    stream.send(raw);
    const answer = await Promise.race([
      stream.ended.then((end) =>
        `stream closed (${end.streamError ?? "no stream error"})`
      ),
      pingServer(stream, target.domain, 5_000).then(() =>
        "accepted, stream alive"
      ),
    ]);
    answers.push(`${bomb.name}: ${answer}`);
    stream.socket.close();
  }
  return answers;
}

/** A chat message (RFC 6121 §5.2.2) with `body` as its text. */
export function rawChat(to: string, body: string): string {
  return `<message xmlns="jabber:client" type="chat" to="${
    escapeXml(to)
  }" id="${crypto.randomUUID()}"><body>${escapeXml(body)}</body></message>`;
}

/** Available presence (RFC 6121 §4.2), with `status` when given. */
export function rawPresence(status?: string): string {
  return status === undefined
    ? `<presence xmlns="jabber:client"/>`
    : `<presence xmlns="jabber:client"><status>${
      escapeXml(status)
    }</status></presence>`;
}

/** A roster set (RFC 6121 §2.3.2) of one item with a name and a group. */
export function rawRosterSet(jid: string, name: string, group: string): string {
  return `<iq xmlns="jabber:client" type="set" id="${crypto.randomUUID()}"><query xmlns="jabber:iq:roster"><item jid="${
    escapeXml(jid)
  }" name="${escapeXml(name)}"><group>${
    escapeXml(group)
  }</group></item></query></iq>`;
}

/**
 * A file offer (XEP-0447, built as the product builds it) of a 1,234-byte
 * file named `name` at `url`, with a made-up SHA-256: the receiver shows
 * the card and nothing is ever fetched unless it accepts.
 */
export function rawFileOffer(
  to: string,
  id: string,
  name: string,
  url: string,
): string {
  const stanza = fileOfferStanza({
    to,
    id,
    url,
    name,
    size: 1234,
    mediaType: "application/octet-stream",
    sha256: btoa("\x01".repeat(32)),
  });
  (stanza.attrs as Record<string, string>).xmlns = "jabber:client";
  return stanza.toString();
}

/** Runs `work` over `items`, `width` at a time. */
export async function pooled<T, R>(
  items: readonly T[],
  width: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return results;
}
