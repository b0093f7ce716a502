// JIDs from the wire and from the agent's keyboard, checked and normalized
// before they become map keys (RFC 7622). Full PRECIS and IDNA mapping is
// out of reach without tables; NFC plus lower-casing of the localpart and
// domainpart covers the addresses a contact center uses, and everything
// RFC 7622 forbids outright is refused.
import { ParseError } from "./errors.ts";

export interface Jid {
  readonly local?: string;
  readonly domain: string;
  readonly resource?: string;
  /** `local@domain` or `domain`. */
  readonly bare: string;
}

// RFC 7622 §3.1: each part is at most 1023 octets.
const MAX_PART_BYTES = 1023;
// RFC 7622 §3.3.1: characters the localpart must not contain.
const LOCAL_FORBIDDEN = /["&'/:<>@\s]/u;
const DOMAIN_FORBIDDEN = /["&'/<>@\\\s]/u;
// PRECIS (RFC 8264 §9.12) disallows control characters in every part.
const CONTROL = /\p{Cc}/u;
const encoder = new TextEncoder();

function invalid(reason: string): ParseError {
  return new ParseError(
    "jid-malformed",
    `Not a valid chat address: ${reason}.`,
  );
}

function tooLong(part: string): boolean {
  // A UTF-16 code unit takes at most 3 UTF-8 bytes, so short parts (every
  // roster entry in practice) need no encoding to be known to fit.
  if (part.length * 3 <= MAX_PART_BYTES) return false;
  return part.length > MAX_PART_BYTES ||
    encoder.encode(part).length > MAX_PART_BYTES;
}

export function parseJid(input: unknown): Jid | ParseError {
  if (typeof input !== "string" || input === "") return invalid("empty");
  // Bounds the work on hostile input before any normalization.
  if (input.length > 3 * MAX_PART_BYTES + 2) return invalid("too long");
  if (CONTROL.test(input)) return invalid("control character");
  // RFC 7622 §3.1: the first "/" starts the resourcepart, and the last "@"
  // before it ends the localpart.
  const slash = input.indexOf("/");
  const bareInput = slash === -1 ? input : input.slice(0, slash);
  const resourceInput = slash === -1 ? undefined : input.slice(slash + 1);
  const at = bareInput.lastIndexOf("@");
  const localInput = at === -1 ? undefined : bareInput.slice(0, at);
  // RFC 7622 §3.2: a trailing dot on the domainpart is stripped.
  const domain = bareInput.slice(at + 1).replace(/\.$/, "").normalize("NFC")
    .toLowerCase();

  if (domain === "" || tooLong(domain)) return invalid("bad domain");
  if (DOMAIN_FORBIDDEN.test(domain)) return invalid("bad domain");
  // A colon only belongs in an IPv6 literal (RFC 7622 §3.2).
  if (domain.includes(":") && !/^\[[0-9a-f:.]+\]$/.test(domain)) {
    return invalid("bad domain");
  }
  let local: string | undefined;
  if (localInput !== undefined) {
    local = localInput.normalize("NFC").toLowerCase();
    if (local === "" || tooLong(local) || LOCAL_FORBIDDEN.test(local)) {
      return invalid("bad user name");
    }
  }
  let resource: string | undefined;
  if (resourceInput !== undefined) {
    resource = resourceInput.normalize("NFC");
    if (resource === "" || tooLong(resource)) return invalid("bad resource");
  }
  const bare = local === undefined ? domain : `${local}@${domain}`;
  return { local, domain, resource, bare };
}

/** A JID that must not carry a resource, such as a roster item's. */
export function parseBareJid(input: unknown): string | ParseError {
  const jid = parseJid(input);
  if (jid instanceof ParseError) return jid;
  if (jid.resource !== undefined) return invalid("expected no resource");
  return jid.bare;
}
