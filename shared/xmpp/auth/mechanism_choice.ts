// Which SASL mechanism signs in: the strongest SCRAM the server offers, and
// PLAIN only where the connection protects the password. One list gives both
// the choice and the order mechanisms are registered in @xmpp/sasl.

import { AuthError } from "../core/errors.ts";
import type { MechanismName, SaslMechanismClass } from "./mechanism.ts";
import { PlainMechanism } from "./plain_mechanism.ts";
import {
  ScramSha1Mechanism,
  ScramSha256Mechanism,
  ScramSha512Mechanism,
} from "./scram_mechanism.ts";

/** Strongest first. ejabberd offers all three SCRAMs; Prosody 0.12 one. */
const PREFERENCE: readonly SaslMechanismClass[] = [
  ScramSha512Mechanism,
  ScramSha256Mechanism,
  ScramSha1Mechanism,
  PlainMechanism,
];

export const SUPPORTED_MECHANISMS: readonly MechanismName[] = PREFERENCE.map(
  (mechanism) => mechanism.prototype.name,
);

/** The public part of `saslmechanisms`' Factory that we call. */
export interface SaslFactory {
  use(mechanism: SaslMechanismClass): unknown;
}

/**
 * Registers our mechanisms, strongest first, on a fresh `saslmechanisms`
 * Factory (one per client). Its `create` returns the first registered match,
 * so a Factory with mechanisms already in it would prefer those; this one
 * only ever holds ours.
 */
export function registerMechanisms(saslFactory: SaslFactory): void {
  for (const mechanism of PREFERENCE) saslFactory.use(mechanism);
}

export function chooseMechanism(
  offered: readonly string[],
  secure: boolean,
): MechanismName | AuthError {
  const best = SUPPORTED_MECHANISMS.find((name) => offered.includes(name));
  if (best !== undefined && (best !== "PLAIN" || secure)) return best;
  if (best === "PLAIN") {
    return new AuthError(
      "insecure-plain",
      "The chat server only offers PLAIN sign-in, which would send the " +
        "password readable over this unencrypted connection. Use an " +
        "https:// (or wss://) chat server address, or enable SCRAM-SHA-512 " +
        "or SCRAM-SHA-256 on the chat server.",
    );
  }
  return new AuthError(
    "no-mechanism",
    "The chat server offers no sign-in method this client supports " +
      `(offered: ${offered.join(", ") || "none"}; supported: ` +
      `${SUPPORTED_MECHANISMS.join(", ")} over https). Enable ` +
      "SCRAM-SHA-512 or SCRAM-SHA-256 on the chat server.",
  );
}
