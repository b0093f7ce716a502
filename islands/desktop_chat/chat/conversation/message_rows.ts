// The message list's rows: every message, with a day heading before the
// first message of each local day. Built from the conversation in one pass;
// a new Date is made only when a message leaves the current day, so a
// 10,000-message chat costs a few comparisons per message.
import type { ChatMessage } from "../../../../shared/xmpp/chat/chat_model.ts";
import type { FileTransfer } from "../../../../shared/xmpp/files/file_transfers_api.ts";
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
  }
  | {
    readonly kind: "file";
    readonly key: string;
    readonly transfer: FileTransfer;
  };

/**
 * The rows, oldest first. A message's key is its id, unique within a
 * conversation (chat_state.ts keeps that invariant); a day's key starts
 * with U+0001, which no stanza id can hold (XML 1.0 §2.2 Char), so the two
 * never meet and no key is built per message. The contact's file transfers
 * (oldest first, as the store keeps them) are merged in by time, each
 * keyed with U+0002 and its transfer key.
 */
export function buildRows(
  messages: readonly ChatMessage[],
  transfers: readonly FileTransfer[] = [],
): ListRow[] {
  const rows: ListRow[] = [];
  let dayStart = Infinity;
  let dayEnd = -Infinity;
  let previous: ChatMessage | undefined;
  let next = 0;
  const startDay = (at: number): boolean => {
    if (at >= dayStart && at < dayEnd) return false;
    dayStart = startOfDay(at);
    dayEnd = endOfDay(at);
    rows.push({ kind: "day", key: `\u0001day:${dayStart}`, at });
    return true;
  };
  const filesUntil = (at: number): void => {
    for (; next < transfers.length && transfers[next].at <= at; next++) {
      const transfer = transfers[next];
      startDay(transfer.at);
      rows.push({ kind: "file", key: `\u0002file:${transfer.key}`, transfer });
      previous = undefined;
    }
  };
  for (const message of messages) {
    const at = message.at;
    filesUntil(at);
    const newDay = startDay(at);
    rows.push({
      kind: "message",
      key: message.id,
      message,
      continued: !newDay && previous !== undefined &&
        previous.direction === message.direction &&
        at - previous.at < RUN_GAP_MS,
    });
    previous = message;
  }
  filesUntil(Infinity);
  return rows;
}
