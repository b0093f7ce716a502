import type { ComponentChildren, TargetedSubmitEvent } from "preact";
import { useId, useLayoutEffect, useRef } from "preact/hooks";
import type { DialogAction } from "./use_dialog_action.ts";

export interface DialogFrameProps {
  readonly title: string;
  readonly onCancel: () => void;
  /** The form, so that a validation failure can focus its field by name. */
  readonly onSubmit: (form: HTMLFormElement) => void;
  /** What a confirmation asks, read out with the title. */
  readonly describedBy?: string;
  readonly children: ComponentChildren;
}

/**
 * A native modal dialog: showModal() makes the rest of the page inert,
 * keeps focus inside and exposes aria-modal, also inside the element's
 * shadow root. Focus goes to the first `autofocus` control (HTML dialog
 * focusing steps); Escape cancels.
 */
export function DialogFrame(
  { title, onCancel, onSubmit, describedBy, children }: DialogFrameProps,
) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useLayoutEffect(() => {
    if (ref.current?.open === false) ref.current.showModal();
  }, []);

  function submit(event: TargetedSubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    onSubmit(event.currentTarget);
  }

  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      onKeyDown={(event) => {
        // Handled here, or the panel around the dialog would also take this
        // Escape as its own and close.
        if (event.key !== "Escape") return;
        event.preventDefault();
        event.stopPropagation();
        onCancel();
      }}
      onCancel={(event) => {
        // Any other close request: the model decides what is open, and the
        // dialog leaves by unmounting.
        event.preventDefault();
        onCancel();
      }}
    >
      <form class="dialog-form" noValidate onSubmit={submit}>
        <h2 class="dialog-title" id={titleId}>{title}</h2>
        {children}
      </form>
    </dialog>
  );
}

export interface DialogActionsProps {
  readonly action: DialogAction;
  readonly label: string;
  /** Shown while the action runs, e.g. "Adding…". */
  readonly pendingLabel: string;
  readonly danger?: boolean;
  /** WAI-ARIA APG: a destructive confirmation starts on its safe choice. */
  readonly focusCancel?: boolean;
  /** Leaves out the primary button, when there is nothing left to do. */
  readonly cancelOnly?: boolean;
  readonly onCancel: () => void;
}

/** The action's error, then the primary button and Cancel. */
export function DialogActions(
  { action, label, pendingLabel, danger, focusCancel, cancelOnly, onCancel }:
    DialogActionsProps,
) {
  const pending = action.pending.value;
  const error = action.error.value;
  return (
    <>
      {error !== undefined && <p class="alert" role="alert">{error}</p>}
      <div class="dialog-actions">
        {!cancelOnly && (
          // aria-disabled, not disabled: a disabled button would drop focus
          // out of the dialog; run() ignores a second press anyway.
          <button
            type="submit"
            class={`button ${danger ? "button-danger" : "button-primary"}`}
            aria-disabled={pending}
          >
            {pending ? pendingLabel : label}
          </button>
        )}
        <button
          type="button"
          class="button"
          autofocus={focusCancel || cancelOnly}
          onClick={onCancel}
        >
          Cancel
        </button>
      </div>
    </>
  );
}

/** Focuses the form control called `name`, after a validation failure. */
export function focusField(form: HTMLFormElement, name: string): void {
  const control = form.elements.namedItem(name);
  if (control instanceof HTMLElement) control.focus();
}
