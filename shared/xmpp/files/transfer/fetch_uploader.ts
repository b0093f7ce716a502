// The XEP-0363 §6 PUT over fetch, for Deno and headless clients. fetch
// reports no upload progress, so progress is 0 at the start and the total
// at the end; the browser uses xhr_uploader.ts for a live bar.
import { failure, reasonOfRejection } from "./transfer_error.ts";
import {
  preflight,
  putHeaders,
  type Uploader,
  uploadOutcome,
  type UploadRequest,
  type UploadResult,
} from "./uploader.ts";

export function fetchUploader(fetcher: typeof fetch = fetch): Uploader {
  return {
    put: async function putWithFetch(
      request: UploadRequest,
    ): Promise<UploadResult> {
      const refused = preflight(request);
      if (refused) return refused;
      request.onProgress?.(0, request.size);
      let response: Response;
      try {
        response = await fetcher(request.url, {
          method: "PUT",
          headers: putHeaders(request),
          body: request.body,
          signal: request.signal,
          // The slot URL carries its own authorisation; no cookies of ours.
          credentials: "omit",
        });
      } catch (cause) {
        return failure(reasonOfRejection(request.signal), { cause });
      }
      // The answer's body is not used; release the connection.
      await response.body?.cancel();
      const outcome = uploadOutcome(response.status);
      if (outcome.ok) request.onProgress?.(request.size, request.size);
      return outcome;
    },
  };
}
