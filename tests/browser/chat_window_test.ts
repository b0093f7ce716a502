// The chat window in Chromium (issue 13): two agents in two browser
// contexts through the real shell page and service, against a real Prosody,
// with headless clients as the other people who write to them. The pop-up
// and its header, tabs and More chats, unread badges, minimise, close-all,
// drag and resize inside the viewport, Do Not Disturb, notifications and
// the toaster, the launcher's contrast and the panel's popover behaviour.
import assert from "node:assert/strict";
import type { Browser, BrowserContext } from "playwright-core";
import { xml } from "@xmpp/xml";
import { client, type XmppClient } from "../../shared/xmpp/session/client.ts";
import { launchBrowser, screenshot, startService } from "../support/browser.ts";
import {
  box,
  chatWindow,
  contrast,
  insideViewport,
  lookAway,
  openChatDesktop,
  openPanel,
  sendMessage,
  windowWith,
} from "../support/chat_page.ts";
import { chat, menuAction, signIn } from "../support/desktop_page.ts";
import { startProsody, testUsers } from "../../scripts/servers/prosody.ts";

const NAMES = ["alice", "bob", "carol", "dave", "erin", "frank"];
/** Frank is in the directory only (XEP-0054 vCard, XEP-0055 search). */
const VCARDS = {
  frank: {
    fn: "Frank Miller",
    given: "Frank",
    family: "Miller",
    nick: "fm",
    email: "frank@example.com",
  },
};
const at = (name: string) => `${name}@localhost`;
const both = "both" as const;
const agent = (name: string, label: string) => ({
  jid: at(name),
  name: label,
  groups: ["Agents"],
  subscription: both,
});
const ROSTER = {
  alice: [
    agent("bob", "Bob"),
    agent("carol", "Carol"),
    agent("dave", "Dave"),
    agent("erin", "Erin"),
  ],
  bob: [agent("alice", "Alice")],
  carol: [agent("alice", "Alice")],
  dave: [agent("alice", "Alice")],
  erin: [agent("alice", "Alice")],
};

let sent = 0;
/** A one-to-one message with a body (RFC 6121 §5.2.2) from a headless client. */
function write(from: XmppClient, to: string, body: string): Promise<void> {
  return from.send(
    xml(
      "message",
      { to, type: "chat", id: `test-${++sent}` },
      xml("body", {}, body),
    ),
  );
}

Deno.test("the chat window in the browser", async (t) => {
  const prosody = await startProsody({
    users: testUsers(NAMES),
    roster: ROSTER,
    vcards: VCARDS,
  });
  const service = await startService({
    config: { xmppDomain: prosody.domain, defaultPrimary: prosody.boshUrl },
  });
  const headless: XmppClient[] = [];
  const contexts: BrowserContext[] = [];
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const alice = await openChatDesktop(browser, service);
    const bob = await openChatDesktop(browser, service, {
      notifications: true,
    });
    contexts.push(alice.context, bob.context);
    const a = chat(alice.page);
    const b = chat(bob.page);
    const aw = chatWindow(alice.page);
    const bw = chatWindow(bob.page);
    for (const name of ["carol", "dave", "erin"]) {
      const xmpp = client({
        service: prosody.boshUrl,
        domain: prosody.domain,
        username: name,
        password: `${name}-pw`,
        resource: "desk",
      });
      await xmpp.start();
      headless.push(xmpp);
    }
    const [carol, dave, erin] = headless;

    await t.step("the chat icon is visible while signed out", async () => {
      await a.launcher.click();
      await a.username.waitFor({ state: "hidden" });
      const { glyph, header } = await alice.page.evaluate(() => {
        const host = document.querySelector("desktop-chat");
        const launcher = host?.shadowRoot?.querySelector(".launcher");
        const bar = document.querySelector(".shell-header");
        if (!launcher || !bar) throw new Error("no launcher or header");
        return {
          glyph: getComputedStyle(launcher).color,
          header: getComputedStyle(bar).backgroundColor,
        };
      });
      const ratio = contrast(glyph, header);
      // WCAG 1.4.11: a control's glyph ≥ 3:1 against what is behind it.
      assert.ok(ratio >= 3, `launcher ${glyph} on ${header}: ${ratio}:1`);
      await screenshot(alice.page, "1_signed_out_launcher_1366");
      await a.launcher.click();
      await a.username.waitFor();
    });

    await t.step("both agents sign in", async () => {
      await signIn(alice.page, "alice", "alice-pw");
      await signIn(bob.page, "bob", "bob-pw");
      await a.contact(at("bob")).waitFor({ timeout: 20_000 });
      await b.contact(at("alice")).waitFor({ timeout: 20_000 });
    });

    await t.step(
      "the panel follows the viewport and closes on Escape and a click outside",
      async () => {
        const panel = alice.page.locator(".popover");
        // The viewport below the launcher, less a margin: not 576 px.
        for (const height of [1200, 768]) {
          await alice.page.setViewportSize({ width: 1366, height });
          await alice.page.waitForFunction((viewport) => {
            const host = document.querySelector("desktop-chat");
            const popover = host?.shadowRoot?.querySelector(".popover");
            const rect = popover?.getBoundingClientRect();
            return rect !== undefined && rect.bottom <= viewport &&
              rect.bottom >= viewport - 20;
          }, height);
        }
        await a.search.focus();
        await a.search.press("Escape");
        await panel.waitFor({ state: "hidden", timeout: 3000 }).catch(
          async (error: unknown) => {
            // Seen once in ten runs under load: say where focus was.
            const where = await alice.page.evaluate(() => {
              const root = document.querySelector("desktop-chat")?.shadowRoot;
              return `${root?.activeElement?.outerHTML.slice(0, 120)} ` +
                `hasFocus=${document.hasFocus()}`;
            });
            throw new Error(`Escape left the panel open; focus: ${where}`, {
              cause: error,
            });
          },
        );
        await alice.page.locator("button.launcher[aria-expanded=false]")
          .waitFor();
        await a.launcher.click();
        await panel.waitFor();
        await alice.page.mouse.click(300, 400);
        await panel.waitFor({ state: "hidden" });
        await a.launcher.click();
        await panel.waitFor();
      },
    );

    await t.step(
      "a click on a contact opens the chat; the first message pops the other window",
      async () => {
        await a.contact(at("bob")).click();
        await aw.title.filter({ hasText: "Bob" }).waitFor();
        // Starting a chat is not a selection: no Move/Delete bar.
        assert.equal(
          await a.contact(at("bob")).getAttribute("aria-selected"),
          "false",
        );
        assert.equal(await alice.page.getByText(/\d+ selected/).count(), 0);
        // Working in the window leaves the contacts open beside it.
        await aw.composer.click();
        assert.ok(await alice.page.locator(".popover").isVisible());
        await sendMessage(alice.page, "Hello Bob");
        await bw.window.waitFor();
        assert.equal(await bw.window.getAttribute("data-minimised"), "false");
        assert.equal(await bw.title.textContent(), "Alice");
        await bw.log.getByText("Hello Bob").waitFor();
        await screenshot(alice.page, "2_alice_sent_1366");
        await screenshot(bob.page, "3_bob_popped_1366");
      },
    );

    await t.step("unread badges are counted and cleared", async () => {
      await write(carol, at("bob"), "Bob, a question");
      await write(carol, at("bob"), "about the queue");
      const carolTab = bw.tab("carol");
      await carolTab.locator(".tab-badge").filter({ hasText: "2" }).waitFor();
      // A new chat gets a tab; the agent stays in the one he is in.
      assert.equal(await bw.title.textContent(), "Alice");
      await carolTab.click();
      await bw.title.filter({ hasText: "carol" }).waitFor();
      await carolTab.locator(".tab-badge").waitFor({ state: "detached" });
      await bw.tab("Alice").click();
      await bw.title.filter({ hasText: "Alice" }).waitFor();
    });

    await t.step(
      "minimised, the header shows how many chats have unread messages",
      async () => {
        await write(dave, at("bob"), "Hi from Dave");
        await write(carol, at("bob"), "One more thing");
        await bw.tab("dave").locator(".tab-badge").waitFor();
        await bw.tab("carol").locator(".tab-badge").waitFor();
        await bw.title.click();
        await windowWith(bob.page, "data-minimised", "true");
        assert.equal(await bw.unreadCount.innerText(), "2");
        await screenshot(bob.page, "4_bob_minimised_1366");
        await bw.restore.click();
        await windowWith(bob.page, "data-minimised", "false");
      },
    );

    await t.step("four chats: the fourth waits behind More chats", async () => {
      await write(erin, at("bob"), "Erin here");
      await bw.more.waitFor();
      assert.equal(await bw.tabs.count(), 3);
      await bw.more.click();
      const item = bob.page.getByRole("menuitem", { name: /^erin/ });
      // Erin is not in bob's roster: shown by her address (issue 14).
      assert.equal(await item.innerText(), "erin@localhost (1 unread)");
      await screenshot(bob.page, "5_bob_more_chats_1366");
      await item.click();
      await bw.title.filter({ hasText: "erin" }).waitFor();
      assert.equal(await bw.tab("erin").getAttribute("aria-selected"), "true");
      assert.equal(await bw.tabs.count(), 3);
      // WAI-ARIA APG tabs: arrows move and activate, wrapping around.
      await bw.tab("erin").focus();
      await bob.page.keyboard.press("ArrowLeft");
      await bw.title.filter({ hasText: "carol" }).waitFor();
      // Tabs stay put while the agent moves between them.
      assert.deepEqual(await bw.tabs.allInnerTexts(), [
        "Alice",
        "carol@localhost",
        "erin@localhost",
      ]);
      await bob.page.keyboard.press("ArrowRight");
      await bw.title.filter({ hasText: "erin" }).waitFor();
      await bob.page.keyboard.press("ArrowRight");
      await bw.title.filter({ hasText: "Alice" }).waitFor();
      await bob.page.keyboard.press("End");
      await bw.title.filter({ hasText: "erin" }).waitFor();
      assert.equal(
        await bob.page.evaluate(() =>
          document.querySelector("desktop-chat")?.shadowRoot?.activeElement
            ?.getAttribute("aria-selected")
        ),
        "true",
      );
      // Hovering a tab's status offers its close button (focus does too).
      const erinTab = bw.tab("erin");
      await bw.tab("Alice").click();
      const close = bob.page.getByRole("button", {
        name: "Close chat with erin",
      });
      assert.equal(await close.isVisible(), true, "in the DOM, transparent");
      assert.equal(
        await close.evaluate((button) => getComputedStyle(button).opacity),
        "0",
      );
      await erinTab.hover();
      await bob.page.waitForFunction(
        (button) => getComputedStyle(button).opacity === "1",
        await close.elementHandle(),
      );
      await close.click();
      await erinTab.waitFor({ state: "detached" });
      await bw.more.waitFor({ state: "detached" });
      assert.equal(await bw.tabs.count(), 3);
    });

    await t.step(
      "the header drags the window, never off the viewport",
      async () => {
        const start = await box(bob.page);
        const handle = bw.title;
        const grip = await handle.boundingBox();
        assert.ok(grip);
        await bob.page.mouse.move(grip.x + 5, grip.y + 5);
        await bob.page.mouse.down();
        await bob.page.mouse.move(grip.x - 200, grip.y - 100, { steps: 5 });
        await bob.page.mouse.up();
        const moved = await box(bob.page);
        assert.equal(Math.round(moved.x), Math.round(start.x - 205));
        assert.equal(Math.round(moved.y), Math.round(start.y - 105));
        // A drag is no click: the window stays open.
        assert.equal(await bw.window.getAttribute("data-minimised"), "false");
        await bob.page.mouse.move(moved.x + 20, moved.y + 10);
        await bob.page.mouse.down();
        await bob.page.mouse.move(-3000, -3000, { steps: 5 });
        await bob.page.mouse.up();
        const corner = await box(bob.page);
        assert.equal(Math.round(corner.x), 8);
        assert.equal(Math.round(corner.y), 8);
        await bob.page.mouse.move(corner.x + 20, corner.y + 10);
        await bob.page.mouse.down();
        await bob.page.mouse.move(6000, 6000, { steps: 5 });
        await bob.page.mouse.up();
        await insideViewport(bob.page);
        await bob.page.setViewportSize({ width: 700, height: 500 });
        await insideViewport(bob.page);
        await bob.page.setViewportSize({ width: 1366, height: 768 });
        await insideViewport(bob.page);
      },
    );

    await t.step(
      "the resize button toggles a larger frame and back",
      async () => {
        const normal = await box(bob.page);
        await bw.larger.click();
        await windowWith(bob.page, "data-size", "large");
        const large = await box(bob.page);
        assert.ok(large.width > normal.width && large.height > normal.height);
        await insideViewport(bob.page);
        await screenshot(bob.page, "6_bob_large_1366");
        await bw.smaller.click();
        await windowWith(bob.page, "data-size", "normal");
        assert.equal(Math.round((await box(bob.page)).width), normal.width);
      },
    );

    await t.step("close all asks first", async () => {
      await bw.closeAll.click();
      await bw.confirm.waitFor();
      await screenshot(bob.page, "7_bob_close_all_1366");
      await bw.confirm.getByRole("button", { name: "Cancel" }).click();
      await bw.confirm.waitFor({ state: "detached" });
      await bw.closeAll.and(bob.page.locator(":focus")).waitFor();
      assert.equal(await bw.tabs.count(), 3);
      await bw.closeAll.click();
      await bw.confirm.getByRole("button", { name: "Close all" }).click();
      await bw.window.waitFor({ state: "detached" });
      // Focus is not dropped to the page: the launcher has it.
      await bw.launcher.and(bob.page.locator(":focus")).waitFor();
    });

    await t.step(
      "Do Not Disturb: nothing pops, the icon blinks, the header counts",
      async () => {
        await openPanel(bob.page);
        await menuAction(
          bob.page,
          b.stateButton,
          "Do Not Disturb",
          "menuitemradio",
        );
        await b.stateButton.filter({ hasText: "Do Not Disturb" }).waitFor();
        const lookBack = await lookAway(bob);
        await sendMessage(alice.page, "Are you there?");
        await windowWith(bob.page, "data-minimised", "true");
        await bw.unreadCount.filter({ hasText: "1" }).waitFor();
        await bob.page.locator("button.launcher[data-blink=true]").waitFor();
        assert.deepEqual(await bob.notifications(), []);
        await lookBack();
        await screenshot(bob.page, "8_bob_dnd_blink_1366");
        // prefers-reduced-motion: a steady highlight instead of blinking.
        const look = () =>
          bw.launcher.evaluate((button) => {
            const style = getComputedStyle(button);
            return `${style.animationName} ${style.backgroundColor}`;
          });
        assert.match(await look(), /^dc-blink /);
        await bob.page.emulateMedia({ reducedMotion: "reduce" });
        assert.match(await look(), /^none rgba\(251, 191, 36/);
        await bob.page.emulateMedia({ reducedMotion: "no-preference" });
        await bw.launcher.click();
        await bob.page.locator("button.launcher[data-blink=false]").waitFor();
        await openPanel(bob.page);
        await menuAction(bob.page, b.stateButton, "Available", "menuitemradio");
        await b.stateButton.filter({ hasText: "Available" }).waitFor();
      },
    );

    await t.step(
      "away from the desktop: a notification whose click opens the chat",
      async () => {
        await write(carol, at("bob"), "Are you free?");
        await bw.title.filter({ hasText: "carol" }).waitFor();
        const lookBack = await lookAway(bob);
        await sendMessage(alice.page, "Ping");
        await bob.page.waitForFunction(() =>
          (globalThis.__notifications?.length ?? 0) > 0
        );
        assert.deepEqual(await bob.notifications(), [
          { title: "Alice", body: "Ping" },
        ]);
        // Carol is not in bob's roster: her address (issue 14).
        assert.equal(await bw.title.textContent(), at("carol"));
        await bob.clickNotification(0);
        await bw.title.filter({ hasText: "Alice" }).waitFor();
        await lookBack();
      },
    );

    await t.step(
      "no permission: the toaster, whose click opens the chat",
      async () => {
        assert.equal(await aw.title.textContent(), "Bob");
        const lookBack = await lookAway(alice);
        await write(carol, at("alice"), "Alice, can you take a call?");
        await aw.toast.filter({ hasText: "Carol" }).waitFor();
        await lookBack();
        await screenshot(alice.page, "9_alice_toast_1366");
        assert.equal(await aw.title.textContent(), "Bob");
        await aw.toast.click();
        await aw.title.filter({ hasText: "Carol" }).waitFor();
        await aw.toast.waitFor({ state: "detached" });
        assert.deepEqual(await alice.notifications(), []);
      },
    );

    await t.step(
      "Enter on a contact, a click on Recent Chats or on a directory result starts a chat",
      async () => {
        await openPanel(alice.page);
        await a.contact(at("bob")).focus();
        await alice.page.keyboard.press("Enter");
        await aw.title.filter({ hasText: "Bob" }).waitFor();
        // The keyboard goes on in the composer of the chat it opened.
        await aw.composer.and(alice.page.locator(":focus")).waitFor();
        await openPanel(bob.page);
        await b.recentChats.waitFor();
        await b.contact(at("erin")).click();
        await bw.title.filter({ hasText: "erin" }).waitFor();
        await openPanel(bob.page);
        await b.search.fill("frank");
        const frank = b.results.getByRole("option").filter({
          hasText: "Frank Miller",
        });
        await frank.click();
        // Not in bob's roster: the title is the address, not the name the
        // directory gives (issue 14).
        await bw.title.filter({ hasText: at("frank") }).waitFor();
      },
    );

    await t.step("400 px wide: the window fits", async () => {
      await alice.page.setViewportSize({ width: 400, height: 760 });
      await insideViewport(alice.page);
      await screenshot(alice.page, "10_alice_window_400");
      await a.launcher.click();
      await screenshot(alice.page, "11_alice_panel_over_400");
      await bw.minimise.click();
      await screenshot(bob.page, "12_bob_minimised_1366");
    });
  } finally {
    for (const xmpp of headless) await xmpp.stop();
    for (const context of contexts) await context.close();
    await browser?.close();
    await service.stop();
    await prosody.stop();
  }
});
