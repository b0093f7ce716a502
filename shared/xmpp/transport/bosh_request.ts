// One BOSH request (XEP-0124 §7): its rid, what it carries and its current
// HTTP attempt. The scheduler (bosh_session.ts) decides when it goes; this
// module only posts it and reports how the attempt ended.
import { readBoshBody } from "./bosh_http.ts";

export type RequestKind = "create" | "restart" | "payload" | "terminate";

/** Per-request state: rid, what it carries, its attempts and its abort. */
export interface BoshRequest {
  readonly rid: number;
  readonly kind: RequestKind;
  /** The whole <body/> as sent; a retry resends it unchanged (§14.3). */
  readonly body: string;
  /** The serialized stanzas inside `body`, reported if never answered. */
  readonly payload: readonly string[];
  attempts: number;
  /** `performance.now()` of the current attempt. */
  sentAt: number;
  /** XEP-0124 §9.1: the connection manager has acknowledged receiving it. */
  acknowledged: boolean;
  abort?: AbortController;
  timer?: ReturnType<typeof setTimeout>;
}

export function newRequest(
  rid: number,
  kind: RequestKind,
  body: string,
  payload: readonly string[] = [],
): BoshRequest {
  return {
    rid,
    kind,
    body,
    payload,
    attempts: 0,
    sentAt: 0,
    acknowledged: false,
  };
}

/** XEP-0124 §14: a random initial rid far enough below 2^53 to never wrap. */
export function randomRid(): number {
  const words = crypto.getRandomValues(new Uint32Array(2));
  return (words[0] & 0xfffff) * 2 ** 32 + words[1] + 1;
}

/** How one HTTP attempt ended. */
export type Attempt =
  | { readonly ok: true; readonly status: number; readonly text: string }
  | { readonly ok: false; readonly cause: unknown };

/**
 * Posts the current attempt of `req`, aborted after `limitMs`. `settled` is
 * called once, unless the attempt was replaced or abandoned meanwhile (its
 * abort controller is no longer `req.abort`).
 */
export function post(
  fetcher: typeof fetch,
  url: string,
  req: BoshRequest,
  limitMs: number,
  settled: (attempt: Attempt) => void,
): void {
  req.attempts++;
  req.sentAt = performance.now();
  const abort = new AbortController();
  req.abort = abort;
  clearTimeout(req.timer);
  req.timer = setTimeout(() => abort.abort("timeout"), limitMs);
  const current = () => req.abort === abort;
  fetcher(url, {
    method: "POST",
    headers: { "Content-Type": "text/xml; charset=utf-8" },
    body: req.body,
    signal: abort.signal,
  }).then(
    async (res) => ({ status: res.status, text: await readBoshBody(res) }),
  ).then(
    ({ status, text }) => {
      if (!current()) return;
      clearTimeout(req.timer);
      req.abort = undefined;
      settled({ ok: true, status, text });
    },
    (cause: unknown) => {
      if (!current()) return;
      clearTimeout(req.timer);
      req.abort = undefined;
      settled({ ok: false, cause });
    },
  );
}

/** Abandons the current attempt: its answer, if any, is ignored. */
export function abandon(req: BoshRequest, reason: string): void {
  clearTimeout(req.timer);
  const abort = req.abort;
  req.abort = undefined;
  abort?.abort(reason);
}
