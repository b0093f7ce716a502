import { type ReadonlySignal, useSignal } from "@preact/signals";
import type { DialogModel } from "../dialog_model.ts";
import { errorMessage } from "./dialog_logic.ts";

export interface DialogAction {
  readonly pending: ReadonlySignal<boolean>;
  /** The last failure, in the agent's words; cleared by the next attempt. */
  readonly error: ReadonlySignal<string | undefined>;
  /** Runs `action` once at a time and closes the dialog only on success. */
  run(action: () => Promise<unknown>): Promise<void>;
}

/**
 * A dialog's one roster action. The fields are left alone on failure, so
 * the agent can fix the cause and try again without typing anything twice.
 */
export function useDialogAction(dialogs: DialogModel): DialogAction {
  const pending = useSignal(false);
  const error = useSignal<string | undefined>(undefined);
  return {
    pending,
    error,
    async run(action) {
      if (pending.peek()) return;
      pending.value = true;
      error.value = undefined;
      try {
        await action();
        dialogs.close();
      } catch (err) {
        error.value = errorMessage(err);
      } finally {
        pending.value = false;
      }
    },
  };
}
