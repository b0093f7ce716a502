import type { MessageState } from "../../../../shared/xmpp/chat/chat_model.ts";

/** What each mark says to a screen reader and in its tooltip. */
export const STATE_LABEL: Readonly<Record<MessageState, string>> = {
  pending: "Sending",
  sent: "Sent",
  delivered: "Delivered",
  failed: "Not sent",
};

// A clock, one tick, two ticks, an exclamation: shapes, not colour alone,
// tell the states apart (WCAG 1.4.1).
const PATHS: Readonly<Record<MessageState, string>> = {
  pending: "M8 2.5a5.5 5.5 0 1 0 0 11a5.5 5.5 0 1 0 0-11M8 5v3.2l2 1.3",
  sent: "M3.5 8.5l3 3l6-7",
  delivered: "M1.5 8.5l3 3l6-7M7.5 11.5l6-7",
  failed: "M8 2.5a5.5 5.5 0 1 0 0 11a5.5 5.5 0 1 0 0-11M8 5v3.5M8 10.8v.2",
};

export interface DeliveryMarkProps {
  readonly state: MessageState;
}

/** The state of an outgoing message (XEP-0184 for "Delivered"). */
export function DeliveryMark({ state }: DeliveryMarkProps) {
  const label = STATE_LABEL[state];
  return (
    <span class={`delivery-mark mark-${state}`} title={label}>
      <svg
        viewBox="0 0 16 16"
        width="14"
        height="14"
        aria-hidden="true"
        focusable="false"
      >
        <path d={PATHS[state]} />
      </svg>
      <span class="visually-hidden">{label}</span>
    </span>
  );
}
