// A real HTTP server (Deno.serve) on a free loopback port for the file
// transfer tests, so the transfer code meets real sockets, real chunking and
// real connection closes instead of a mocked fetch.

export interface TestServer {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  close(): Promise<void>;
}

export function startTestServer(
  handler: (request: Request) => Response | Promise<Response>,
): TestServer {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    handler,
  );
  return {
    origin: `http://127.0.0.1:${server.addr.port}`,
    close: () => server.shutdown(),
  };
}

/** Fills `size` bytes with crypto randomness (64 KiB per call is its limit). */
export function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) {
    crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + 65536)));
  }
  return bytes;
}

/**
 * A response body that sends `chunk` every `everyMs` until `total` bytes,
 * recording how much it handed to the socket and whether the reader went
 * away (the stream's cancel runs when the client closes the connection).
 */
export function slowBody(chunk: Uint8Array, total: number, everyMs = 0) {
  let sent = 0;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => resolveClosed = resolve);
  const state = { sent: () => sent, cancelled: false, closed };
  // The pause between chunks ends early on cancel, so no timer outlives a test.
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake = () => {};
  const pause = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, everyMs);
    });
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (everyMs > 0) await pause();
      if (state.cancelled) return;
      const piece = chunk.subarray(0, Math.min(chunk.byteLength, total - sent));
      controller.enqueue(piece.slice());
      sent += piece.byteLength;
      if (sent >= total) {
        controller.close();
        resolveClosed();
      }
    },
    cancel() {
      state.cancelled = true;
      clearTimeout(timer);
      wake();
      resolveClosed();
    },
  });
  return { stream, state };
}
