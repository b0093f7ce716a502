// The hostile-input corpus (issue 14 item 7) through a real Prosody into the
// real element in Chromium. Every text entry arrives as message text (a
// burst from one colleague, one message from each of many), as the display
// name the agent's roster gives a contact (seeded before sign-in and pushed
// live from the agent's second resource), as a contact's vCard FN, as a
// group name, as a contact's presence status and as the name of a file
// offered (issue 15); the 1 MB status too. Raw XML bombs go to the server
// from a signed-in raw client. Asserted inert: no dialog, no foreign
// element, no navigation, layout intact.
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import {
  HOSTILE_TEXTS,
  MEGA_STATUS,
  wireText,
} from "../fixtures/hostile_inputs.ts";
import { HOSTILE_STANZAS } from "../fixtures/hostile_stanzas.ts";
import { startProsody, testUsers } from "../../scripts/servers/prosody.ts";
import { PRESENCE_LIMITS } from "../../shared/xmpp/presence/presence_state.ts";
import { ParseError } from "../../shared/xmpp/core/errors.ts";
import { sanitizeFileName } from "../../shared/xmpp/files/file_name.ts";
import { parseFileOffer } from "../../shared/xmpp/files/file_offer.ts";
import { launchBrowser, screenshot, startService } from "../support/browser.ts";
import {
  chatWindow,
  messageRow,
  openChatDesktop,
  openPanel,
  sendMessage,
} from "../support/chat_page.ts";
import { putChatServerSettings } from "../support/chat_settings.ts";
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
  rawFileOffer,
  rawPresence,
  rawRosterSet,
  rawSignIn,
  type RawStream,
  throwBombs,
} from "../support/hostile_stream.ts";
import { parseXml } from "../support/xml_text.ts";

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

/** Offers each text as a file name (issue 15). */
const FILER = "filer";
const ATTACHMENTS = {
  enabled: true,
  maxBytes: 10 * 1024 * 1024,
  // Accept shows on most cards; a name ending ".exe" and the like is
  // refused (file_policy.ts EXECUTABLE), so both card forms are seen.
  allowedTypes: ["application/octet-stream"],
};

const back = [{ jid: at("alice"), groups: ["Agents"], subscription: both }];
const emptyCard = { nick: "", given: "", family: "", email: "" };

Deno.test("the hostile-input corpus stays inert in the element", async (t) => {
  const prosody = await startProsody({
    users: testUsers([
      "alice",
      "bob",
      "mega",
      "bomber",
      FILER,
      ...NAMED,
      ...CARDS,
    ]),
    roster: {
      alice: [
        { jid: at("bob"), name: "Bob", groups: ["Agents"], subscription: both },
        {
          jid: at("mega"),
          name: "Mega Status",
          groups: ["Agents"],
          subscription: both,
        },
        {
          jid: at(FILER),
          name: "Files",
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
      [FILER]: back,
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
  await putChatServerSettings(service, {
    primary: prosody.boshUrl,
    attachments: ATTACHMENTS,
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
      "hostile file names: shown sanitised, cut with an ellipsis",
      async () => {
        // One burst of offers from one colleague; their URLs name the
        // server's upload host but are never fetched (nothing is accepted).
        const filer = await rawSignIn(target, FILER);
        streams.push(filer);
        filer.send(rawPresence());
        const host = prosody.uploadJid ?? `upload.${DOMAIN}`;
        const offers = TEXTS.map((text, i) =>
          rawFileOffer(
            at("alice"),
            `f${i}`,
            text,
            `https://${host}/share/f${i}/file.bin`,
          )
        );
        for (const offer of offers) filer.send(offer);
        await pingServer(filer, prosody.domain);
        // What the product's own offer parser makes of each name.
        const expected = offers.map((raw) => {
          const stanza = parseXml(raw);
          (stanza.attrs as Record<string, string>).from = `${at(FILER)}/raw`;
          const offer = parseFileOffer(stanza, { allowHttp: false });
          if (offer instanceof ParseError) throw offer;
          return offer.name;
        });
        await openPanel(page);
        await ui.search.fill("Files");
        await ui.contact(at(FILER)).click();
        await ui.search.fill("");
        await win.title.filter({ hasText: "Files" }).waitFor();
        const key = (i: number) => `in:${at(FILER)}:f${i}`;
        await win.log.locator(`[data-file-key="${key(N - 1)}"]`).waitFor();
        // The list is walked once per width (a second or so each); the
        // walk checking every row's layout only at the narrow one.
        const shown = (i: number) => `[data-file-key="${key(i)}"]`;
        const nameOf = (name: string) =>
          HOSTILE_TEXTS.findIndex((e) => e.name === name);
        for (
          const [size, focus, shot] of [
            [DESKTOP, nameOf("10kb-no-spaces"), "hostile_files_1366"],
            [NARROW, nameOf("rlo-extension"), "hostile_files_400"],
          ] as const
        ) {
          await page.setViewportSize(size);
          await page.waitForTimeout(200);
          if (size === NARROW) {
            const log = await scanList(
              page,
              "[role=log].message-list",
              "data-file-key",
            );
            assert.deepEqual(log.faults, []);
          }
          const cards = await fileCards(page);
          for (const [i, entry] of HOSTILE_TEXTS.entries()) {
            const card = cards[key(i)];
            assert.ok(card, `${entry.name}: no card`);
            const what = `${entry.name} → ${JSON.stringify(card.name)}`;
            assert.equal(card.name, expected[i], what);
            // The sanitiser's contract (file_name.ts): no path separator,
            // control or format character (bidi overrides among them).
            assert.doesNotMatch(card.name, /[/\\\p{Cc}\p{Cf}]/u, what);
            assert.equal(sanitizeFileName(card.name), card.name, what);
            assert.equal(card.title, card.name, what);
            assert.deepEqual(card.faults, [], what);
          }
          assert.ok(
            await revealRow(page, "[role=log].message-list", shown(focus)),
          );
          assert.deepEqual(await layoutFaults(page), [], `${size.width} px`);
          await screenshot(page, shot);
        }
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

/** A file card's shown name, its title and what is wrong with it. */
interface FileCardSeen {
  readonly name: string;
  readonly title: string;
  readonly faults: string[];
}

/**
 * Every file card of the open chat's log (a virtual list, walked a screen
 * at a time like scanList), by data-file-key: the name holds only text, and
 * a name wider than its box is cut with an ellipsis.
 */
function fileCards(page: Page): Promise<Record<string, FileCardSeen>> {
  return page.evaluate(async () => {
    const root = document.querySelector("desktop-chat")?.shadowRoot;
    const list = root?.querySelector<HTMLElement>("[role=log].message-list");
    if (!list) throw new Error("no message list");
    const rendered = () =>
      new Promise((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(resolve))
      );
    const seen: Record<string, FileCardSeen> = {};
    list.scrollTop = 0;
    await rendered();
    for (let stop = 0; stop < 1000; stop++) {
      for (const card of list.querySelectorAll("[data-file-key]")) {
        const name = card.querySelector<HTMLElement>(".file-name");
        if (!name) throw new Error("a file card without .file-name");
        const faults: string[] = [];
        if (name.childElementCount > 0) faults.push("markup in the name");
        if (
          name.scrollWidth > name.clientWidth + 1 &&
          getComputedStyle(name).textOverflow !== "ellipsis"
        ) faults.push("cut without an ellipsis");
        if (card.scrollWidth > card.clientWidth + 1) faults.push("overflows");
        seen[card.getAttribute("data-file-key") ?? ""] = {
          name: name.textContent ?? "",
          title: name.title,
          faults,
        };
      }
      if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) break;
      list.scrollTop += list.clientHeight;
      await rendered();
    }
    return seen;
  });
}
