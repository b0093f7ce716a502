// A scripted connection manager for BoshSession unit tests: each HTTP
// request is held until the test answers it, so rid, in-flight, retry,
// ordering and ending rules can be checked exactly. Real-server behaviour is
// covered by the integration tests.
import assert from "node:assert/strict";
import { NS_HTTPBIND } from "../../shared/xmpp/transport/bosh_body.ts";
import type { BoshResponse } from "../../shared/xmpp/transport/bosh_body.ts";
import {
  BoshSession,
  type BoshSessionOptions,
  type RequestKind,
} from "../../shared/xmpp/transport/bosh_session.ts";
import type { TransportError } from "../../shared/xmpp/core/errors.ts";

export interface Call {
  rid: number;
  body: string;
  answer(text: string, status?: number): void;
  /** Answers with all of `text` but leaves the stream open; returns its end. */
  answerUnended(text: string): () => void;
  fail(err: Error): void;
  settled: boolean;
}

export function harness(options: Partial<BoshSessionOptions> = {}) {
  const calls: Call[] = [];
  let open = 0;
  let maxOpen = 0;
  const fetch =
    ((_url: string, init: RequestInit) =>
      new Promise<Response>((resolve, reject) => {
        const body = String(init.body);
        open++;
        maxOpen = Math.max(maxOpen, open);
        const call: Call = {
          rid: Number(/rid='(\d+)'/.exec(body)?.[1]),
          body,
          settled: false,
          answer(text, status = 200) {
            if (call.settled) return;
            call.settled = true;
            open--;
            resolve(new Response(text, { status }));
          },
          answerUnended(text) {
            const bytes = new TextEncoder().encode(text);
            let body!: ReadableStreamDefaultController<Uint8Array>;
            call.settled = true;
            open--;
            resolve(
              new Response(
                new ReadableStream<Uint8Array>({
                  start(c) {
                    body = c;
                    c.enqueue(bytes);
                  },
                }),
                { headers: { "content-length": String(bytes.byteLength) } },
              ),
            );
            return () => body.close();
          },
          fail(err) {
            if (call.settled) return;
            call.settled = true;
            open--;
            reject(err);
          },
        };
        init.signal?.addEventListener(
          "abort",
          () => call.fail(new Error("aborted")),
        );
        calls.push(call);
      })) as typeof globalThis.fetch;

  const responses: { kind: RequestKind; res: BoshResponse }[] = [];
  /** Runs in the session's onResponse, as the client's handlers do. */
  let onResponse: ((kind: RequestKind) => void) | undefined;
  const ends: (TransportError | undefined)[] = [];
  const unsent: string[][] = [];
  const session = new BoshSession(
    {
      url: "http://cm.test/http-bind",
      to: "example.com",
      rid: 999,
      retryDelay: () => 1,
      fetch,
      ...options,
    },
    {
      onResponse: (kind, res) => {
        responses.push({ kind, res });
        onResponse?.(kind);
      },
      onEnd: (err, payloads) => {
        ends.push(err);
        unsent.push(payloads);
      },
    },
  );

  async function until(what: () => boolean, label: string) {
    for (let i = 0; i < 200; i++) {
      if (what()) return;
      await new Promise((r) => setTimeout(r, 1));
    }
    assert.fail(`timed out waiting for ${label}`);
  }

  // After openSession, request #0 is the creation and #1 the first poll:
  // the restart in between is not counted.
  let skipped = 0;

  /** The nth HTTP request (0-based), once it has been made. */
  async function call(n: number): Promise<Call> {
    await until(() => calls.length > n + skipped, `request #${n}`);
    return calls[n + skipped];
  }

  /**
   * Creates the session (rid 999) and restarts the stream as after SASL
   * success (rid 1000): from then on a poll is held (rid 1001).
   */
  async function openSession(attrs = "requests='2' hold='1' wait='60'") {
    session.start();
    (await call(0)).answer(
      `<body xmlns='${NS_HTTPBIND}' sid='S' ${attrs}>${features}</body>`,
    );
    await until(() => session.state === "open", "open");
    session.restart("example.com");
    const restart = await call(1);
    assert.match(restart.body, /xmpp:restart='true'/);
    restart.answer(`<body xmlns='${NS_HTTPBIND}'>${features}</body>`);
    await until(() => responses.length === 2, "restarted");
    skipped = 1;
  }

  return {
    setOnResponse(hook: (kind: RequestKind) => void) {
      onResponse = hook;
    },
    session,
    calls,
    unsent,
    call,
    until,
    openSession,
    responses,
    ends,
    get maxOpen() {
      return maxOpen;
    },
  };
}

export const features = "<features xmlns='http://etherx.jabber.org/streams'/>";
export const empty = `<body xmlns='${NS_HTTPBIND}'/>`;
export const withMessage = (id: string) =>
  `<body xmlns='${NS_HTTPBIND}'><message id='${id}'/></body>`;
