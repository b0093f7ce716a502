// Where one response of the internal server ends (RFC 9112 §6.3), so the
// front knows when a kept-alive connection is idle again and never writes a
// canned answer into the middle of a response. The bytes themselves pass
// through untouched; this only counts them.
import {
  fieldValues,
  HeadError,
  latin1,
  parseFieldLines,
} from "./http_head.ts";

export interface ResponseStep {
  /** How many bytes of the chunk belong to this response. */
  readonly used: number;
  readonly done: boolean;
}

type State =
  | { readonly kind: "head" }
  | { readonly kind: "length"; remaining: number }
  | { readonly kind: "chunk-size" }
  | { readonly kind: "chunk-data"; remaining: number }
  | { readonly kind: "chunk-end"; seen: number }
  | { readonly kind: "trailer" }
  | { readonly kind: "until-close" }
  | { readonly kind: "done" };

const MAX_LINE_BYTES = 64 * 1024;
const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})(?: [\t\x20-\x7e\x80-\xff]*)?$/;

/** Follows one response to a request with `method` through pushed chunks. */
export class ResponseFraming {
  #state: State = { kind: "head" };
  #line: number[] = [];
  #head: number[] = [];
  #keepAlive = true;
  #status = 0;

  constructor(readonly method: string) {}

  /** The final status code once its head is parsed, else 0. */
  get status(): number {
    return this.#status;
  }

  /** False when the response closes the connection (RFC 9112 §9.6). */
  get keepAlive(): boolean {
    return this.#keepAlive;
  }

  push(chunk: Uint8Array): ResponseStep | HeadError {
    let i = 0;
    while (i < chunk.length && this.#state.kind !== "done") {
      const state = this.#state;
      if (state.kind === "length" || state.kind === "chunk-data") {
        const take = Math.min(state.remaining, chunk.length - i);
        state.remaining -= take;
        i += take;
        if (state.remaining === 0) {
          this.#state = state.kind === "length"
            ? { kind: "done" }
            : { kind: "chunk-end", seen: 0 };
        }
        continue;
      }
      if (state.kind === "until-close") {
        return { used: chunk.length, done: false };
      }
      const byte = chunk[i++];
      const error = state.kind === "head"
        ? this.#headByte(byte)
        : state.kind === "chunk-end"
        ? this.#chunkEndByte(state, byte)
        : this.#lineByte(byte);
      if (error) return error;
    }
    return { used: i, done: this.#state.kind === "done" };
  }

  /** The backend closed: done only for a close-delimited body (§6.3 item 8). */
  end(): boolean {
    if (this.#state.kind === "until-close") this.#state = { kind: "done" };
    return this.#state.kind === "done";
  }

  #headByte(byte: number): HeadError | undefined {
    this.#head.push(byte);
    if (this.#head.length > MAX_LINE_BYTES) {
      return new HeadError(400, "The response head is too large.");
    }
    const n = this.#head.length;
    if (
      n < 4 || byte !== 10 || this.#head[n - 2] !== 13 ||
      this.#head[n - 3] !== 10 || this.#head[n - 4] !== 13
    ) return undefined;
    const lines = latin1(Uint8Array.from(this.#head)).slice(0, -4).split(
      "\r\n",
    );
    this.#head = [];
    return this.#onHead(lines);
  }

  #onHead(lines: string[]): HeadError | undefined {
    const status = STATUS_LINE.exec(lines[0]);
    const fields = parseFieldLines(lines.slice(1));
    if (!status || fields instanceof HeadError) {
      return new HeadError(400, "Malformed response head.");
    }
    const code = Number(status[1]);
    // RFC 9110 §15.2: interim responses precede the final one. The front
    // refuses Upgrade, so a 101 here is a protocol error.
    if (code === 101) return new HeadError(400, "Unexpected 101 response.");
    if (code < 200) return undefined;
    this.#status = code;
    const connection = fieldValues(fields, "connection").map((t) =>
      t.toLowerCase()
    );
    if (connection.includes("close") || lines[0].startsWith("HTTP/1.0")) {
      this.#keepAlive = false;
    }
    const codings = fieldValues(fields, "transfer-encoding");
    const lengths = fieldValues(fields, "content-length");
    // RFC 9112 §6.3 items 1–2, 4–5, 8.
    if (this.method === "HEAD" || code === 204 || code === 304) {
      this.#state = { kind: "done" };
    } else if (codings.length > 0) {
      if (codings[codings.length - 1].toLowerCase() !== "chunked") {
        this.#keepAlive = false;
        this.#state = { kind: "until-close" };
      } else this.#state = { kind: "chunk-size" };
    } else if (lengths.length > 0) {
      const length = Number(lengths[0]);
      if (
        !/^\d{1,15}$/.test(lengths[0]) || lengths.some((l) => l !== lengths[0])
      ) {
        return new HeadError(400, "Invalid Content-Length in the response.");
      }
      this.#state = length === 0
        ? { kind: "done" }
        : { kind: "length", remaining: length };
    } else {
      this.#keepAlive = false;
      this.#state = { kind: "until-close" };
    }
    return undefined;
  }

  // RFC 9112 §7.1: chunk-size [ chunk-ext ] CRLF, and trailer lines.
  #lineByte(byte: number): HeadError | undefined {
    this.#line.push(byte);
    if (this.#line.length > MAX_LINE_BYTES) {
      return new HeadError(400, "A chunk line is too long.");
    }
    if (byte !== 10) return undefined;
    const line = latin1(Uint8Array.from(this.#line));
    this.#line = [];
    if (!line.endsWith("\r\n")) {
      return new HeadError(400, "Bare LF in a chunk.");
    }
    if (this.#state.kind === "trailer") {
      if (line === "\r\n") this.#state = { kind: "done" };
      return undefined;
    }
    const size = /^([0-9a-fA-F]{1,12})(?:[ \t]*;[^\r\n]*)?\r\n$/.exec(line);
    if (!size) return new HeadError(400, "Malformed chunk size.");
    const remaining = parseInt(size[1], 16);
    this.#state = remaining === 0
      ? { kind: "trailer" }
      : { kind: "chunk-data", remaining };
    return undefined;
  }

  #chunkEndByte(
    state: { kind: "chunk-end"; seen: number },
    byte: number,
  ): HeadError | undefined {
    if (byte !== (state.seen === 0 ? 13 : 10)) {
      return new HeadError(400, "A chunk does not end with CRLF.");
    }
    state.seen++;
    if (state.seen === 2) this.#state = { kind: "chunk-size" };
    return undefined;
  }
}
