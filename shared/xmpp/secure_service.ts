// Whether a chat server address protects the password on the wire: https/wss,
// or a loopback host, where nothing leaves the machine (same rule xmpp.js's
// WebSocket socket applies).
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export function isSecureService(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === "https:" || parsed.protocol === "wss:") return true;
  return LOOPBACK.test(parsed.hostname);
}
