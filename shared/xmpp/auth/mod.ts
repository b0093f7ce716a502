// The auth feature as the rest of the core uses it: SASL for @xmpp/sasl with
// SCRAM-SHA-512/256/1 on Web Crypto and PLAIN where the password is protected.

export { authErrorFromCondition } from "./auth_errors.ts";
export { type Authenticator, createAuthenticator } from "./authenticator.ts";
export type { MechanismName } from "./mechanism.ts";
export { registerMechanisms } from "./mechanism_choice.ts";
