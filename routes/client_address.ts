// The address a request comes from, for the sign-in throttle: the
// `remoteAddr` of the connection info that `Deno.serve` passes as Hono's
// `c.env`. Behind a trusted reverse proxy the service's front end puts the
// client's address there (DESKTOP_CHAT_TRUSTED_PROXIES, routes/front/), so
// one attacker never gets the proxy's own address refused for everyone.
import type { Context } from "hono";

export function clientAddress(c: Context): string {
  const env: unknown = c.env;
  if (typeof env === "object" && env !== null && "remoteAddr" in env) {
    const address: unknown = env.remoteAddr;
    if (
      typeof address === "object" && address !== null && "hostname" in address
    ) {
      if (typeof address.hostname === "string") return address.hostname;
    }
  }
  return "unknown";
}
