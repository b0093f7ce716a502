// The `credentials` callback of @xmpp/sasl: picks the mechanism, runs the
// exchange, and checks the server's SCRAM signature in <success/> before
// @xmpp/sasl restarts the stream, which it would do unverified on its own (it
// ignores the data of <success/>, sasl/index.js:64-66).

import { AuthError } from "../core/errors.ts";
import { authErrorFromCondition } from "./auth_errors.ts";
import { chooseMechanism } from "./mechanism_choice.ts";
import {
  type MechanismCredentials,
  type MechanismName,
  type SaslMechanism,
  trackMechanism,
} from "./mechanism.ts";
import { base64ToBytes } from "./sasl_encoding.ts";

const NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl";

/** The ltx Element methods we read (@xmpp/xml). */
export interface SaslElement {
  is(name: string, xmlns?: string): boolean;
  text(): string;
}

/** The part of an @xmpp/client entity that `onAuthenticate` uses. */
export interface SaslEntity {
  isSecure(): boolean;
  on(event: "nonza", listener: (element: SaslElement) => void): unknown;
  removeListener(
    event: "nonza",
    listener: (element: SaslElement) => void,
  ): unknown;
}

/** @xmpp/sasl's `done` (sasl/index.js:75-82). */
export type Authenticate = (
  credentials: MechanismCredentials,
  mechanism: string,
) => Promise<void>;

/** The `onAuthenticate` argument of @xmpp/sasl (sasl/index.js:73-92). */
export type OnAuthenticate = (
  authenticate: Authenticate,
  mechanisms: readonly string[],
  fast: unknown,
  entity: SaslEntity,
) => Promise<void>;

export interface Authenticator {
  readonly onAuthenticate: OnAuthenticate;
  /** Text of <success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>. */
  verifySuccess(successText: string): AuthError | null;
  readonly lastMechanism: MechanismName | null;
}

// RFC 6120 §6.4.6: the additional data of <success/>.
function successText(element: SaslElement): string | null {
  return element.is("success", NS_SASL) ? element.text() : null;
}

// What @xmpp/sasl throws, as AuthErrors: its SASLError on <failure/>
// (sasl/lib/SASLError.js), and atob's InvalidCharacterError when a
// <challenge/> is not base64 (it decodes with @xmpp/base64 before our
// mechanism sees the data). Anything else, e.g. a TransportError from
// sending, passes through as it came.
function toAuthError(error: unknown): unknown {
  if (
    error instanceof DOMException && error.name === "InvalidCharacterError"
  ) {
    return new AuthError(
      "incorrect-encoding",
      "The chat server sent sign-in data that is not valid base64 " +
        "(RFC 6120 §6.4.2), so sign-in was stopped.",
      { cause: error },
    );
  }
  if (
    !(error instanceof Error) || error.name !== "SASLError" ||
    !("condition" in error) || typeof error.condition !== "string"
  ) {
    return error;
  }
  const text = "text" in error && typeof error.text === "string" && error.text
    ? error.text
    : undefined;
  return authErrorFromCondition(error.condition, text, { cause: error });
}

export function createAuthenticator(
  credentials: { readonly username: string; readonly password: string },
): Authenticator {
  let last: SaslMechanism | null = null;
  const track = (mechanism: SaslMechanism) => {
    last = mechanism;
  };

  function verifySuccess(successText: string): AuthError | null {
    if (last === null) {
      return new AuthError(
        "incomplete-exchange",
        "No sign-in exchange has started, so there is nothing to verify.",
      );
    }
    // RFC 6120 §6.4.6: no data, or "=" for data of zero length.
    const text = successText.trim();
    if (text === "" || text === "=") return last.checkSuccess("");
    if (base64ToBytes(text) === null) {
      return new AuthError(
        "incorrect-encoding",
        "The chat server's <success/> data is not valid base64, so its " +
          "signature could not be verified. Sign-in was stopped.",
      );
    }
    return last.checkSuccess(atob(text));
  }

  async function onAuthenticate(
    authenticate: Authenticate,
    mechanisms: readonly string[],
    _fast: unknown,
    entity: SaslEntity,
  ): Promise<void> {
    const mechanism = chooseMechanism(mechanisms, entity.isSecure());
    if (mechanism instanceof AuthError) throw mechanism;
    last = null;
    let success = "";
    const onNonza = (element: SaslElement) => {
      success = successText(element) ?? success;
    };
    entity.on("nonza", onNonza);
    try {
      await authenticate(
        { ...credentials, [trackMechanism]: track },
        mechanism,
      );
    } catch (error) {
      throw toAuthError(error);
    } finally {
      entity.removeListener("nonza", onNonza);
    }
    // @xmpp/sasl resolved on <success/>; stop here, before the stream
    // restart, if the server did not prove itself.
    const error = verifySuccess(success);
    if (error) throw error;
  }

  return {
    onAuthenticate,
    verifySuccess,
    get lastMechanism() {
      return last?.name ?? null;
    },
  };
}
