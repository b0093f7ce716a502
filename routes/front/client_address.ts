// Who the client is: the TCP peer, or behind a trusted proxy the rightmost
// X-Forwarded-For entry that is not itself a trusted proxy (the nearest
// address no trusted hop vouches against; entries further left are whatever
// the client wrote). The front hands it to the internal server in a header
// only the front sets.
import { isIP } from "node:net";
import { fieldValues, type HeaderField, HeadError } from "./http_head.ts";

/** The header carrying the client's address from the front to the app. */
export const PEER_HEADER = "x-desktop-chat-peer";

export interface PeerAddress {
  readonly hostname: string;
  readonly port: number;
}

/**
 * One spelling per address, so limits and the trusted-proxy list compare
 * equal: IPv4-mapped IPv6 as IPv4, IPv6 in its canonical compressed form
 * (RFC 5952, as the URL parser writes it), anything else unchanged.
 */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1];
  if (isIP(address) !== 6) return address;
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!hex) return canonical;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/**
 * The client's address for one request from `peer`. X-Forwarded-For is
 * read only when the peer is a trusted proxy; an entry that is not an IP
 * address where the client's should be is refused with 400.
 */
export function clientAddress(
  peer: PeerAddress,
  fields: readonly HeaderField[],
  trusted: ReadonlySet<string>,
): PeerAddress | HeadError {
  if (!trusted.has(peer.hostname)) return peer;
  // RFC 9110 §5.3: repeated lines combine, in order, into one list.
  const hops = fieldValues(fields, "x-forwarded-for");
  for (let i = hops.length - 1; i >= 0; i--) {
    if (isIP(hops[i]) === 0) {
      return new HeadError(400, "X-Forwarded-For holds a non-address.");
    }
    const hop = normalizeAddress(hops[i]);
    if (!trusted.has(hop)) return { hostname: hop, port: 0 };
  }
  return peer;
}

export function encodePeer(peer: PeerAddress): string {
  return `${peer.port} ${peer.hostname}`;
}

/** The inverse of {@link encodePeer}; undefined for anything else. */
export function decodePeer(value: string | null): PeerAddress | undefined {
  const match = value === null ? null : /^(\d{1,5}) (\S+)$/.exec(value);
  if (!match) return undefined;
  return { hostname: match[2], port: Number(match[1]) };
}
