// For the TCP front's tests (routes/front/): a raw TCP client (node:net,
// which can bind a chosen local address such as 127.0.0.2) that writes
// whatever bytes a test gives it and records what comes back and when the
// server closed.
import { connect } from "node:net";

export interface RawClient {
  /** Resolves once connected. */
  readonly connected: Promise<void>;
  /** Resolves with performance.now() when the connection closed. */
  readonly closed: Promise<number>;
  write(text: string): void;
  /** Everything received so far, as ISO-8859-1 text. */
  received(): string;
  /** Resolves once the received text matches, or rejects after `ms`. */
  waitFor(pattern: RegExp, ms?: number): Promise<string>;
  destroy(): void;
}

export function rawClient(port: number, localAddress = "127.0.0.1"): RawClient {
  const socket = connect({ host: "127.0.0.1", port, localAddress });
  let text = "";
  const listeners = new Set<() => void>();
  socket.setEncoding("latin1");
  socket.on("data", (data: string) => {
    text += data;
    for (const listener of listeners) listener();
  });
  // A reset is one way for the server to close; the tests look at `closed`.
  socket.on("error", () => socket.destroy());
  const connected = new Promise<void>((resolve) =>
    socket.once("connect", () => resolve())
  );
  const closed = new Promise<number>((resolve) =>
    socket.once("close", () => {
      resolve(performance.now());
      for (const listener of listeners) listener();
    })
  );
  return {
    connected,
    closed,
    write: (data) => void socket.write(data, "latin1"),
    received: () => text,
    waitFor(pattern, ms = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(text)) done(() => resolve(text));
          else if (socket.destroyed) {
            done(() =>
              reject(
                new Error(`closed before ${pattern}: ${JSON.stringify(text)}`),
              )
            );
          }
        };
        const timer = setTimeout(
          () =>
            done(() =>
              reject(
                new Error(`no ${pattern} in ${ms} ms: ${JSON.stringify(text)}`),
              )
            ),
          ms,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    destroy: () => socket.destroy(),
  };
}

/** Writes `text` one byte every `everyMs` until the connection closes. */
export function trickle(
  client: RawClient,
  text: string,
  everyMs: number,
): () => void {
  let i = 0;
  const timer = setInterval(() => {
    if (i < text.length) client.write(text[i++]);
  }, everyMs);
  client.closed.then(() => clearInterval(timer));
  return () => clearInterval(timer);
}
