// Why a message failed, in words an agent can act on, chosen here at the
// edge from the stanza error condition (RFC 6120 §8.3.3) the store kept.
import type { ChatMessageError } from "../../../../shared/xmpp/chat/chat_model.ts";

const MOVED = "Not delivered: {name} has moved to another address.";
const REFUSED = "Not delivered: you are not allowed to message {name}.";

/** What happened, per condition; `{name}` is the contact's display name. */
const REASONS: Readonly<Record<string, string>> = {
  // Ours: the stanza never reached the server.
  "connection-lost": "Not sent: the connection to the chat server was lost.",
  // §8.3.3.19 (the recipient's server or client will not take it) and
  // §8.3.3.15 (the recipient is not there now).
  "service-unavailable": "Not delivered: {name} cannot receive messages now.",
  "recipient-unavailable": "Not delivered: {name} is not available now.",
  // §8.3.3.7 (no such account), §8.3.3.8 (the address is not valid).
  "item-not-found": "Not delivered: there is no account {name} on the server.",
  "jid-malformed": "Not delivered: the address of {name} is not valid.",
  "gone": MOVED,
  "redirect": MOVED,
  // §8.3.3.13 / .14: the server or the network between servers.
  "remote-server-not-found":
    "Not delivered: the chat server of {name} cannot be found.",
  "remote-server-timeout":
    "Not delivered: the chat server of {name} did not answer.",
  "internal-server-error": "Not delivered: the chat server had a problem.",
  "resource-constraint": "Not delivered: the chat server is too busy.",
  // §8.3.3.5, .11, .12, .16: policy said no.
  "forbidden": REFUSED,
  "not-allowed": REFUSED,
  "not-authorized": REFUSED,
  "policy-violation": "Not delivered: the server's policy refused it.",
  "subscription-required":
    "Not delivered: {name} must accept you as a contact first.",
  "not-acceptable": "Not delivered: the message was refused (too long?).",
  "timeout": "Not sent: the chat server did not confirm it in time.",
};

const GENERIC = "Not delivered: the chat server refused the message.";

/**
 * One sentence for the failed message's row. The server's own text, when it
 * sent one, follows in quotes: it may say more than the condition.
 */
export function failureText(
  error: ChatMessageError | undefined,
  name: string,
): string {
  const condition = error?.condition ?? "connection-lost";
  // Own keys only: "constructor" from the wire is no reason of ours.
  const reason =
    (Object.hasOwn(REASONS, condition) ? REASONS[condition] : GENERIC)
      .replaceAll("{name}", name);
  return error?.text ? `${reason} The server said: “${error.text}”` : reason;
}
