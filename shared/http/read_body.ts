// An HTTP response body read with a bound, for the two bodies the element
// reads whole: the chat settings (settings_client.ts) and an accepted file
// (files/transfer/downloader.ts). Bytes are counted as they arrive and
// reading stops at the first chunk past the bound, whatever Content-Length
// said or if it said nothing.

/**
 * The bytes of `body`, at most `bound` of them, in one buffer allocated at
 * `size` (the length as far as known) and grown only past it; undefined
 * when a chunk would go past `bound` (the stream is cancelled, the caller
 * words it). `onBytes` hears the count after each chunk. Rejects as the
 * stream does (network, abort).
 */
export async function readBody(
  body: ReadableStream<Uint8Array> | null,
  bound: number,
  size = 0,
  onBytes?: (received: number) => void,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  let bytes = new Uint8Array(size);
  let received = 0;
  const reader = body?.getReader();
  for (;;) {
    const chunk = await reader?.read();
    if (!chunk || chunk.done) return bytes.subarray(0, received);
    const end = received + chunk.value.byteLength;
    if (end > bound) {
      await reader!.cancel();
      return undefined;
    }
    if (end > bytes.length) {
      const grown = new Uint8Array(
        Math.min(bound, Math.max(end, 2 * bytes.length)),
      );
      grown.set(bytes);
      bytes = grown;
    }
    bytes.set(chunk.value, received);
    received = end;
    onBytes?.(received);
  }
}
