// The byte-level encodings SASL data passes through: strict base64 (RFC 4648
// §4, as RFC 6120 §6.4.2 requires) and the "binary strings" (one char per
// byte) that @xmpp/sasl hands to mechanisms, because @xmpp/base64 is plain
// btoa/atob.

const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Strict RFC 4648 base64 (padding required, no whitespace), or null. */
export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> | null {
  if (!BASE64.test(text)) return null;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Text as a binary string of its UTF-8 bytes; btoa refuses chars > U+00FF. */
export function toWire(text: string): string {
  let binary = "";
  for (const byte of encoder.encode(text)) binary += String.fromCharCode(byte);
  return binary;
}

/**
 * A binary string read as UTF-8, or null. SCRAM signs the exact bytes the
 * server sent, so only UTF-8 that survives a round trip unchanged is accepted
 * (RFC 5802 §7: messages are UTF-8). A char above U+00FF is not a byte.
 */
export function fromWire(binary: string): string | null {
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    const code = binary.charCodeAt(i);
    if (code > 0xFF) return null;
    bytes[i] = code;
  }
  const text = decoder.decode(bytes);
  const again = encoder.encode(text);
  const same = again.length === bytes.length &&
    again.every((byte, index) => byte === bytes[index]);
  return same ? text : null;
}
