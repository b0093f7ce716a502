// The conversation in Chromium (issue 13): two agents in two browser
// contexts through the real shell page and service, against a real Prosody,
// with headless clients as the agent's other client and as a colleague who
// signs in and out. Typing awareness, delivery marks, a bounce with Retry,
// the composer closed for a signed-out colleague, carbons, hostile text
// shown inert, chats kept across a refresh and wiped by sign-out. The
// server has no upload service while attachments are on: Send a file is
// disabled with the reason (issue 15).
import assert from "node:assert/strict";
import type { Browser, BrowserContext, Dialog, Page } from "playwright-core";
import { xml } from "@xmpp/xml";
import type { XmppClient } from "../../shared/xmpp/session/client.ts";
import { headlessClient, stanzaArrives } from "../support/headless_client.ts";
import { historyKey } from "../../shared/xmpp/chat/chat_history.ts";
import { launchBrowser, screenshot, startService } from "../support/browser.ts";
import {
  chatWindow,
  inLogView,
  messageRow as row,
  openChatDesktop,
  openPanel,
  sendMessage,
} from "../support/chat_page.ts";
import { putChatServerSettings } from "../support/chat_settings.ts";
import { chat, signIn, signOut } from "../support/desktop_page.ts";
import { startProsody, testUsers } from "../../scripts/servers/prosody.ts";

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
    // No account behind it: the server bounces what is sent (RFC 6121
    // §8.5.1); no subscription, so the composer stays open.
    {
      jid: at("ghost"),
      name: "Ghost",
      groups: ["Old Team"],
      subscription: "none" as const,
    },
  ],
  bob: [agent("alice", "Alice")],
  carol: [agent("alice", "Alice")],
};

const DESKTOP = { width: 1366, height: 768 };
/** Messages in the long chat: enough that most rows are not mounted. */
const BULK = 600;
const NARROW = { width: 400, height: 768 };

const HOSTILE = {
  markup: "<img src=x onerror=alert(1)>",
  script: "javascript:alert(1)",
  word: "Pneumonoultramicroscopicsilicovolcanoconiosis".repeat(4),
  link: "Docs: https://example.com/docs?topic=queues.",
};

/** Takes `name` at 1366×768 and at 400 px wide. */
async function bothWidths(page: Page, name: string): Promise<void> {
  await screenshot(page, `${name}_1366`);
  await page.setViewportSize(NARROW);
  // The window moves inside the narrower viewport on its resize event.
  await page.waitForTimeout(150);
  await screenshot(page, `${name}_400`);
  await page.setViewportSize(DESKTOP);
  await page.waitForTimeout(150);
}

/** Every data-state the row of `text` takes from now on, in order. */
async function recordStates(page: Page, text: string): Promise<void> {
  await page.evaluate((body) => {
    const root = document.querySelector("desktop-chat")?.shadowRoot;
    if (!root) throw new Error("no desktop-chat");
    const seen: string[] = [];
    (globalThis as unknown as { states: string[] }).states = seen;
    const note = () => {
      for (const element of root.querySelectorAll("[data-message-id]")) {
        if (element.querySelector(".message-body")?.textContent !== body) {
          continue;
        }
        const state = element.getAttribute("data-state") ?? "";
        if (seen.at(-1) !== state) seen.push(state);
      }
    };
    note();
    new MutationObserver(note).observe(root, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["data-state"],
    });
  }, text);
}

function recordedStates(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    (globalThis as unknown as { states: string[] }).states
  );
}

Deno.test("the conversation in the browser", async (t) => {
  const prosody = await startProsody({
    users: testUsers(["alice", "bob", "carol"]),
    roster: ROSTER,
    // No XEP-0363 service (mod_http_file_share off), attachments on below.
    upload: false,
  });
  const service = await startService({
    config: { xmppDomain: prosody.domain, defaultPrimary: prosody.boshUrl },
  });
  const contexts: BrowserContext[] = [];
  const headless: XmppClient[] = [];
  const dialogs: string[] = [];
  let browser: Browser | undefined;
  try {
    await putChatServerSettings(service, {
      primary: prosody.boshUrl,
      attachments: { enabled: true, maxBytes: 1024 * 1024, allowedTypes: [] },
    });
    browser = await launchBrowser();
    const alice = await openChatDesktop(browser, service, {
      viewport: DESKTOP,
    });
    const bob = await openChatDesktop(browser, service, { viewport: DESKTOP });
    contexts.push(alice.context, bob.context);
    for (const page of [alice.page, bob.page]) {
      page.on("dialog", (dialog: Dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
    }
    const a = chat(alice.page);
    const aw = chatWindow(alice.page);
    const bw = chatWindow(bob.page);
    let carol = await headlessClient(prosody, "carol", {
      resource: "desk",
      available: false,
    });
    headless.push(carol);
    await carol.send(xml("presence"));

    await t.step("both agents sign in", async () => {
      await signIn(alice.page, "alice", "alice-pw");
      await signIn(bob.page, "bob", "bob-pw");
      await a.contact(at("bob")).filter({ hasText: "Available" }).waitFor({
        timeout: 20_000,
      });
      await chat(bob.page).contact(at("alice")).waitFor({ timeout: 20_000 });
    });

    await t.step(
      "an empty chat says so and invites the first message",
      async () => {
        await a.contact(at("bob")).click();
        await aw.title.filter({ hasText: "Bob" }).waitFor();
        await aw.log.getByText("No messages with Bob yet").waitFor();
        assert.equal(await aw.composer.isEnabled(), true);
        await bothWidths(alice.page, "b2_empty_chat");
      },
    );

    await t.step(
      "no upload service: Send a file is disabled with the reason",
      async () => {
        const reason =
          "The chat server offers no file upload, so files cannot be sent.";
        const sendFile = aw.window.getByRole("button", { name: "Send a file" });
        // Disco at sign-in (XEP-0363 §3) found no upload service.
        await sendFile.and(alice.page.locator(`[title="${reason}"]`)).waitFor();
        assert.equal(await sendFile.getAttribute("aria-disabled"), "true");
        // Keyboard-reachable: Shift+Tab from the composer, and the reason
        // shows on focus, as the button's description.
        await aw.composer.focus();
        await alice.page.keyboard.press("Shift+Tab");
        assert.equal(
          await sendFile.evaluate((button) =>
            button === (button.getRootNode() as ShadowRoot).activeElement
          ),
          true,
        );
        const tip = aw.window.locator(
          `[id="${await sendFile.getAttribute("aria-describedby")}"]`,
        );
        assert.equal((await tip.textContent())?.trim(), reason);
        await tip.and(alice.page.locator("[role=tooltip]")).waitFor();
        await bothWidths(alice.page, "b2_no_upload_service");
        // A click opens no file chooser.
        let chooser = false;
        alice.page.once("filechooser", () => chooser = true);
        await sendFile.click({ force: true });
        await alice.page.waitForTimeout(200);
        assert.equal(chooser, false);
        // The composer is untouched: open, no reason line; the next step
        // sends through it.
        assert.equal(await aw.composer.isEditable(), true);
        assert.equal(
          (await aw.window.locator(".composer-disabled-reason").textContent())
            ?.trim(),
          "",
        );
      },
    );

    await t.step(
      "the first message goes pending → sent → delivered",
      async () => {
        await recordStates(alice.page, "Hello Bob");
        await sendMessage(alice.page, "Hello Bob");
        const mine = row(alice.page, "Hello Bob");
        assert.equal(await mine.getAttribute("data-direction"), "out");
        await mine.and(alice.page.locator("[data-state=delivered]")).waitFor();
        await mine.getByText("Delivered").waitFor({ state: "attached" });
        const states = await recordedStates(alice.page);
        // XEP-0184 §5: delivered only after the receipt; never backwards.
        assert.equal(states[0], "pending", states.join(" → "));
        assert.equal(states.at(-1), "delivered", states.join(" → "));
        assert.ok(
          states.every((state, i) =>
            i === 0 ||
            ["pending", "sent", "delivered"].indexOf(state) >
              ["pending", "sent", "delivered"].indexOf(states[i - 1])
          ),
          states.join(" → "),
        );
        const theirs = row(bob.page, "Hello Bob");
        await theirs.waitFor();
        assert.equal(await theirs.getAttribute("data-direction"), "in");
        assert.equal(await theirs.getAttribute("data-state"), "delivered");
      },
    );

    await t.step("without a receipt a message stays sent", async () => {
      // Carol's headless client answers no receipts (XEP-0184 §5 is optional).
      await openPanel(alice.page);
      await a.contact(at("carol")).click();
      await aw.title.filter({ hasText: "Carol" }).waitFor();
      const arrived = stanzaArrives(
        carol,
        (stanza) =>
          stanza.is("message") && stanza.getChildText("body") === "Carol?",
        "alice's message at carol",
      );
      await sendMessage(alice.page, "Carol?");
      await arrived;
      await row(alice.page, "Carol?").and(
        alice.page.locator("[data-state=sent]"),
      )
        .waitFor();
      // A full round trip with Bob later, still only sent.
      await aw.tab("Bob").click();
      await sendMessage(alice.page, "Still there?");
      await row(alice.page, "Still there?").and(
        alice.page.locator("[data-state=delivered]"),
      ).waitFor();
      await aw.tab("Carol").click();
      assert.equal(
        await row(alice.page, "Carol?").getAttribute("data-state"),
        "sent",
      );
      await aw.tab("Bob").click();
    });

    await t.step(
      "typing shows under the other agent's messages and clears",
      async () => {
        const indicator = bw.window.locator(".typing-indicator");
        assert.equal(await indicator.getAttribute("aria-live"), "polite");
        assert.equal((await indicator.textContent())?.trim(), "");
        await aw.composer.pressSequentially("Let me ch");
        await indicator.filter({ hasText: "Alice is typing…" }).waitFor();
        // XEP-0085 §5.2: a draft emptied is `active`, no longer typing.
        await aw.composer.fill("");
        await indicator.filter({ hasText: /^\s*$/ }).waitFor();
        await aw.composer.pressSequentially("Let me check");
        await indicator.filter({ hasText: "Alice is typing…" }).waitFor();
        await screenshot(bob.page, "b2_typing_1366");
        await aw.composer.press("Enter");
        await row(bob.page, "Let me check").waitFor();
        await indicator.filter({ hasText: /^\s*$/ }).waitFor();
      },
    );

    await t.step(
      "Shift+Enter is a new line; Enter sends both lines",
      async () => {
        await aw.composer.pressSequentially("first line");
        await aw.composer.press("Shift+Enter");
        await aw.composer.pressSequentially("second line");
        assert.equal(await aw.composer.inputValue(), "first line\nsecond line");
        await aw.composer.press("Enter");
        await row(bob.page, "first line\nsecond line").waitFor();
        assert.equal(await aw.composer.inputValue(), "");
      },
    );

    await t.step(
      "reading older messages holds still; new ones wait behind a button",
      async () => {
        const phone = await headlessClient(prosody, "bob", {
          resource: "phone",
          available: false,
        });
        headless.push(phone);
        const update = (n: number) =>
          phone.send(
            xml(
              "message",
              { to: at("alice"), type: "chat", id: `update-${n}` },
              xml(
                "body",
                {},
                `Queue update ${n}: ${"all calm ".repeat(n % 7)}`,
              ),
            ),
          );
        for (let n = 1; n <= 40; n++) await update(n);
        const last = aw.log.locator('[data-message-id="update-40"]');
        await last.waitFor();
        // Held at the bottom while the agent is there.
        assert.ok(await inLogView(alice.page, last), "the newest is in view");
        await aw.log.evaluate((element) => (element.scrollTop = 0));
        const first = row(alice.page, "Hello Bob");
        await first.waitFor();
        await alice.page.waitForTimeout(200);
        const before = await first.boundingBox();
        await update(41);
        const jump = aw.window.getByRole("button", { name: "New message" });
        await jump.waitFor();
        const after = await first.boundingBox();
        assert.ok(before && after);
        assert.ok(Math.abs(after.y - before.y) < 1, `${before.y} → ${after.y}`);
        await screenshot(alice.page, "b2_new_messages_1366");
        await jump.click();
        await jump.waitFor({ state: "detached" });
        const newest = aw.log.locator('[data-message-id="update-41"]');
        assert.ok(await inLogView(alice.page, newest), "the jump shows it");
      },
    );

    await t.step("hostile text arrives as inert text", async () => {
      for (const text of Object.values(HOSTILE)) {
        await sendMessage(bob.page, text);
        await row(alice.page, text).waitFor();
      }
      const log = aw.log;
      assert.equal(await log.locator("img").count(), 0);
      assert.equal(
        await log.locator("a").filter({ hasText: "javascript" }).count(),
        0,
      );
      const links = await log.locator("a").evaluateAll((anchors) =>
        anchors.map((anchor) => [
          anchor.getAttribute("href"),
          anchor.getAttribute("rel"),
          anchor.getAttribute("target"),
          anchor.textContent,
        ])
      );
      assert.deepEqual(links, [[
        "https://example.com/docs?topic=queues",
        "noopener noreferrer",
        "_blank",
        "https://example.com/docs?topic=queues",
      ]]);
      // The long word wraps inside its bubble: nothing scrolls sideways.
      const bubble = row(alice.page, HOSTILE.word).locator(".message-bubble");
      const fits = await log.evaluate((element) =>
        element.scrollWidth <= element.clientWidth
      );
      assert.ok(fits, "the message list scrolls sideways");
      const [bubbleBox, logBox] = [
        await bubble.boundingBox(),
        await log.boundingBox(),
      ];
      assert.ok(bubbleBox && logBox);
      assert.ok(bubbleBox.x + bubbleBox.width <= logBox.x + logBox.width);
      await alice.page.waitForTimeout(300);
      assert.deepEqual(dialogs, []);
      await bothWidths(alice.page, "b2_long_words");
    });

    await t.step(
      "minimised and restored, the chat is where it was",
      async () => {
        const newest = row(alice.page, HOSTILE.link);
        assert.ok(await inLogView(alice.page, newest), "the newest is in view");
        await aw.minimise.click();
        await aw.window.and(alice.page.locator("[data-minimised=true]"))
          .waitFor();
        await aw.restore.click();
        await aw.window.and(alice.page.locator("[data-minimised=false]"))
          .waitFor();
        await alice.page.waitForTimeout(200);
        assert.ok(await inLogView(alice.page, newest), "the newest is in view");
      },
    );

    await t.step(
      "a message from the agent's other client appears (carbons)",
      async () => {
        const phone = await headlessClient(prosody, "alice", {
          resource: "phone",
          available: false,
        });
        headless.push(phone);
        await phone.send(
          xml(
            "message",
            { to: at("bob"), type: "chat", id: "from-phone-1" },
            xml("body", {}, "Sent from my phone"),
          ),
        );
        const carbon = alice.page.locator('[data-message-id="from-phone-1"]');
        await carbon.waitFor();
        assert.equal(await carbon.getAttribute("data-direction"), "out");
        await row(bob.page, "Sent from my phone").waitFor();
        await screenshot(alice.page, "b2_carbon_1366");
      },
    );

    await t.step(
      "a bounced message is marked failed, with the reason and Retry",
      async () => {
        await openPanel(alice.page);
        await a.contact(at("ghost")).click();
        await aw.title.filter({ hasText: "Ghost" }).waitFor();
        await sendMessage(alice.page, "Anyone home?");
        const failed = row(alice.page, "Anyone home?");
        await failed.and(alice.page.locator("[data-state=failed]")).waitFor();
        await failed.locator(".message-failure").filter({
          hasText: "Not delivered: Ghost cannot receive messages now.",
        }).waitFor();
        await failed.getByText("Not sent").waitFor({ state: "attached" });
        await bothWidths(alice.page, "b2_failed_message");
        await recordStates(alice.page, "Anyone home?");
        await failed.getByRole("button", { name: "Retry" }).click();
        await alice.page.waitForFunction(() =>
          (globalThis as unknown as { states: string[] }).states.join() ===
            "failed,pending,failed" ||
          (globalThis as unknown as { states: string[] }).states.join() ===
            "failed,pending,sent,failed"
        );
        // Kept in its place with its id: still one row.
        assert.equal(await failed.count(), 1);
      },
    );

    await t.step(
      "the composer is closed while a colleague is signed out",
      async () => {
        await aw.tab("Carol").click();
        await aw.title.filter({ hasText: "Carol" }).waitFor();
        assert.equal(await aw.composer.isEnabled(), true);
        await aw.composer.fill("draft for Carol");
        // A draft survives a look at another chat.
        await aw.tab("Bob").click();
        assert.equal(await aw.composer.inputValue(), "");
        await aw.tab("Carol").click();
        assert.equal(await aw.composer.inputValue(), "draft for Carol");
        await carol.stop();
        const reason = aw.window.locator(".composer-disabled-reason");
        await reason.filter({ hasText: "Carol is signed out." }).waitFor();
        assert.equal(await aw.composer.isDisabled(), true);
        await bothWidths(alice.page, "b2_disabled_composer");
        // Live: she signs in, the composer opens with the draft kept.
        carol = await headlessClient(prosody, "carol", {
          resource: "desk",
          available: false,
        });
        headless.push(carol);
        await carol.send(xml("presence"));
        await aw.window.locator('textarea[aria-label="Message"]:enabled')
          .waitFor();
        assert.equal((await reason.textContent())?.trim(), "");
        assert.equal(await aw.composer.inputValue(), "draft for Carol");
      },
    );

    await t.step("a long chat mounts only the rows in view", async () => {
      const phone = await headlessClient(prosody, "bob", {
        resource: "bulk",
        available: false,
      });
      headless.push(phone);
      await aw.tab("Bob").click();
      const sends: Promise<void>[] = [];
      for (let n = 1; n <= BULK; n++) {
        sends.push(phone.send(
          xml(
            "message",
            { to: at("alice"), type: "chat", id: `bulk-${n}` },
            xml("body", {}, `Bulk ${n} ${"word ".repeat(n % 30)}`),
          ),
        ));
      }
      await Promise.all(sends);
      const last = aw.log.locator(`[data-message-id="bulk-${BULK}"]`);
      await last.waitFor({ timeout: 20_000 });
      assert.ok(await inLogView(alice.page, last), "held at the newest");
      const mounted = await aw.log.locator("[data-message-id]").count();
      assert.ok(mounted < 60, `${mounted} rows mounted`);
      // To the oldest and back, as an agent flinging the scrollbar would.
      await aw.log.evaluate((element) => (element.scrollTop = 0));
      const oldest = row(alice.page, "Hello Bob");
      await oldest.waitFor();
      await alice.page.waitForTimeout(200);
      assert.ok(await inLogView(alice.page, oldest), "the oldest in view");
      await aw.log.evaluate((
        element,
      ) => (element.scrollTop = element.scrollHeight));
      await last.waitFor();
      await alice.page.waitForTimeout(200);
      assert.ok(await inLogView(alice.page, last), "the newest in view again");
    });

    await t.step("a refresh keeps the chats and their messages", async () => {
      await alice.page.reload();
      await a.launcher.click();
      await signIn(alice.page, "alice", "alice-pw");
      await a.tree.waitFor({ timeout: 20_000 });
      // The chats come back in a minimised window, as a new chat would.
      await aw.window.waitFor();
      if (await aw.window.getAttribute("data-minimised") === "true") {
        await aw.restore.click();
      }
      await aw.tab("Bob").waitFor();
      await aw.tab("Carol").waitFor();
      await aw.tab("Bob").click();
      await aw.log.locator(`[data-message-id="bulk-${BULK}"]`).waitFor();
      // The oldest, with its state, after scrolling up to it.
      await aw.log.evaluate((element) => (element.scrollTop = 0));
      await row(alice.page, "Hello Bob").and(
        alice.page.locator("[data-state=delivered]"),
      ).waitFor();
    });

    await t.step("sign-out wipes them", async () => {
      await openPanel(alice.page);
      await signOut(alice.page);
      const kept = await alice.page.evaluate(
        (key) => sessionStorage.getItem(key),
        historyKey(at("alice")),
      );
      assert.equal(kept, null);
      await signIn(alice.page, "alice", "alice-pw");
      await a.tree.waitFor({ timeout: 20_000 });
      await a.contact(at("bob")).waitFor();
      assert.equal(await aw.tabs.count(), 0);
      assert.equal(await row(alice.page, "Hello Bob").count(), 0);
    });

    assert.deepEqual(dialogs, []);
  } finally {
    for (const xmpp of headless) {
      if (xmpp.status !== "offline" && xmpp.status !== "disconnect") {
        await xmpp.stop().catch((error: unknown) => console.error(error));
      }
    }
    for (const context of contexts) await context.close();
    await browser?.close();
    await service.stop();
    await prosody.stop();
  }
});
