// The hostile-input corpus (issue 14 item 7) through a real Prosody into the
// real element in Chromium. Every text entry arrives as message text (a
// burst from one colleague, one message from each of many), as the display
// name the agent's roster gives a contact (seeded before sign-in and pushed
// live from the agent's second resource), as a contact's vCard FN, as a
// group name and as a contact's presence status; the 1 MB status too. Raw
// XML bombs go to the server from a signed-in raw client. Asserted inert:
// no dialog, no foreign element, no navigation, layout intact. File names
// (issue 15) join the channels when attachments exist.
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import {
  HOSTILE_TEXTS,
  MEGA_STATUS,
  wireText,
} from "../fixtures/hostile_inputs.ts";
import { HOSTILE_STANZAS } from "../fixtures/hostile_stanzas.ts";
import { startProsody, testUsers } from "../../scripts/servers/prosody.ts";
import { PRESENCE_LIMITS } from "../../shared/xmpp/presence/presence_state.ts";
import { launchBrowser, screenshot, startService } from "../support/browser.ts";
import {
  chatWindow,
  messageRow,
  openChatDesktop,
  openPanel,
  sendMessage,
} from "../support/chat_page.ts";
import { chat, signIn } from "../support/desktop_page.ts";
import { foreignElements, installProbe } from "../support/hostile_probe.ts";
import {
  layoutFaults,
  revealRow,
  scanList,
} from "../support/hostile_layout.ts";
import {
  pingServer,
  pooled,
  rawChat,
  rawPresence,
  rawRosterSet,
  rawSignIn,
  type RawStream,
  throwBombs,
} from "../support/hostile_stream.ts";

const DOMAIN = "localhost";
const at = (name: string) => `${name}@${DOMAIN}`;
const both = "both" as const;
const TEXTS = HOSTILE_TEXTS.map((entry) => wireText(entry.text));
const N = TEXTS.length;
const named = (prefix: string) => TEXTS.map((_, i) => `${prefix}${i}`);
/** Roster name and group: the agent's own roster gives them. */
const NAMED = named("h");
/** No roster name: the vCard FN is the display name (issue 13 order). */
const CARDS = named("v");
/** Pushed live from the agent's second resource: every fifth entry. */
const PUSHED = TEXTS.flatMap((text, i) => i % 5 === 0 ? [{ i, text }] : []);
const END = "end of the burst";
const AFTER_BOMBS = "still here after the bombs";
const DESKTOP = { width: 1366, height: 768 };
const NARROW = { width: 400, height: 768 };

const back = [{ jid: at("alice"), groups: ["Agents"], subscription: both }];
const emptyCard = { nick: "", given: "", family: "", email: "" };

Deno.test("the hostile-input corpus stays inert in the element", async (t) => {
  const prosody = await startProsody({
    users: testUsers(["alice", "bob", "mega", "bomber", ...NAMED, ...CARDS]),
    roster: {
      alice: [
        { jid: at("bob"), name: "Bob", groups: ["Agents"], subscription: both },
        {
          jid: at("mega"),
          name: "Mega Status",
          groups: ["Agents"],
          subscription: both,
        },
        ...NAMED.map((user, i) => ({
          jid: at(user),
          name: TEXTS[i],
          groups: [TEXTS[i]],
          subscription: both,
        })),
        ...CARDS.map((user) => ({
          jid: at(user),
          groups: ["vCard names"],
          subscription: both,
        })),
      ],
      bob: back,
      mega: back,
      ...Object.fromEntries([...NAMED, ...CARDS].map((user) => [user, back])),
    },
    vcards: Object.fromEntries(
      CARDS.map((user, i) => [user, { fn: TEXTS[i], ...emptyCard }]),
    ),
    // Prosody refuses a stanza over 256 KiB (c2s_stanza_size_limit); the
    // 1 MB status must reach the element to show it bounds what it shows.
    stanzaSizeLimit: 2 * 1024 * 1024,
  });
  const service = await startService({
    config: { xmppDomain: prosody.domain, defaultPrimary: prosody.boshUrl },
  });
  const target = { wsUrl: prosody.wsUrl, domain: prosody.domain };
  const streams: RawStream[] = [];
  const dialogs: string[] = [];
  const navigations: string[] = [];
  let browser: Browser | undefined;
  let bob: RawStream | undefined;
  try {
    browser = await launchBrowser();
    const desk = await openChatDesktop(browser, service, { viewport: DESKTOP });
    const page = desk.page;
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const ui = chat(page);
    const win = chatWindow(page);

    await t.step(
      "the agent signs in to a roster of hostile names",
      async () => {
        await signIn(page, "alice", "alice-pw");
        await ui.tree.locator("[role=treeitem]").first().waitFor({
          timeout: 20_000,
        });
        await installProbe(page);
        page.on("framenavigated", (frame) => {
          if (frame === page.mainFrame()) navigations.push(frame.url());
        });
      },
    );

    await t.step("hostile text arrives on every channel", async () => {
      // The agent's other client renames contacts (RFC 6121 §2.1.2.2):
      // each set comes to the page as a roster push (§2.1.6).
      const second = await rawSignIn(target, "alice", "second");
      streams.push(second);
      for (const { i, text } of PUSHED) {
        second.send(rawRosterSet(`r${i}@${DOMAIN}`, text, text));
      }
      await pingServer(second, prosody.domain);
      const alice = at("alice");
      await Promise.all([
        pooled(NAMED, 8, async (user, i) => {
          const stream = await rawSignIn(target, user);
          streams.push(stream);
          stream.send(rawPresence(TEXTS[i]));
        }),
        pooled(CARDS, 8, async (user, i) => {
          const stream = await rawSignIn(target, user);
          streams.push(stream);
          stream.send(rawPresence());
          stream.send(rawChat(alice, TEXTS[i]));
          await pingServer(stream, prosody.domain);
        }),
        (async () => {
          const mega = await rawSignIn(target, "mega");
          streams.push(mega);
          mega.send(rawPresence(MEGA_STATUS));
          await pingServer(mega, prosody.domain);
        })(),
      ]);
      // After the others: the window keeps CHAT_LIMITS.openChats chats and
      // closes the oldest not shown, which would cut Bob's burst short.
      bob = await rawSignIn(target, "bob");
      streams.push(bob);
      bob.send(rawPresence());
      for (const text of [...TEXTS, END]) bob.send(rawChat(alice, text));
      // Bob's row is far below the hostile groups: the filter finds him.
      await openPanel(page);
      await ui.search.fill("Bob");
      await ui.contact(at("bob")).click();
      await ui.search.fill("");
      await win.title.filter({ hasText: "Bob" }).waitFor();
      await messageRow(page, END).waitFor({ timeout: 20_000 });
      // The agent's own hostile text, typed in the composer.
      for (const name of ["script-plain", "zalgo-word", "lone-high"]) {
        const entry = HOSTILE_TEXTS.find((e) => e.name === name);
        assert.ok(entry);
        await sendMessage(page, entry.text);
      }
      await win.log.locator("[data-direction=out]").nth(2).waitFor();
    });

    await t.step("every channel shows the text as text", async () => {
      await openPanel(page);
      const tree = await scanList(page, ".contact-tree", "data-jid");
      const detailCap = "Available · ".length + PRESENCE_LIMITS.statusLength;
      for (const [i, user] of NAMED.entries()) {
        const row = tree.rows[at(user)];
        assert.ok(row, `${HOSTILE_TEXTS[i].name}: contact row`);
        assert.match(row.detail, /^Available/, HOSTILE_TEXTS[i].name);
      }
      for (const user of CARDS) assert.ok(at(user) in tree.rows, user);
      for (const { i } of PUSHED) {
        assert.ok(`r${i}@${DOMAIN}` in tree.rows, `pushed r${i}`);
      }
      const mega = tree.rows[at("mega")];
      assert.ok(mega, "the 1 MB status contact");
      assert.match(mega.detail, /^Available · Busy with queue 7\./);
      assert.ok(mega.detail.length <= detailCap, `${mega.detail.length}`);
      const log = await scanList(
        page,
        "[role=log].message-list",
        "data-message-id",
      );
      const bodies = Object.values(log.rows).map((row) => row.detail);
      // The burst, its end and the agent's three, markup shown as text.
      assert.ok(bodies.length >= N + 4, `${bodies.length} messages seen`);
      assert.ok(bodies.includes(END));
      assert.ok(bodies.includes("<img src=x onerror=alert(1)>"));
      const script = NAMED[
        HOSTILE_TEXTS.findIndex((e) => e.name === "script-plain")
      ];
      assert.equal(tree.rows[at(script)]?.name, "<script>alert(1)</script>");
      // A name and status of zero-width spaces only are no name and no
      // status: the row shows the address, not a blank.
      const blank = NAMED[
        HOSTILE_TEXTS.findIndex((e) => e.name === "zwsp-only")
      ];
      assert.deepEqual(tree.rows[at(blank)], {
        name: at(blank),
        detail: "Available",
      });
      assert.deepEqual([...tree.faults, ...log.faults], []);
      await screenshot(page, "hostile_contacts_1366");
    });

    await t.step(
      "the window, tabs and list stay laid out at both widths",
      async () => {
        assert.ok((await win.tabs.count()) > 1);
        // More chats than tabs: the rest are in the "More chats" menu.
        await win.more.click();
        const items = page.getByRole("menuitem");
        await items.first().waitFor();
        assert.ok((await items.count()) > 10);
        // Chats with the vCard-named contacts go by their FN, not by the
        // address's local part (`v12`), unless the FN draws nothing.
        const blank = CARDS[
          HOSTILE_TEXTS.findIndex((e) => e.name === "zwsp-only")
        ];
        const labels = await items.allTextContents();
        assert.deepEqual(
          labels.filter((label) =>
            /^v\d+\b/.test(label) && !label.startsWith(`${blank} `)
          ),
          [],
        );
        assert.deepEqual(await layoutFaults(page), []);
        await screenshot(page, "hostile_more_chats_1366");
        await page.keyboard.press("Escape");
        await screenshot(page, "hostile_chat_1366");
        await page.setViewportSize(NARROW);
        await page.waitForTimeout(200);
        const log = await scanList(
          page,
          "[role=log].message-list",
          "data-message-id",
        );
        assert.deepEqual(log.faults, []);
        await screenshot(page, "hostile_chat_400");
        // The list behind the window, around the name of zero-width spaces.
        await win.minimise.click();
        await openPanel(page);
        const tree = await scanList(page, ".contact-tree", "data-jid");
        assert.deepEqual(tree.faults, []);
        const invisible = HOSTILE_TEXTS.findIndex((e) =>
          e.name === "zwsp-only"
        );
        const row = `[data-jid="${at(NAMED[invisible])}"]`;
        assert.ok(await revealRow(page, ".contact-tree", row));
        await screenshot(page, "hostile_contacts_400");
        await page.setViewportSize(DESKTOP);
        await win.restore.click();
      },
    );

    await t.step(
      "raw XML bombs: the server answers, the element stays",
      async () => {
        const answers = await throwBombs(
          target,
          "bomber",
          at("alice"),
          HOSTILE_STANZAS,
        );
        console.log(`Prosody's answers:\n  ${answers.join("\n  ")}`);
        // RFC 6120 §11.1: a stream with a DOCTYPE is refused.
        assert.match(answers[0], /^billion-laughs-stream: stream closed/);
        assert.ok(bob);
        bob.send(rawChat(at("alice"), AFTER_BOMBS));
        await messageRow(page, AFTER_BOMBS).waitFor();
      },
    );

    await t.step(
      "a 10 kB name heads the chat window at both widths",
      async () => {
        // The vCard FN of 10 kB without a space (the parser keeps 256).
        await win.more.click();
        await page.getByRole("menuitem", { name: /^WWWW/ }).click();
        await win.title.filter({ hasText: /^WWWW/ }).waitFor();
        assert.deepEqual(await layoutFaults(page), []);
        await screenshot(page, "hostile_title_1366");
        await page.setViewportSize(NARROW);
        await page.waitForTimeout(200);
        assert.deepEqual(await layoutFaults(page), []);
        await screenshot(page, "hostile_title_400");
        await page.setViewportSize(DESKTOP);
      },
    );

    await t.step(
      "nothing ran, nothing was injected, nothing navigated",
      async () => {
        assert.deepEqual(await foreignElements(page), []);
        assert.deepEqual(dialogs, []);
        assert.deepEqual(navigations, []);
      },
    );
  } finally {
    for (const stream of streams) stream.socket.close();
    await browser?.close();
    await service.stop();
    await prosody.stop();
  }
});
