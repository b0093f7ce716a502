// Which dialog of the contact list is open. The list and the search box ask
// for a dialog; the dialog host renders it. One at a time, as the seed's
// windows are modal.
import {
  computed,
  createModel,
  type ReadonlySignal,
  signal,
} from "@preact/signals";

/** A contact as picked in the list: the same JID can sit in several groups. */
export interface ContactInGroup {
  readonly jid: string;
  /** NO_GROUP ("") for a contact without groups. */
  readonly group: string;
}

export type DialogRequest =
  /** Seed "Add Contact": from search results, a group's ••• or Recent Chats. */
  | {
    readonly kind: "add-contact";
    readonly jid?: string;
    readonly name?: string;
    readonly group?: string;
  }
  | { readonly kind: "edit-contact"; readonly jid: string }
  /** Seed "Move Contact": one, or several picked with Ctrl-click. */
  | {
    readonly kind: "move-contacts";
    readonly entries: readonly ContactInGroup[];
  }
  /** Seed "Delete Contact": each removed from its group only when in several. */
  | {
    readonly kind: "delete-contacts";
    readonly entries: readonly ContactInGroup[];
  }
  | { readonly kind: "edit-group"; readonly group: string }
  | { readonly kind: "delete-group"; readonly group: string };

export interface DialogModel {
  readonly current: ReadonlySignal<DialogRequest | undefined>;
  /** `returnFocus`: where focus goes back when the dialog closes. */
  open(request: DialogRequest, returnFocus?: HTMLElement | null): void;
  close(): void;
}

export const Dialogs = createModel((): DialogModel => {
  const current = signal<DialogRequest | undefined>(undefined);
  let returnTo: HTMLElement | null | undefined;
  return {
    current: computed(() => current.value),
    open(request, returnFocus) {
      returnTo = returnFocus;
      current.value = request;
    },
    close() {
      current.value = undefined;
      const target = returnTo;
      returnTo = undefined;
      // After the dialog has left the DOM, or focus would be trapped in it.
      if (target?.isConnected) queueMicrotask(() => target.focus());
    },
  };
});
