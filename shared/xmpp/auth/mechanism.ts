// The `saslmechanisms` mechanism shape that @xmpp/sasl 0.14.0 drives
// (sasl/index.js:19-70), as our mechanisms implement it.

import { AuthError } from "../core/errors.ts";

export type MechanismName =
  | "SCRAM-SHA-512"
  | "SCRAM-SHA-256"
  | "SCRAM-SHA-1"
  | "PLAIN";

// A mechanism reports itself to the authenticator through the credentials,
// the only object that travels from `onAuthenticate` to the instance that
// `saslFactory.create` makes. @xmpp/sasl copies it with a spread, which keeps
// symbol keys, and a symbol cannot clash with its own fields.
export const trackMechanism: unique symbol = Symbol("mechanism.track");

/** What @xmpp/sasl passes to `response` (sasl/index.js:26-35). */
export interface MechanismCredentials {
  readonly username?: string | null;
  readonly password?: string | null;
  readonly authzid?: string | null;
  readonly [trackMechanism]?: (mechanism: SaslMechanism) => void;
}

/**
 * Data in and out are "binary strings" (one char per byte) because
 * @xmpp/base64 is plain btoa/atob. xmpp.js reports a failure only by a
 * rejected promise, so `response` and `challenge` reject with AuthErrors.
 */
export interface SaslMechanism {
  readonly name: MechanismName;
  readonly clientFirst: boolean;
  response(credentials: MechanismCredentials): Promise<string>;
  challenge(data: string): Promise<SaslMechanism>;
  /** RFC 6120 §6.4.6: checks the data of <success/>, "" when it had none. */
  checkSuccess(data: string): AuthError | null;
}

export interface SaslMechanismClass {
  new (): SaslMechanism;
  readonly prototype: SaslMechanism;
}

export function unexpected(name: MechanismName, what: string): AuthError {
  return new AuthError(
    "unexpected-message",
    `The chat server sent ${what} out of order during ${name} sign-in.`,
  );
}
