// XEP-0085 chat state notifications read from a message: the one state
// child it carries, if any.
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import type { ChatState } from "./chat_model.ts";

export const NS_CHATSTATES = "http://jabber.org/protocol/chatstates";

const STATES: ReadonlySet<string> = new Set<ChatState>([
  "active",
  "composing",
  "paused",
  "inactive",
  "gone",
]);

/**
 * The chat state of `stanza`, undefined when it carries none. XEP-0085 §5.5:
 * a message contains at most one state; one with several, or with an
 * element of the namespace that is not a state, is refused.
 */
export function parseChatState(
  stanza: XmlElement,
): ChatState | undefined | ParseError {
  const found = stanza.getChildElements().filter((child) =>
    child.getNS() === NS_CHATSTATES
  );
  if (found.length === 0) return undefined;
  if (found.length > 1) {
    return new ParseError(
      "bad-chat-state",
      "A message carried more than one chat state (XEP-0085 §5.5).",
    );
  }
  const name = found[0].getName();
  if (!STATES.has(name)) {
    return new ParseError(
      "bad-chat-state",
      "A message carried an unknown chat state (XEP-0085 §2.1).",
    );
  }
  return name as ChatState;
}
