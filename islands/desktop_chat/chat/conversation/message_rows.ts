// The message list's rows: every message, with a day heading before the
// first message of each local day. Built from the conversation in one pass;
// a new Date is made only when a message leaves the current day, so a
// 10,000-message chat costs a few comparisons per message.
import type { ChatMessage } from "../../../../shared/xmpp/chat/chat_model.ts";
import { endOfDay, startOfDay } from "./time_format.ts";

/** Messages closer than this, same side, read as one run (less spacing). */
export const RUN_GAP_MS = 5 * 60_000;

export type ListRow =
  | { readonly kind: "day"; readonly key: string; readonly at: number }
  | {
    readonly kind: "message";
    readonly key: string;
    readonly message: ChatMessage;
    /** Follows a message of the same side within RUN_GAP_MS. */
    readonly continued: boolean;
  };

/**
 * The rows, oldest first. Keys are unique even if the wire repeated a
 * stanza id, so the list's keyed diff and measured heights stay sound.
 */
export function buildRows(messages: readonly ChatMessage[]): ListRow[] {
  const rows: ListRow[] = [];
  const seen = new Set<string>();
  let dayStart = Infinity;
  let dayEnd = -Infinity;
  let previous: ChatMessage | undefined;
  for (const message of messages) {
    const at = message.at;
    const newDay = at < dayStart || at >= dayEnd;
    if (newDay) {
      dayStart = startOfDay(at);
      dayEnd = endOfDay(at);
      rows.push({ kind: "day", key: uniqueKey(seen, `d:${dayStart}`), at });
    }
    rows.push({
      kind: "message",
      key: uniqueKey(seen, `m:${message.id}`),
      message,
      continued: !newDay && previous !== undefined &&
        previous.direction === message.direction &&
        at - previous.at < RUN_GAP_MS,
    });
    previous = message;
  }
  return rows;
}

function uniqueKey(seen: Set<string>, key: string): string {
  let unique = key;
  for (let n = 2; seen.has(unique); n++) unique = `${key}#${n}`;
  seen.add(unique);
  return unique;
}
