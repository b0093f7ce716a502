import type { ChatMessage } from "../../../../shared/xmpp/chat/chat_model.ts";
import { DeliveryMark } from "./delivery_mark.tsx";
import { failureText } from "./failure_text.ts";
import { MessageText } from "./message_text.tsx";
import { pure } from "./pure.ts";
import {
  ROW_KEY_ATTRIBUTE,
  type RowObserver,
  useMeasuredRow,
} from "./row_observer.ts";
import { fullLabel, isoLabel, timeLabel } from "./time_format.ts";

export interface MessageRowProps {
  readonly rowKey: string;
  readonly message: ChatMessage;
  /** Follows a message of the same side closely (tighter spacing). */
  readonly continued: boolean;
  /** The contact's display name. */
  readonly name: string;
  readonly observer: RowObserver;
  /** Why a failed message cannot be sent again now (contact signed out). */
  readonly blocked: string | undefined;
  onRetry(id: string): void;
}

/** One message: its text, when, and for the agent's own how far it got. */
export const MessageRow = pure(function MessageRow(props: MessageRowProps) {
  const { message, name } = props;
  const ref = useMeasuredRow<HTMLDivElement>(props.observer);
  const out = message.direction === "out";
  const failed = message.state === "failed";
  const attrs = { [ROW_KEY_ATTRIBUTE]: props.rowKey };
  return (
    <div
      ref={ref}
      {...attrs}
      class={`message-row${props.continued ? " continued" : ""}`}
      data-message-id={message.id}
      data-direction={message.direction}
      data-state={message.state}
    >
      <div class="message-bubble">
        <span class="visually-hidden">{out ? "You: " : `${name}: `}</span>
        <MessageText body={message.body} />
        <span class="message-meta">
          {out && message.resource !== undefined && (
            <span class="message-via" title={message.resource}>
              from another client ·{" "}
            </span>
          )}
          <time
            dateTime={isoLabel(message.at)}
            title={fullLabel(message.at)}
          >
            {timeLabel(message.at)}
          </time>
          {out && <DeliveryMark state={message.state} />}
        </span>
      </div>
      {failed && (
        <p class="message-failure">
          <span>{failureText(message.error, name)}</span>{" "}
          <button
            type="button"
            class="retry-button"
            disabled={props.blocked !== undefined}
            title={props.blocked}
            onClick={() => props.onRetry(message.id)}
          >
            Retry
          </button>
        </p>
      )}
    </div>
  );
});

export interface DayRowProps {
  readonly rowKey: string;
  readonly label: string;
  readonly observer: RowObserver;
}

/** The heading over one day's messages. */
export const DayRow = pure(function DayRow(
  { rowKey, label, observer }: DayRowProps,
) {
  const ref = useMeasuredRow<HTMLDivElement>(observer);
  const attrs = { [ROW_KEY_ATTRIBUTE]: rowKey };
  return (
    <div ref={ref} {...attrs} class="day-row">
      <span>{label}</span>
    </div>
  );
});
