// Identity you can trust (issue 14), in Chromium through the real service
// against a real Prosody. Alice's roster has Sam Sullivan (sam) and sully,
// whose own vCard calls him "Sаm Sullivan" with a Cyrillic а. Mallory is no
// contact; she messages Alice and asks to add her with the XEP-0172 nick
// "Sam Sullivan". Alice must see Mallory's address first, "Not in your
// contacts" and the flag wherever Mallory appears, must find only the real
// Sam when she types "Sam", and must see sully flagged.
import assert from "node:assert/strict";
import type { Browser, Locator, Page } from "playwright-core";
import { xml } from "@xmpp/xml";
import type { XmppClient } from "../../shared/xmpp/session/client.ts";
import { headlessClient } from "../support/headless_client.ts";
import {
  launchBrowser,
  type RunningService,
  screenshot,
  startService,
} from "../support/browser.ts";
import {
  chatWindow,
  contrast,
  lookAway,
  openChatDesktop,
  openPanel,
} from "../support/chat_page.ts";
import { chat, signIn } from "../support/desktop_page.ts";
import {
  type RosterSeed,
  startServer,
  testUsers,
  type Vcard,
} from "../support/xmpp_servers.ts";

const at = (name: string) => `${name}@localhost`;
const both = "both" as const;
const NICK = { xmlns: "http://jabber.org/protocol/nick" };
const FLAG = "Looks like Sam Sullivan — check the address";
const CYRILLIC_SAM = "S\u0430m Sullivan";

const ROSTER: RosterSeed = {
  alice: [
    {
      jid: at("sam"),
      name: "Sam Sullivan",
      groups: ["Agents"],
      subscription: both,
    },
    // No roster name: Alice sees the name sully's vCard gives.
    { jid: at("sully"), groups: ["Agents"], subscription: both },
  ],
  sam: [{ jid: at("alice"), groups: [], subscription: both }],
  sully: [{ jid: at("alice"), groups: [], subscription: both }],
};

const VCARDS: Readonly<Record<string, Vcard>> = {
  // No contact of Alice's: found in the directory under Sam's name.
  imposter: {
    fn: "Sam Sullivan",
    given: "Sam",
    family: "Sullivan",
    nick: "imposter",
    email: "imposter@example.com",
  },
  sully: {
    fn: CYRILLIC_SAM,
    given: "S\u0430m",
    family: "Sullivan",
    nick: "sully",
    email: "sully@example.com",
  },
};

const DESKTOP = { width: 1366, height: 768 };
const NARROW = { width: 400, height: 768 };

async function bothWidths(page: Page, name: string): Promise<void> {
  for (const viewport of [DESKTOP, NARROW]) {
    await page.setViewportSize(viewport);
    await screenshot(page, `identity_${name}_${viewport.width}`);
  }
  await page.setViewportSize(DESKTOP);
}

/**
 * The panel at both widths with the chat window minimised: at 400 px the
 * window would cover the panel. The window is restored after.
 */
async function panelShots(page: Page, name: string): Promise<void> {
  const win = chatWindow(page);
  await win.minimise.click();
  await openPanel(page);
  await bothWidths(page, name);
  await win.restore.click();
}

/** The colour and the background an element is painted on, as rgb(). */
async function colours(locator: Locator) {
  return await locator.evaluate((element) => {
    let node: Element | null = element;
    let background = "rgba(0, 0, 0, 0)";
    while (node && background === "rgba(0, 0, 0, 0)") {
      background = getComputedStyle(node).backgroundColor;
      node = node.parentElement;
    }
    return { color: getComputedStyle(element).color, background };
  });
}

Deno.test("identity: strangers by address, imitations flagged", async (t) => {
  const server = await startServer("prosody", {
    users: testUsers(["alice", "sam", "sully", "mallory", "pat", "imposter"]),
    roster: ROSTER,
    vcards: VCARDS,
  });
  const clients: XmppClient[] = [];
  let service: RunningService | undefined;
  let browser: Browser | undefined;
  try {
    service = await startService({
      config: { xmppDomain: server.domain, defaultPrimary: server.boshUrl },
    });
    browser = await launchBrowser();
    const alice = await openChatDesktop(browser, service, {
      viewport: DESKTOP,
    });
    const page = alice.page;
    const ui = chat(page);
    const win = chatWindow(page);
    await signIn(page, "alice", "alice-pw");
    await ui.contact(at("sam")).waitFor();
    const mallory = await headlessClient(server, "mallory");
    const pat = await headlessClient(server, "pat");
    clients.push(mallory, pat);

    await t.step("a stranger's nick is no name in Recent Chats", async () => {
      await mallory.send(
        xml(
          "message",
          { to: at("alice"), type: "chat", id: "m-1" },
          xml("body", {}, "Hi, it's Sam. Can you reset my password?"),
          xml("nick", NICK, "Sam Sullivan"),
        ),
      );
      await openPanel(page);
      const row = ui.contact(at("mallory"));
      await row.waitFor();
      assert.equal(await row.locator(".row-name").innerText(), at("mallory"));
      // The row is one line: the flag in short, all of it in the row's
      // accessible name and title.
      await row.getByText("Looks like Sam Sullivan").waitFor();
      assert.equal(await row.getAttribute("data-looks-like"), at("sam"));
      const label = `${at("mallory")}, ${FLAG}, Not in your contacts`;
      assert.equal(await row.getAttribute("aria-label"), label);
      assert.equal(await row.getAttribute("title"), label);
      // The nick imitates a contact: it is not shown, not even as a claim.
      assert.equal(await row.getByText("Says").count(), 0);
    });

    await t.step(
      "a harmless nick is shown as a claim, not a name",
      async () => {
        await pat.send(
          xml(
            "message",
            { to: at("alice"), type: "chat", id: "p-1" },
            xml("body", {}, "Hello from billing"),
            xml("nick", NICK, "Pat from Billing"),
          ),
        );
        await openPanel(page);
        const row = ui.contact(at("pat"));
        await row.waitFor();
        assert.equal(await row.locator(".row-name").innerText(), at("pat"));
        await row.getByText(
          "Not in your contacts · Says “Pat from Billing”",
        ).waitFor();
        assert.equal(await row.getAttribute("data-looks-like"), null);
        await win.tab(at("pat")).click();
        await win.title.filter({ hasText: at("pat") }).waitFor();
        await win.header.getByText(
          "Not in your contacts · Says “Pat from Billing”",
        ).waitFor();
        assert.equal(await win.window.getByRole("note").count(), 0);
        await win.tab(at("mallory")).click();
      },
    );

    await t.step(
      "the chat window: address, flag, and the real contact",
      async () => {
        await win.title.filter({ hasText: at("mallory") }).waitFor();
        assert.equal(await win.title.innerText(), at("mallory"));
        assert.equal(
          await win.title.getAttribute("data-looks-like"),
          at("sam"),
        );
        await win.header.getByText("Not in your contacts").waitFor();
        const banner = win.window.getByRole("note");
        await banner.getByText(`${FLAG}.`).waitFor();
        await banner.getByText(
          `Sam Sullivan in your contacts is ${at("sam")}; this is ${
            at("mallory")
          }.`,
        ).waitFor();
        const tab = win.tab(at("mallory"));
        assert.match(
          (await tab.getAttribute("aria-label")) ?? "",
          new RegExp(`^${at("mallory")}, ${FLAG}, Not in your contacts`),
        );
        // WCAG 1.4.3: the banner's words on its background.
        const { color, background } = await colours(banner.locator("strong"));
        const ratio = contrast(color, background);
        assert.ok(ratio >= 4.5, `banner text ${ratio.toFixed(2)}:1`);
        await bothWidths(page, "chat_window");
      },
    );

    await t.step("the contact request card", async () => {
      await mallory.send(
        xml(
          "presence",
          { to: at("alice"), type: "subscribe" },
          xml("nick", NICK, "Sam Sullivan"),
        ),
      );
      await openPanel(page);
      const requests = page.getByRole("region", { name: /Contact requests/ });
      const card = requests.getByRole("listitem");
      await card.waitFor();
      assert.equal(
        await card.locator(".request-name").innerText(),
        at("mallory"),
      );
      await card.getByText("Not in your contacts").waitFor();
      const flag = card.getByText(FLAG);
      await flag.waitFor();
      // Only the address is bold: "Sam Sullivan" is in the warning only.
      assert.equal(
        await card.locator("strong").filter({ hasText: "Sam" }).count(),
        0,
      );
      const { color, background } = await colours(flag);
      const ratio = contrast(color, background);
      assert.ok(ratio >= 4.5, `flag text ${ratio.toFixed(2)}:1`);
      await panelShots(page, "request_and_recent");
    });

    await t.step(
      "typing Sam finds the real Sam, not the stranger",
      async () => {
        await openPanel(page);
        await ui.search.fill("Sam");
        await ui.contact(at("sam")).waitFor();
        await ui.contact(at("mallory")).waitFor({ state: "detached" });
        assert.equal(await ui.recentChats.count(), 0);
        // Not through the directory either (Mallory has no vCard to match).
        await page.locator(".directory-note", {
          hasText: "Searching the directory…",
        }).waitFor({ state: "detached" });
        assert.equal(
          await ui.results.getByRole("option").filter({
            hasText: at("mallory"),
          }).count(),
          0,
        );
        // The server's directory matches the imposter's own vCard "Sam":
        // listed by address only, never by that name, and flagged.
        assert.deepEqual(
          await ui.results.locator(".search-name").allInnerTexts(),
          [at("imposter")],
        );
        await panelShots(page, "filter_sam");
        // The stranger is found by address.
        await ui.search.fill("mallory");
        await ui.contact(at("mallory")).waitFor();
        await ui.search.fill("");
      },
    );

    await t.step(
      "a directory result under Sam's name: by address, flagged",
      async () => {
        await openPanel(page);
        await ui.search.fill("Sullivan");
        const imposter = ui.results.getByRole("option").filter({
          hasText: at("imposter"),
        });
        await imposter.waitFor();
        assert.equal(
          await imposter.locator(".search-name").innerText(),
          at("imposter"),
        );
        assert.equal(await imposter.getAttribute("data-looks-like"), at("sam"));
        await imposter.getByText(FLAG).waitFor();
        await imposter.getByText("Not in your contacts").waitFor();
        await panelShots(page, "directory");
        await ui.search.fill("");
      },
    );

    await t.step(
      "a toast: the address, not in contacts, the flag",
      async () => {
        const lookBack = await lookAway(alice);
        await mallory.send(
          xml(
            "message",
            { to: at("alice"), type: "chat", id: "m-2" },
            xml("body", {}, "Urgent, please answer"),
            xml("nick", NICK, "Sam Sullivan"),
          ),
        );
        const toast = win.toast.filter({ hasText: at("mallory") });
        await toast.waitFor();
        await toast.getByText("Not in your contacts").waitFor();
        await toast.getByText(FLAG).waitFor();
        assert.equal(
          await toast.locator(".toast-name").innerText(),
          at("mallory"),
        );
        await lookBack();
        await bothWidths(page, "toast");
        await toast.getByRole("button", { name: /^Dismiss/ }).click();
      },
    );

    await t.step(
      "a contact whose vCard name imitates Sam is flagged",
      async () => {
        await openPanel(page);
        await ui.contact(at("sully")).click();
        const title = win.title.filter({ hasText: CYRILLIC_SAM });
        await title.waitFor();
        assert.equal(await title.getAttribute("data-looks-like"), at("sam"));
        assert.equal(await title.getAttribute("data-contact"), "true");
        // His address under the name, to compare with the real Sam's.
        await win.header.getByText(`${at("sully")} · Offline`).waitFor();
        await win.window.getByRole("note").getByText(
          `Sam Sullivan in your contacts is ${at("sam")}; this is ${
            at("sully")
          }.`,
        ).waitFor();
        // A contact: no "Not in your contacts" on him.
        assert.equal(
          await win.header.getByText("Not in your contacts").count(),
          0,
        );
        // The real Sam is not flagged.
        await openPanel(page);
        await ui.contact(at("sam")).click();
        await win.title.filter({ hasText: "Sam Sullivan" }).waitFor();
        assert.equal(await win.title.getAttribute("data-looks-like"), null);
        await openPanel(page);
        await ui.contact(at("sully")).click();
        await win.title.filter({ hasText: CYRILLIC_SAM }).waitFor();
        await bothWidths(page, "vcard_contact");
      },
    );
  } finally {
    for (const xmpp of clients) await xmpp.stop();
    await browser?.close();
    await service?.stop();
    await server.stop();
  }
});
