// The receiver's GET of an offered file (XEP-0447 with an XEP-0066 URL),
// bounded by the offer: the bytes are counted as they arrive and the
// transfer stops at once when they exceed the offered size (XEP-0446
// `<size/>`), whatever Content-Length said or if it said nothing. At the end
// their SHA-256 must equal the offered `<hash algo='sha-256'/>` (XEP-0300).
import {
  failure,
  MAX_TRANSFER_BYTES,
  reasonOfRejection,
  reasonOfStatus,
  type TransferFailure,
} from "./transfer_error.ts";
import { decodeSha256, sameBytes, sha256Of } from "./digest.ts";

export interface DownloadRequest {
  readonly url: string;
  /** The offered size in bytes. */
  readonly size: number;
  /** The offered SHA-256, base64 as on the wire (XEP-0300 §3). */
  readonly sha256: string;
  /** The policy's limit; never more than MAX_TRANSFER_BYTES is held. */
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (received: number, expected: number) => void;
}

export type DownloadResult =
  | { readonly ok: true; readonly bytes: Uint8Array<ArrayBuffer> }
  | TransferFailure;

/** Checks the offer against the policy before any byte moves. */
export function downloadRefusal(
  request: Pick<DownloadRequest, "size" | "sha256" | "maxBytes" | "signal">,
): TransferFailure | undefined {
  if (request.signal?.aborted) return failure("cancelled");
  const { size } = request;
  if (!Number.isSafeInteger(size) || size < 0) return failure("bad-request");
  if (!decodeSha256(request.sha256)) return failure("bad-request");
  if (size > Math.min(request.maxBytes, MAX_TRANSFER_BYTES)) {
    return failure("too-large");
  }
  return undefined;
}

export async function download(
  request: DownloadRequest,
  fetcher: typeof fetch = fetch,
): Promise<DownloadResult> {
  const refused = downloadRefusal(request);
  if (refused) return refused;
  // Our own controller, so that exceeding the size can cut the connection
  // as surely as the caller's cancel does.
  const abort = new AbortController();
  const cancel = () => abort.abort(request.signal?.reason);
  request.signal?.addEventListener("abort", cancel, { once: true });
  try {
    return await fetchBounded(request, fetcher, abort);
  } finally {
    request.signal?.removeEventListener("abort", cancel);
  }
}

async function fetchBounded(
  request: DownloadRequest,
  fetcher: typeof fetch,
  abort: AbortController,
): Promise<DownloadResult> {
  const { size, signal } = request;
  let response: Response;
  try {
    response = await fetcher(request.url, {
      signal: abort.signal,
      // The offer's URL is public to whoever holds it (XEP-0363 §2); our
      // cookies have no business there.
      credentials: "omit",
    });
  } catch (cause) {
    return failure(reasonOfRejection(signal), { cause });
  }
  if (response.status < 200 || response.status > 299) {
    abort.abort();
    return failure(reasonOfStatus(response.status), {
      status: response.status,
    });
  }
  // Content-Length above the offer: refuse before reading. Not when the
  // body is encoded: fetch decodes it, and gzip makes random bytes longer.
  const declared = response.headers.has("content-encoding")
    ? NaN
    : Number(response.headers.get("content-length") ?? NaN);
  if (declared > size) {
    abort.abort();
    return failure("size-exceeded", { status: response.status });
  }
  const read = await readBounded(response.body, size, abort, request);
  if (!read.ok) return read;
  const digest = await sha256Of(read.bytes);
  // Hashing 100 MiB takes a moment; a cancel meanwhile still wins.
  if (signal?.aborted) return failure("cancelled");
  const expected = decodeSha256(request.sha256);
  return expected && sameBytes(digest, expected)
    ? read
    : failure("hash-mismatch");
}

/**
 * Reads at most `size` bytes into one buffer allocated up front (no
 * concatenation); the first chunk past it aborts the fetch, which closes the
 * connection under the stream.
 */
async function readBounded(
  body: ReadableStream<Uint8Array> | null,
  size: number,
  abort: AbortController,
  request: DownloadRequest,
): Promise<DownloadResult> {
  const bytes = new Uint8Array(size);
  let received = 0;
  request.onProgress?.(0, size);
  if (body) {
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (value.byteLength > size - received) {
          abort.abort("size-exceeded");
          return failure("size-exceeded");
        }
        bytes.set(value, received);
        received += value.byteLength;
        request.onProgress?.(received, size);
      }
    } catch (cause) {
      return failure(reasonOfRejection(request.signal), { cause });
    }
  }
  if (received !== size) return failure("size-mismatch");
  return { ok: true, bytes };
}
