// Whether a chat server address protects the password on the wire: https/wss,
// or plain http/ws to a loopback host. Loopback traffic never leaves the
// machine, which is why the W3C Secure Contexts spec counts it as
// potentially trustworthy too.
function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

export function isSecureService(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { protocol, hostname } = new URL(url);
  if (protocol === "https:" || protocol === "wss:") return true;
  return (protocol === "http:" || protocol === "ws:") && isLoopback(hostname);
}
