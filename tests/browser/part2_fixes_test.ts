// What a new agent ran into (issue 13, Part 2), fixed and checked through
// the real shell page against a real Prosody, at 1366×768 and 400 px wide:
// the header names the agent by their vCard FN, group headers count who is
// online, the status message is a visible field that confirms, a search
// shows each person once with one empty state, two contact requests fit
// with their buttons, and a long group name fits the Delete Group dialog.
// Screenshots (after-*.png) go to BROWSER_SCREENSHOT_DIR when it is set.
import assert from "node:assert/strict";
import type { Browser, Locator, Page } from "playwright-core";
import { xml } from "@xmpp/xml";
import type { XmppClient } from "../../shared/xmpp/session/client.ts";
import { headlessClient, stanzaArrives } from "../support/headless_client.ts";
import {
  launchBrowser,
  type RunningService,
  screenshot,
  startService,
} from "../support/browser.ts";
import {
  chat,
  menuAction,
  openDesktop,
  signIn,
} from "../support/desktop_page.ts";
import { chatWindow, contrast } from "../support/chat_page.ts";
import { startServer, testUsers, type Vcard } from "../support/xmpp_servers.ts";

const at = (name: string) => `${name}@localhost`;
const both = "both" as const;
const LONG_GROUP =
  "EscalationsForTheEnterpriseCustomersInTheEMEARegionAfterHours";

const USERS = testUsers([
  "alice",
  "bob",
  "carol",
  "dave",
  "erin",
  "frank",
  "gina",
  "hank",
]);
const ROSTER = {
  alice: [
    {
      jid: at("bob"),
      name: "Bob Jones",
      groups: ["Agents"],
      subscription: both,
    },
    {
      jid: at("frank"),
      name: "Frank Jones",
      groups: ["Agents"],
      subscription: both,
    },
    {
      jid: at("gina"),
      name: "Gina",
      groups: ["Agents", LONG_GROUP],
      subscription: both,
    },
    {
      jid: at("hank"),
      name: "Hank",
      groups: ["Supervisors"],
      subscription: both,
    },
  ],
  bob: [{ jid: at("alice"), groups: [], subscription: both }],
  frank: [{ jid: at("alice"), groups: [], subscription: both }],
};

function vcard(fn: string, username: string): Vcard {
  const [given, family] = fn.split(" ");
  return {
    fn,
    given,
    family,
    nick: username,
    email: `${username}@example.com`,
  };
}

const VCARDS: Readonly<Record<string, Vcard>> = {
  alice: vcard("Alice Martin", "alice"),
  bob: vcard("Bob Jones", "bob"),
  carol: vcard("Carol Jones", "carol"),
  frank: vcard("Frank Jones", "frank"),
};

const DESKTOP = { width: 1366, height: 768 };
const NARROW = { width: 400, height: 768 };

/** after-<name>-1366.png and after-<name>-400.png. */
async function screenshotBothWidths(page: Page, name: string) {
  for (const viewport of [DESKTOP, NARROW]) {
    await page.setViewportSize(viewport);
    await screenshot(page, `after-${name}-${viewport.width}`);
  }
  await page.setViewportSize(DESKTOP);
}

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  assert.ok(found, "laid out");
  return found;
}

/** `inner` lies wholly inside `outer`, give or take a pixel. */
async function assertInside(inner: Locator, outer: Locator, what: string) {
  const a = await box(inner);
  const b = await box(outer);
  assert.ok(
    a.x >= b.x - 1 && a.y >= b.y - 1 && a.x + a.width <= b.x + b.width + 1 &&
      a.y + a.height <= b.y + b.height + 1,
    `${what}: ${JSON.stringify(a)} not inside ${JSON.stringify(b)}`,
  );
}

async function groupCount(page: Page, group: string): Promise<string> {
  return (await chat(page).group(group).locator(".group-count")
    .textContent()) ??
    "";
}

Deno.test("issue 13 Part 2 fixes in the browser", async (t) => {
  const server = await startServer("prosody", {
    users: USERS,
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
    const { page } = await openDesktop(browser, service, { viewport: DESKTOP });
    const ui = chat(page);
    await signIn(page, "alice", "alice-pw");
    await ui.tree.waitFor({ timeout: 20_000 });

    await t.step("the header names the agent by their vCard FN", async () => {
      const name = page.locator(".account-name");
      await name.filter({ hasText: /^Alice Martin$/ }).waitFor();
      assert.match((await name.getAttribute("title")) ?? "", /alice@localhost/);
      assert.equal(await page.getByText("alice@localhost").count(), 0);
    });

    let bob: XmppClient | undefined;
    await t.step("group headers count who is online, live", async () => {
      await ui.group("Agents").locator(".group-count", { hasText: "0/3" })
        .waitFor();
      bob = await headlessClient(server, "bob");
      clients.push(bob);
      await ui.group("Agents").locator(".group-count", { hasText: "1/3" })
        .waitFor();
      const frank = await headlessClient(server, "frank");
      clients.push(frank);
      await ui.group("Agents").locator(".group-count", { hasText: "2/3" })
        .waitFor();
      assert.match(
        (await ui.group("Agents").getAttribute("aria-label")) ?? "",
        /^Agents, 2 of 3 online$/,
      );
      assert.equal(await groupCount(page, "Supervisors"), "0/1");
      await screenshotBothWidths(page, "header-and-group-counts");
      await frank.stop();
      clients.splice(clients.indexOf(frank), 1);
      await ui.group("Agents").locator(".group-count", { hasText: "1/3" })
        .waitFor();
    });

    await t.step(
      "the status message is a bordered field, aligned, and confirms",
      async () => {
        const field = page.getByLabel("Status message");
        const look = await field.evaluate((input) => {
          const style = getComputedStyle(input);
          const header = input.closest(".account-header");
          return {
            width: parseFloat(style.borderTopWidth),
            style: style.borderTopStyle,
            color: style.borderTopColor,
            behind: header ? getComputedStyle(header).backgroundColor : "",
          };
        });
        assert.ok(look.width >= 1 && look.style === "solid", look.style);
        const ratio = contrast(look.color, look.behind);
        assert.ok(ratio >= 3, `border contrast ${ratio.toFixed(2)}:1`);
        // Its box lines up with the name and the state button above it.
        const fieldBox = await box(field);
        const nameBox = await box(page.locator(".account-name"));
        const stateBox = await box(ui.stateButton);
        assert.ok(Math.abs(fieldBox.x - nameBox.x) <= 1, "left edges");
        assert.ok(
          Math.abs(
            fieldBox.x + fieldBox.width - (stateBox.x + stateBox.width),
          ) <= 1,
          "right edges",
        );

        assert.ok(bob);
        const published = stanzaArrives(
          bob,
          (stanza) =>
            stanza.is("presence") &&
            (stanza.attrs.from ?? "").startsWith(`${at("alice")}/`) &&
            stanza.getChildText("status") === "On the phones until 3",
          "bob sees alice's new status",
        );
        await field.fill("On the phones until 3");
        await field.press("Enter");
        await page.getByRole("status").filter({ hasText: "Status updated" })
          .waitFor();
        await published;
        await screenshotBothWidths(page, "status-message");
      },
    );

    await t.step(
      "search: each person once, group headers in view, directory below",
      async () => {
        await ui.search.fill("Jones");
        const carol = ui.results.getByRole("option").filter({
          hasText: "Carol Jones",
        });
        await carol.waitFor();
        await ui.contact(at("bob"), "Agents").waitFor();
        await ui.contact(at("frank"), "Agents").waitFor();
        // The list shows bob and frank; the directory adds only carol.
        assert.equal(await ui.results.getByRole("option").count(), 1);
        for (const jid of [at("bob"), at("frank")]) {
          assert.equal(await page.locator(`[data-jid="${jid}"]`).count(), 1);
          assert.equal(
            await ui.results.getByRole("option").filter({ hasText: jid })
              .count(),
            0,
          );
        }
        // Nothing covers the group header: the point at its centre is it.
        const header = ui.group("Agents");
        const middle = await box(header);
        const hit = await page.evaluate(([x, y]) => {
          const host = document.querySelector("desktop-chat");
          const found = host?.shadowRoot?.elementFromPoint(x, y);
          return found?.closest("[role=treeitem]")?.getAttribute("data-group");
        }, [middle.x + middle.width / 2, middle.y + middle.height / 2]);
        assert.equal(hit, "Agents");
        const section = page.getByRole("region", { name: "Directory" });
        assert.ok((await box(section)).y >= middle.y + middle.height);
        await screenshotBothWidths(page, "search-jones");

        // Keyboard: Down makes the result active, Enter starts a chat with
        // it (issue 13 Part 1 item 2); closing it leaves the list in view.
        await ui.search.press("ArrowDown");
        const active = await ui.search.getAttribute("aria-activedescendant");
        assert.equal(await carol.getAttribute("id"), active);
        await ui.search.press("Enter");
        const chats = chatWindow(page);
        // Carol is no contact: the title is her address (issue 14).
        await chats.title.filter({ hasText: at("carol") }).waitFor();
        await chats.closeAll.click();
        await chats.confirm.getByRole("button", { name: "Close all" }).click();
        await chats.window.waitFor({ state: "detached" });
      },
    );

    await t.step("search: one empty state when nothing matches", async () => {
      await ui.search.fill("zzzznobody");
      const text = "No contacts or directory entries match “zzzznobody”.";
      await page.getByRole("status").filter({ hasText: text }).waitFor();
      const shown = page.getByText(/match “zzzznobody”/).and(
        page.locator(":not([role=status])"),
      );
      assert.equal(await shown.count(), 1);
      assert.equal(await ui.results.getByRole("option").count(), 0);
      await screenshotBothWidths(page, "search-no-match");
      await ui.search.press("Escape");
      assert.equal(await ui.search.inputValue(), "");
      await ui.contact(at("hank")).waitFor();
    });

    await t.step("two contact requests: every button fits", async () => {
      for (
        const [username, nick] of [
          ["dave", "Dave Whitaker-Montgomery, Tier 2 Support"],
          ["erin", "Erin Castellanos-Oyelaran, Escalations"],
        ]
      ) {
        const xmpp = await headlessClient(server, username);
        clients.push(xmpp);
        await xmpp.send(
          xml(
            "presence",
            { to: at("alice"), type: "subscribe" },
            xml("nick", { xmlns: "http://jabber.org/protocol/nick" }, nick),
          ),
        );
      }
      const requests = page.getByRole("region", { name: /Contact requests/ });
      const buttons = ["dave", "erin"].flatMap((name) =>
        ["Accept", "Decline"].map((verb) =>
          page.getByRole("button", { name: `${verb} ${at(name)}` })
        )
      );
      for (const viewport of [DESKTOP, NARROW]) {
        await page.setViewportSize(viewport);
        for (const button of buttons) {
          await button.waitFor();
          await assertInside(button, requests, `${viewport.width} px`);
          // Actionable where it is: visible, stable, not covered.
          await button.click({ trial: true });
        }
      }
      await page.setViewportSize(DESKTOP);
      await screenshotBothWidths(page, "two-requests");
      for (const name of ["dave", "erin"]) {
        await page.getByRole("button", { name: `Decline ${at(name)}` }).click();
      }
      await requests.waitFor({ state: "detached" });
    });

    await t.step("a long group name fits the Delete Group dialog", async () => {
      await menuAction(
        page,
        page.getByRole("button", { name: `Actions for group ${LONG_GROUP}` }),
        "Delete",
      );
      const dialog = ui.dialog("Delete Group");
      await dialog.waitFor();
      const subject = dialog.locator(".dialog-subject");
      assert.equal(await subject.getAttribute("title"), LONG_GROUP);
      for (const viewport of [DESKTOP, NARROW]) {
        await page.setViewportSize(viewport);
        await assertInside(subject, dialog, `${viewport.width} px`);
        const overflow = await dialog.evaluate((element) =>
          [element, ...element.querySelectorAll("*")].some((node) =>
            node.scrollWidth > node.clientWidth + 1 &&
            getComputedStyle(node).overflowX === "visible"
          )
        );
        assert.equal(overflow, false, `nothing overflows at ${viewport.width}`);
        const dialogBox = await box(dialog);
        assert.ok(
          dialogBox.x >= 0 && dialogBox.x + dialogBox.width <= viewport.width,
        );
      }
      await page.setViewportSize(DESKTOP);
      await screenshotBothWidths(page, "delete-long-group");
      await dialog.getByRole("button", { name: "Cancel" }).click();
      await dialog.waitFor({ state: "detached" });
    });
  } finally {
    for (const xmpp of clients) await xmpp.stop();
    await browser?.close();
    await service?.stop();
    await server.stop();
  }
});
