// SHA-256 with Web Crypto, in the base64 spelling XEP-0300 §3 puts on the
// wire (`<hash algo='sha-256'>…</hash>`): the sender hashes what it uploads,
// the receiver what it downloaded.

// 32 bytes in RFC 4648 §4 base64: 43 characters and one "=".
const SHA256_BASE64 = /^[A-Za-z0-9+/]{43}=$/;

export async function sha256Of(
  data: Blob | Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = data instanceof Blob ? await data.arrayBuffer() : data;
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

/** RFC 4648 §4 base64 of a digest. */
export function toBase64(digest: Uint8Array): string {
  return btoa(String.fromCharCode(...digest));
}

/** The 32 bytes a base64 SHA-256 stands for; undefined if it is not one. */
export function decodeSha256(base64: string): Uint8Array | undefined {
  // Checked first, so atob, which throws on anything else, cannot.
  if (!SHA256_BASE64.test(base64)) return undefined;
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i]);
}
