// The PUT of XEP-0363 §6 behind one interface, because progress needs two
// implementations: fetch has no upload progress (and a streamed request body
// needs HTTP/2 in Chromium), so the browser uploads with XMLHttpRequest
// (xhr_uploader.ts) and Deno with fetch (fetch_uploader.ts).
import {
  failure,
  reasonOfStatus,
  type TransferFailure,
} from "./transfer_error.ts";

/** One `<header name=…>value</header>` of the slot's `<put>` (XEP-0363 §4). */
export interface SlotHeader {
  readonly name: string;
  readonly value: string;
}

export interface UploadRequest {
  /** The slot's `<put url=…>`. */
  readonly url: string;
  readonly headers: readonly SlotHeader[];
  readonly body: Blob | Uint8Array<ArrayBuffer>;
  /** The size the slot was requested for; the body must be exactly this. */
  readonly size: number;
  /** The content-type the slot was requested with. */
  readonly contentType: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (sentBytes: number, total: number) => void;
}

export type UploadResult =
  | { readonly ok: true; readonly status: number }
  | TransferFailure;

export interface Uploader {
  put(request: UploadRequest): Promise<UploadResult>;
}

// XEP-0363 §4: only these slot headers may be sent; others MUST be ignored.
const ALLOWED = new Set(["authorization", "cookie", "expires"]);
// XEP-0363 §8 asks to strip newlines; any control character but HTAB is
// invalid in a field value (RFC 9110 §5.5), so all of them go.
// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/g;
// fetch and XHR take header values as ByteStrings: anything above U+00FF
// makes them throw, so such a header is dropped instead.
const NOT_LATIN1 = /[\u0100-\uffff]/;

/**
 * The request headers of the PUT, in order: the slot's allowed headers, then
 * Content-Type. Content-Length is not set here: fetch and XHR derive it from
 * the body (browsers forbid setting it), which `bodyMismatch` holds to `size`.
 */
export function putHeaders(
  request: Pick<UploadRequest, "headers" | "contentType">,
): [string, string][] {
  const out: [string, string][] = [];
  for (const { name, value } of request.headers) {
    const n = name.replace(CONTROL, "").trim();
    const v = value.replace(CONTROL, "").trim();
    if (!ALLOWED.has(n.toLowerCase()) || NOT_LATIN1.test(n + v)) continue;
    out.push([n, v]);
  }
  const type = request.contentType.replace(CONTROL, "").trim();
  // XEP-0363 §6: the service may assume application/octet-stream without one.
  out.push([
    "Content-Type",
    type === "" || NOT_LATIN1.test(type) ? "application/octet-stream" : type,
  ]);
  return out;
}

/**
 * A failure to report before any byte moves: cancelled already, or a body
 * that is not the size the slot was requested for (XEP-0363 §6: the service
 * MUST reject a Content-Length that differs, so fail here instead).
 */
export function preflight(request: UploadRequest): TransferFailure | undefined {
  if (request.signal?.aborted) return failure("cancelled");
  const length = request.body instanceof Blob
    ? request.body.size
    : request.body.byteLength;
  if (!Number.isSafeInteger(request.size) || length !== request.size) {
    return failure("size-mismatch");
  }
  return undefined;
}

/** XEP-0363 §6: 201 means the file is ready at the GET URL; any 2xx is ok. */
export function uploadOutcome(status: number): UploadResult {
  return status >= 200 && status <= 299
    ? { ok: true, status }
    : failure(reasonOfStatus(status), { status });
}
