// New rows at the end of the message list: the agent's own new message
// brings the list down to it; incoming ones while the agent reads older
// messages are counted for the "New messages" button instead.
import {
  type StateUpdater,
  useLayoutEffect,
  useRef,
  useState,
} from "preact/hooks";
import type { ListRow } from "./message_rows.ts";
import { indexNear } from "./row_layout.ts";
import type { ScrollState } from "./use_virtual_list.ts";

export function useNewRows(
  rows: readonly ListRow[],
  state: ScrollState,
): [number, (value: StateUpdater<number>) => void] {
  const [unseen, setUnseen] = useState(0);
  const lastKey = useRef<string | undefined>(undefined);
  // Runs before the list's scroll effect, so a sent message is followed.
  useLayoutEffect(() => {
    const previous = lastKey.current;
    const last = rows.at(-1);
    lastKey.current = last?.key;
    if (previous === undefined || last === undefined || last.key === previous) {
      return;
    }
    // New rows come at the end: the old last one is a few steps back.
    const found = indexNear(
      rows.length,
      (i) => rows[i].key,
      previous,
      rows.length - 1,
    );
    const from = found < 0 ? rows.length - 1 : found;
    let incoming = 0;
    for (let i = from + 1; i < rows.length; i++) {
      const row = rows[i];
      if (row.kind === "day") continue;
      if (row.kind === "file") {
        // A file the agent sends brings the list down to its card.
        if (row.transfer.direction === "in") incoming++;
        else {
          state.stick = true;
          state.anchor = undefined;
        }
        continue;
      }
      if (row.message.direction === "in") incoming++;
      // Sent from this client (a carbon names the other client's resource).
      else if (row.message.resource === undefined) {
        state.stick = true;
        state.anchor = undefined;
      }
    }
    if (!state.stick && incoming > 0) setUnseen((n) => n + incoming);
  }, [rows]);
  return [unseen, setUnseen];
}
