import assert from "node:assert/strict";
import { computed, signal } from "@preact/signals";
import type {
  ChatMessage,
  ChatsModel,
  Conversation,
  IncomingMessage,
} from "../../../shared/xmpp/chat/chat_model.ts";
import type { OwnShow } from "../../../shared/xmpp/presence/presence_store.ts";
import type { NotifyPermission } from "./alert_decision.ts";
import type { Notifier, NotifyRequest } from "./browser_notifier.ts";
import { ChatWindow, TOAST_LIMIT } from "./chat_window_model.ts";

/** A ChatsModel keeping only the open list, the active chat and views. */
function fakeChats() {
  const open = signal<readonly string[]>([]);
  const active = signal<string | undefined>(undefined);
  const views: (string | undefined)[] = [];
  const listeners = new Set<(incoming: IncomingMessage) => void>();
  const chats: ChatsModel = {
    open,
    active,
    unreadChats: computed(() => 0),
    conversation: (jid) =>
      signal<Conversation>({ jid, messages: [], unread: 0 }),
    openChat(jid) {
      if (!open.peek().includes(jid)) open.value = [...open.peek(), jid];
      active.value = jid;
    },
    view: (jid) => void views.push(jid),
    closeChat(jid) {
      open.value = open.peek().filter((other) => other !== jid);
    },
    closeAll() {
      open.value = [];
      active.value = undefined;
    },
    send: () => Promise.resolve(),
    retry: () => Promise.resolve(),
    typing: () => undefined,
    onIncoming(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const message = (body: string): ChatMessage => ({
    id: crypto.randomUUID(),
    direction: "in",
    body,
    at: 0,
    state: "delivered",
  });
  return {
    chats,
    views,
    /** As the store does: the chat opens, active only if none was. */
    receive(jid: string, body = "hi", file?: { name: string }) {
      if (!open.peek().includes(jid)) open.value = [...open.peek(), jid];
      if (active.peek() === undefined) active.value = jid;
      for (const listener of listeners) {
        listener({ jid, message: message(body), ...(file ? { file } : {}) });
      }
    },
  };
}

function setup(
  options: {
    show?: OwnShow;
    attended?: boolean;
    permission?: NotifyPermission;
    showFails?: boolean;
  } = {},
) {
  const fake = fakeChats();
  const show = signal<OwnShow>(options.show ?? "available");
  const attended = signal(options.attended ?? true);
  const shown: NotifyRequest[] = [];
  let asked = 0;
  let permissionReads = 0;
  const notifier: Notifier = {
    permission: () => (permissionReads++, options.permission ?? "default"),
    ask: () => void asked++,
    show(request) {
      shown.push(request);
      return !options.showFails;
    },
  };
  const model = new ChatWindow({
    chats: fake.chats,
    show,
    // Ann is a contact; anyone else is a stranger, shown by address.
    personOf: (jid) =>
      jid === "ann@x"
        ? { jid, contact: true, name: "ANN", source: "roster" }
        : {
          jid,
          contact: false,
          name: jid,
          source: "address",
          ...(jid === "fake@x"
            ? { looksLike: { jid: "ann@x", name: "ANN" } }
            : {}),
        },
    attention: { visible: signal(true), attended: () => attended.value },
    notifier,
    viewport: { width: 1366, height: 768 },
  });
  return {
    ...fake,
    model,
    show,
    attended,
    shown,
    asked: () => asked,
    permissionReads: () => permissionReads,
  };
}

Deno.test("chat window model", async (t) => {
  await t.step("the first message pops the window on its chat", () => {
    const { model, chats, receive, views } = setup();
    assert.equal(model.state.value, "hidden");
    receive("ann@x");
    assert.equal(model.state.value, "open");
    assert.equal(chats.active.value, "ann@x");
    assert.equal(views.at(-1), "ann@x");
    assert.equal(model.blink.value, false);
  });

  await t.step("a new chat meanwhile gets a tab, not the window", () => {
    const { model, chats, receive } = setup();
    model.open("ann@x");
    receive("bob@x");
    assert.deepEqual(chats.open.value, ["ann@x", "bob@x"]);
    assert.equal(chats.active.value, "ann@x");
  });

  await t.step("a message restores a minimised window on its chat", () => {
    const { model, chats, receive, views } = setup();
    model.open("ann@x");
    model.toggleMinimised();
    assert.equal(model.state.value, "minimised");
    assert.equal(views.at(-1), undefined);
    receive("bob@x");
    assert.equal(model.state.value, "open");
    assert.equal(chats.active.value, "bob@x");
  });

  await t.step("DND: nothing pops, the icon blinks, the header stays", () => {
    const { model, receive } = setup({ show: "dnd", permission: "granted" });
    receive("ann@x");
    assert.equal(model.state.value, "minimised");
    assert.equal(model.blink.value, true);
    receive("bob@x");
    assert.equal(model.state.value, "minimised");
    model.toggleMinimised();
    assert.equal(model.state.value, "open");
    assert.equal(model.blink.value, false);
  });

  await t.step("DND with the window active: shown, no blink", () => {
    const { model, receive, shown } = setup({
      show: "dnd",
      attended: false,
      permission: "granted",
    });
    model.open("ann@x");
    receive("bob@x");
    assert.equal(model.state.value, "open");
    assert.equal(model.blink.value, false);
    assert.deepEqual(shown, []);
    assert.deepEqual(model.toasts.value, []);
  });

  await t.step("the launcher stops the blink; the panel goes on top", () => {
    const { model, receive } = setup({ show: "dnd" });
    receive("ann@x");
    model.launcherUsed(false);
    assert.equal(model.blink.value, false);
    assert.equal(model.raised.value, true);
    receive("bob@x");
    assert.equal(model.blink.value, true);
    model.launcherUsed(true);
    assert.equal(model.blink.value, false);
    assert.equal(model.raised.value, false);
    model.raise();
    assert.equal(model.raised.value, true);
    model.launcherUsed(true);
    model.open("ann@x");
    assert.equal(model.raised.value, true);
    model.launcherUsed(true);
    receive("cy@x");
    assert.equal(model.raised.value, true, "a message brings it up");
  });

  await t.step("the permission is not read while the agent looks", () => {
    // Chromium answers Notification.permission synchronously from the
    // browser process; a burst of messages must not pay it per message.
    const { receive, attended, permissionReads } = setup();
    for (let i = 0; i < 5; i++) receive("ann@x");
    assert.equal(permissionReads(), 0);
    attended.value = false;
    receive("ann@x");
    assert.equal(permissionReads(), 1);
  });

  await t.step("away from the tab: a notification that opens the chat", () => {
    const { model, chats, receive, shown } = setup({
      attended: false,
      permission: "granted",
    });
    receive("ann@x", "  hello\n  there ");
    assert.equal(shown.length, 1);
    assert.equal(shown[0].title, "ANN");
    assert.equal(shown[0].body, "hello there");
    // A stranger imitating Ann: marked in the title, flagged in the body.
    receive("fake@x", "it's me");
    assert.equal(shown[1].title, "fake@x (not in your contacts)");
    assert.equal(
      shown[1].body,
      "⚠ Looks like ANN — check the address\nit's me",
    );
    assert.equal(shown[0].tag, "ann@x");
    model.open("bob@x");
    model.toggleMinimised();
    shown[0].onClick();
    assert.equal(model.state.value, "open");
    assert.equal(chats.active.value, "ann@x");
    assert.deepEqual(model.toasts.value, []);
  });

  await t.step(
    "no permission: the toaster, one per chat, a few at most",
    () => {
      const { model, receive, shown } = setup({ attended: false });
      receive("ann@x", "one");
      receive("ann@x", "two");
      assert.deepEqual(shown, []);
      assert.deepEqual(
        model.toasts.value.map(({ jid, body }) => [jid, body]),
        [["ann@x", "two"]],
      );
      for (let n = 0; n < TOAST_LIMIT + 1; n++) receive(`p${n}@x`);
      assert.equal(model.toasts.value.length, TOAST_LIMIT);
      assert.equal(model.toasts.value.at(-1)?.jid, `p${TOAST_LIMIT}@x`);
      model.open("p3@x");
      assert.equal(
        model.toasts.value.some((toast) => toast.jid === "p3@x"),
        false,
      );
      model.dismissToast(model.toasts.value[0].id);
      assert.equal(model.toasts.value.length, TOAST_LIMIT - 2);
    },
  );

  await t.step("a notification the browser refuses becomes a toast", () => {
    const { model, receive } = setup({
      attended: false,
      permission: "granted",
      showFails: true,
    });
    receive("ann@x");
    assert.equal(model.toasts.value.length, 1);
  });

  await t.step("a file offer alerts with its name, not its empty body", () => {
    const { model, receive } = setup({ attended: false });
    receive("ann@x", "", { name: "report.pdf" });
    assert.equal(model.toasts.value[0].body, "Sent a file: report.pdf");
  });

  await t.step("a long message is cut in the preview", () => {
    const { model, receive } = setup({ attended: false });
    receive("ann@x", "x".repeat(500));
    assert.equal(model.toasts.value[0].body.length, 140);
    assert.ok(model.toasts.value[0].body.endsWith("…"));
  });

  await t.step("permission is asked from a gesture only", () => {
    const { model, receive, asked } = setup();
    receive("ann@x");
    model.open("ann@x");
    assert.equal(asked(), 0);
    assert.equal(model.focusRequest.value, 0);
    model.open("bob@x", { gesture: true });
    assert.equal(asked(), 1);
    assert.equal(model.focusRequest.value, 1);
  });

  await t.step("close all asks first, then closes and hides", () => {
    const { model, chats } = setup();
    model.open("ann@x");
    model.askCloseAll();
    assert.equal(model.confirmingClose.value, true);
    model.cancelCloseAll();
    assert.deepEqual(chats.open.value, ["ann@x"]);
    model.askCloseAll();
    model.closeAll();
    assert.equal(model.state.value, "hidden");
    assert.equal(model.confirmingClose.value, false);
  });

  await t.step("moves and size stay inside the viewport", () => {
    const { model } = setup();
    assert.deepEqual(model.position.value, { x: 990, y: 292 });
    model.moveTo({ x: -50, y: 9000 });
    assert.deepEqual(model.position.value, { x: 8, y: 300 });
    model.toggleSize();
    assert.equal(model.size.value, "large");
    assert.deepEqual(model.frame.value, { width: 560, height: 640 });
    assert.deepEqual(model.position.value, { x: 8, y: 120 });
    model.setViewport({ width: 400, height: 600 });
    assert.deepEqual(model.frame.value, { width: 384, height: 584 });
    assert.deepEqual(model.position.value, { x: 8, y: 8 });
    model.toggleSize();
    assert.equal(model.size.value, "normal");
  });
});
