import { useCallback, useMemo } from "preact/hooks";
import type { ChatMessage } from "../../../../shared/xmpp/chat/chat_model.ts";
import type { Account } from "../../../../shared/xmpp/session/account.ts";
import { Composer } from "./composer.tsx";
import { useChatName } from "../use_chat_name.ts";
import { composerBlock } from "./contact_reach.ts";
import { MessageList } from "./message_list.tsx";
import { buildRows } from "./message_rows.ts";
import { TypingIndicator } from "./typing_indicator.tsx";
import { SendFileButton } from "../files/send_file_button.tsx";

export interface ConversationViewProps {
  readonly account: Account;
  /** Bare JID of the contact. */
  readonly jid: string;
}

/** What a screen reader is told of a new message: enough, not a novel. */
const ANNOUNCED_LENGTH = 300;

/**
 * One chat (seed: "Chat Window"): the messages, the contact's typing, the
 * typing area. Reads the conversation, the contact's presence and roster
 * entry as signals; only this view re-renders when they change, and the
 * list mounts only the rows in view.
 */
export function ConversationView({ account, jid }: ConversationViewProps) {
  const { chats } = account;
  const conversation = chats.conversation(jid).value;
  const presence = account.presence.presenceOf(jid).value;
  const item = account.roster.contacts.value.get(jid);
  const name = useChatName(account, jid);
  const blocked = composerBlock(name, item, presence);
  const transfers = account.files.transfers.value;
  const rows = useMemo(
    () =>
      buildRows(
        conversation.messages,
        transfers.filter((transfer) => transfer.peer === jid),
      ),
    [conversation.messages, transfers],
  );
  // Stable, so rows that did not change are not rendered again.
  const onRetry = useCallback((id: string) => {
    chats.retry(jid, id).catch((error: unknown) => {
      // The store marks the message failed again; this says why here.
      console.error("desktop-chat: retry failed", error);
    });
  }, [chats, jid]);
  return (
    <div class="conversation" data-jid={jid}>
      <MessageList
        rows={rows}
        name={name}
        blocked={blocked}
        files={account.files}
        onRetry={onRetry}
      />
      <LatestIncoming messages={conversation.messages} name={name} />
      <TypingIndicator
        name={name}
        state={blocked === undefined ? conversation.theirState : undefined}
      />
      <Composer
        key={jid}
        chats={chats}
        account={account}
        jid={jid}
        blocked={blocked}
        attach={
          <SendFileButton files={account.files} jid={jid} blocked={blocked} />
        }
      />
    </div>
  );
}

function lastIncoming(
  messages: readonly ChatMessage[],
): ChatMessage | undefined {
  return messages.findLast((message) => message.direction === "in");
}

interface LatestIncomingProps {
  readonly messages: readonly ChatMessage[];
  readonly name: string;
}

/**
 * Speaks each new incoming message (the log's own live region is off, see
 * MessageList); what was there when the chat opened is not news.
 */
function LatestIncoming({ messages, name }: LatestIncomingProps) {
  const opened = useMemo(() => lastIncoming(messages), []);
  const latest = lastIncoming(messages);
  const text = latest !== undefined && latest !== opened &&
      latest.id !== opened?.id
    ? `${name}: ${latest.body.slice(0, ANNOUNCED_LENGTH)}`
    : "";
  return <p class="visually-hidden" role="status">{text}</p>;
}
