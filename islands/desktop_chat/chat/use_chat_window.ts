// One chat window model per signed-in account, with the browser's page
// attention and notifications; gone with the account (sign-out).
import { computed } from "@preact/signals";
import { useEffect, useMemo } from "preact/hooks";
import type { Account } from "../../../shared/xmpp/session/account.ts";
import { browserNotifier } from "./browser_notifier.ts";
import { ChatWindow, type ChatWindowModel } from "./chat_window_model.ts";
import { pageAttention } from "./page_attention.ts";
import { peopleOf } from "../identity/people.ts";

/** `reserveRight`: pixels a new window leaves free on the right. */
export function useChatWindow(
  account: Account | undefined,
  reserveRight: number,
): ChatWindowModel | undefined {
  const attention = useMemo(pageAttention, []);
  useEffect(() => () => attention[Symbol.dispose](), [attention]);
  const model = useMemo(
    () =>
      account &&
      new ChatWindow({
        chats: account.chats,
        show: computed(() => account.presence.own.value.show),
        personOf: (jid) => peopleOf(account).personNow(jid),
        attention,
        notifier: browserNotifier(),
        viewport: { width: innerWidth, height: innerHeight },
        reserveRight,
      }),
    [account],
  );
  useEffect(() => () => model?.[Symbol.dispose](), [model]);
  return model;
}
