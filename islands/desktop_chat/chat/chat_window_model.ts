// The chat window's own state, apart from the conversations (account.chats):
// minimised or not, its frame size and place, the close-all question, the
// launcher's blink and the toaster. It carries out decideAlert() for each
// incoming message.
import {
  computed,
  createModel,
  effect,
  type ReadonlySignal,
  signal,
  untracked,
} from "@preact/signals";
import type {
  ChatsModel,
  IncomingMessage,
} from "../../../shared/xmpp/chat/chat_model.ts";
import type { OwnShow } from "../../../shared/xmpp/presence/presence_store.ts";
import {
  alertText,
  type Person,
} from "../../../shared/xmpp/identity/person.ts";
import { decideAlert, type WindowState } from "./alert_decision.ts";
import { fileOfferAlert } from "./files/file_messages.ts";
import type { Notifier } from "./browser_notifier.ts";
import type { PageAttention } from "./page_attention.ts";
import {
  clampPosition,
  defaultPosition,
  type FrameSize,
  frameSize,
  type Point,
  type Size,
} from "./window_geometry.ts";

export interface Toast {
  readonly id: number;
  readonly jid: string;
  /** Who wrote: a stranger by address, with the imitation flag (issue 14). */
  readonly person: Person;
  readonly body: string;
}

export interface ChatWindowDeps {
  readonly chats: ChatsModel;
  readonly show: ReadonlySignal<OwnShow>;
  /** Who `jid` is (identity/people.ts), read once per alert. */
  readonly personOf: (jid: string) => Person;
  readonly attention: Pick<PageAttention, "visible" | "attended">;
  readonly notifier: Notifier;
  readonly viewport: Size;
  /** Pixels on the right a new window keeps free (the contacts panel). */
  readonly reserveRight?: number;
}

export interface ChatWindowModel {
  readonly state: ReadonlySignal<WindowState>;
  readonly size: ReadonlySignal<FrameSize>;
  readonly frame: ReadonlySignal<Size>;
  /** Top-left of the full frame, inside the viewport. */
  readonly position: ReadonlySignal<Point>;
  readonly confirmingClose: ReadonlySignal<boolean>;
  /** The launcher blinks (Do Not Disturb, seed). */
  readonly blink: ReadonlySignal<boolean>;
  readonly toasts: ReadonlySignal<readonly Toast[]>;
  /** Counts chats the agent opened by hand: the view focuses the composer. */
  readonly focusRequest: ReadonlySignal<number>;
  /** Above the contacts panel (last opened or touched), else under it. */
  readonly raised: ReadonlySignal<boolean>;
  /** The agent opens a chat (click, Enter, notification): shown, restored. */
  open(jid: string, options?: { readonly gesture?: boolean }): void;
  toggleMinimised(): void;
  toggleSize(): void;
  moveTo(at: Point): void;
  setViewport(viewport: Size): void;
  askCloseAll(): void;
  cancelCloseAll(): void;
  closeAll(): void;
  dismissToast(id: number): void;
  /** The agent works in the window: it goes above the panel. */
  raise(): void;
  /**
   * The agent used the launcher: whatever blinked has been seen; a panel
   * it opened goes above the window.
   */
  launcherUsed(panelOpen: boolean): void;
}

/** Toasts kept at once; older ones give way. */
export const TOAST_LIMIT = 3;
const PREVIEW_LENGTH = 140;

function preview(body: string): string {
  const line = body.replace(/\s+/g, " ").trim();
  return line.length > PREVIEW_LENGTH
    ? `${line.slice(0, PREVIEW_LENGTH - 1)}…`
    : line;
}

export const ChatWindow = createModel(
  (deps: ChatWindowDeps): ChatWindowModel => {
    const { chats, attention, notifier } = deps;
    // True while nothing is shown too: a message then decides like one
    // arriving at a minimised window (the seed treats both alike).
    const minimised = signal(true);
    const size = signal<FrameSize>("normal");
    const moved = signal<Point | undefined>(undefined);
    const viewport = signal<Size>(deps.viewport);
    const confirmingClose = signal(false);
    const blink = signal(false);
    const toasts = signal<readonly Toast[]>([]);
    const focusRequest = signal(0);
    const raised = signal(true);
    let nextToast = 1;

    const state = computed<WindowState>(() =>
      chats.open.value.length === 0
        ? "hidden"
        : minimised.value
        ? "minimised"
        : "open"
    );
    const frame = computed(() => frameSize(size.value, viewport.value));
    const position = computed(() => {
      const at = moved.value;
      return at === undefined
        ? defaultPosition(frame.value, viewport.value, deps.reserveRight)
        : clampPosition(at, frame.value, viewport.value);
    });

    // The chat the agent is looking at has no unread messages.
    effect(() => {
      const looking = state.value === "open" && attention.visible.value;
      const jid = looking ? chats.active.value : undefined;
      untracked(() => chats.view(jid));
    });
    effect(() => {
      if (state.value === "open") untracked(() => (blink.value = false));
    });
    effect(() => {
      // The last chat closed: the next one starts like the first.
      if (state.value === "hidden") {
        untracked(() => {
          minimised.value = true;
          confirmingClose.value = false;
        });
      }
    });

    function dropToasts(jid: string): void {
      toasts.value = toasts.peek().filter((toast) => toast.jid !== jid);
    }

    function open(jid: string, options: { readonly gesture?: boolean } = {}) {
      chats.openChat(jid);
      minimised.value = false;
      raised.value = true;
      dropToasts(jid);
      if (options.gesture) {
        notifier.ask();
        focusRequest.value = focusRequest.peek() + 1;
      }
    }

    function toast(jid: string, person: Person, body: string): void {
      const rest = toasts.peek().filter((old) => old.jid !== jid);
      toasts.value = [...rest, { id: nextToast++, jid, person, body }]
        .slice(-TOAST_LIMIT);
    }

    function incoming({ jid, message, file }: IncomingMessage): void {
      const wasOpen = state.peek() === "open";
      const decision = decideAlert({
        show: deps.show.peek(),
        window: wasOpen ? "open" : "minimised",
        attended: attention.attended(),
        permission: () => notifier.permission(),
      });
      // The store has opened the chat without making it active (a tab, so
      // that a message never pulls the agent out of another chat); only a
      // window that pops up shows this contact (seed).
      if (!wasOpen && decision.window === "open") chats.openChat(jid);
      minimised.value = decision.window === "minimised";
      // Popped up, or its header counting in DND: not under the panel.
      raised.value = true;
      if (decision.blink) blink.value = true;
      const person = deps.personOf(jid);
      const body = file ? fileOfferAlert(file.name) : preview(message.body);
      const shown = decision.notify &&
        notifier.show({
          ...alertText(person, body),
          tag: jid,
          onClick: () => open(jid),
        });
      if (decision.toast || (decision.notify && !shown)) {
        toast(jid, person, body);
      }
    }

    effect(() => chats.onIncoming(incoming));

    return {
      state,
      size,
      frame,
      position,
      confirmingClose,
      blink,
      toasts,
      focusRequest,
      raised,
      open,
      toggleMinimised() {
        if (state.peek() === "hidden") return;
        minimised.value = !minimised.peek();
      },
      toggleSize() {
        size.value = size.peek() === "normal" ? "large" : "normal";
      },
      moveTo(at) {
        moved.value = clampPosition(at, frame.peek(), viewport.peek());
      },
      setViewport(next) {
        const now = viewport.peek();
        if (now.width !== next.width || now.height !== next.height) {
          viewport.value = next;
        }
      },
      askCloseAll() {
        confirmingClose.value = true;
      },
      cancelCloseAll() {
        confirmingClose.value = false;
      },
      closeAll() {
        confirmingClose.value = false;
        chats.closeAll();
      },
      dismissToast(id) {
        toasts.value = toasts.peek().filter((toast) => toast.id !== id);
      },
      raise() {
        raised.value = true;
      },
      launcherUsed(panelOpen) {
        blink.value = false;
        if (panelOpen) raised.value = false;
      },
    };
  },
);
