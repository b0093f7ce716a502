// The receiver's GET of an offered file (XEP-0447 with an XEP-0066 URL, or
// a bare XEP-0066 link), bounded: the bytes are counted as they arrive and
// the transfer stops at once when they exceed the offered size (XEP-0446
// `<size/>`) or, when none was offered, the policy's limit, whatever
// Content-Length said or if it said nothing. At the end their SHA-256 must
// equal the offered `<hash algo='sha-256'/>` (XEP-0300), when there is one.
import {
  failure,
  MAX_TRANSFER_BYTES,
  reasonOfRejection,
  reasonOfStatus,
  type TransferFailure,
} from "./transfer_error.ts";
import { decodeSha256, sameBytes, sha256Of } from "./digest.ts";
import { readBody } from "../../../http/read_body.ts";

export interface DownloadRequest {
  readonly url: string;
  /** The offered size in bytes; undefined when the offer gave none. */
  readonly size?: number;
  /**
   * The offered SHA-256, base64 as on the wire (XEP-0300 §3); undefined
   * when none was offered, and then there is nothing to check.
   */
  readonly sha256?: string;
  /** The policy's limit; never more than MAX_TRANSFER_BYTES is held. */
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
  /** `expected`: the size offered, else the Content-Length, if any. */
  readonly onProgress?: (received: number, expected?: number) => void;
}

export type DownloadResult =
  | { readonly ok: true; readonly bytes: Uint8Array<ArrayBuffer> }
  | TransferFailure;

/** Checks the offer against the policy before any byte moves. */
export function downloadRefusal(
  request: Pick<DownloadRequest, "size" | "sha256" | "maxBytes" | "signal">,
): TransferFailure | undefined {
  if (request.signal?.aborted) return failure("cancelled");
  const { size, sha256 } = request;
  if (
    size !== undefined && !(Number.isSafeInteger(size) && size >= 0) ||
    sha256 !== undefined && !decodeSha256(sha256)
  ) return failure("bad-request");
  return (size ?? 0) > limitOf(request) ? failure("too-large") : undefined;
}

function limitOf(request: Pick<DownloadRequest, "maxBytes">): number {
  return Math.min(request.maxBytes, MAX_TRANSFER_BYTES);
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
  const { signal } = request;
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
  const read = await readBounded(response, abort, request);
  if (!read.ok || request.sha256 === undefined) return read;
  const digest = await sha256Of(read.bytes);
  // Hashing 100 MiB takes a moment; a cancel meanwhile still wins.
  if (signal?.aborted) return failure("cancelled");
  const offered = decodeSha256(request.sha256);
  return offered && sameBytes(digest, offered)
    ? read
    : failure("hash-mismatch");
}

/**
 * Reads the body of `response`, at most the offered size or, when none was
 * offered, the policy's limit (past which the file is too large for us
 * rather than other than offered). A Content-Length above that refuses
 * before reading; else the bytes go into one buffer allocated at the size
 * as far as known (offered, else declared) and grown only past it, and the
 * first chunk beyond the bound aborts the fetch, which closes the
 * connection under the stream.
 */
async function readBounded(
  response: Response,
  abort: AbortController,
  request: DownloadRequest,
): Promise<DownloadResult> {
  const { size } = request;
  const bound = size ?? limitOf(request);
  const over = size === undefined ? "too-large" : "size-exceeded";
  // Not when the body is encoded: fetch decodes it, and gzip makes random
  // bytes longer.
  const declared = response.headers.has("content-encoding")
    ? NaN
    : Number(response.headers.get("content-length") ?? NaN);
  if (declared > bound) {
    abort.abort();
    return failure(over, { status: response.status });
  }
  // The fetch holds the body to its declared length.
  const expected = size ?? (declared >= 0 ? Math.floor(declared) : undefined);
  request.onProgress?.(0, expected);
  let bytes;
  try {
    bytes = await readBody(
      response.body,
      bound,
      expected,
      (received) => request.onProgress?.(received, expected),
    );
  } catch (cause) {
    return failure(reasonOfRejection(request.signal), { cause });
  }
  if (bytes === undefined) {
    abort.abort(over);
    return failure(over);
  }
  if (size !== undefined && bytes.length !== size) {
    return failure("size-mismatch");
  }
  return { ok: true, bytes };
}
