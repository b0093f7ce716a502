// PLAIN (RFC 4616). Whether it may be used at all is mechanism_choice.ts's
// decision: only where the connection protects the password.

import { AuthError } from "../core/errors.ts";
import {
  type MechanismCredentials,
  type MechanismName,
  type SaslMechanism,
  trackMechanism,
  unexpected,
} from "./mechanism.ts";
import { toWire } from "./sasl_encoding.ts";
import { saslprep } from "./saslprep.ts";

function prepare(label: string, value: string): string | AuthError {
  const prepared = saslprep(value);
  if (prepared.ok) return prepared.value;
  return new AuthError(
    "invalid-credentials",
    `${label} ${prepared.error.message}. Check the username and password.`,
  );
}

// RFC 4616 §2: message = [authzid] UTF8NUL authcid UTF8NUL passwd.
export class PlainMechanism implements SaslMechanism {
  get name(): MechanismName {
    return "PLAIN";
  }

  get clientFirst(): boolean {
    return true;
  }

  response(credentials: MechanismCredentials): Promise<string> {
    credentials[trackMechanism]?.(this);
    const parts = [
      prepare("Authorization identity", credentials.authzid ?? ""),
      prepare("Username", credentials.username ?? ""),
      prepare("Password", credentials.password ?? ""),
    ];
    const error = parts.find((part) => part instanceof AuthError);
    if (error) return Promise.reject(error);
    return Promise.resolve(toWire(parts.join("\0")));
  }

  // PLAIN has no challenges; answering one would resend the password.
  challenge(): Promise<SaslMechanism> {
    return Promise.reject(unexpected(this.name, "a challenge"));
  }

  checkSuccess(): AuthError | null {
    return null;
  }
}
