import { useId, useLayoutEffect, useRef } from "preact/hooks";

export interface CloseAllConfirmProps {
  readonly count: number;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

/**
 * Seed: "Click X on the chat window header and confirm to close all chats."
 * An alertdialog inside the window (WAI-ARIA APG Alert Dialog): focus
 * starts on the safe choice and stays on the two buttons; Escape cancels.
 */
export function CloseAllConfirm(
  { count, onConfirm, onCancel }: CloseAllConfirmProps,
) {
  const ref = useRef<HTMLDivElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const textId = useId();
  const opener = useRef<Element | null>(null);

  useLayoutEffect(() => {
    opener.current = ref.current?.getRootNode() instanceof ShadowRoot
      ? (ref.current.getRootNode() as ShadowRoot).activeElement
      : document.activeElement;
    cancel.current?.focus();
  }, []);

  /** Cancel: focus goes back to the X it came from (APG dialog). */
  function cancelled() {
    const back = opener.current;
    onCancel();
    if (back instanceof HTMLElement) back.focus();
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      cancelled();
    } else if (event.key === "Tab") {
      const buttons = [
        ...ref.current?.querySelectorAll<HTMLElement>("button") ?? [],
      ];
      const at = buttons.indexOf(event.target as HTMLElement);
      const next = (at + (event.shiftKey ? -1 : 1) + buttons.length) %
        buttons.length;
      event.preventDefault();
      buttons[next]?.focus();
    }
  }

  return (
    <div
      class="chat-confirm-layer"
      onClick={(event) => event.stopPropagation()}
    >
      <div
        ref={ref}
        class="chat-confirm"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={textId}
        onKeyDown={onKeyDown}
      >
        <h3 class="chat-confirm-title" id={titleId}>Close all chats?</h3>
        <p class="chat-confirm-text" id={textId}>
          {count === 1
            ? "The chat and its messages will be closed."
            : `All ${count} chats and their messages will be closed.`}
        </p>
        <div class="chat-confirm-actions">
          <button
            type="button"
            class="button button-danger"
            onClick={onConfirm}
          >
            Close all
          </button>
          <button
            ref={cancel}
            type="button"
            class="button"
            onClick={cancelled}
          >
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
