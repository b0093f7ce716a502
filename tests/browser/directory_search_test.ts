// Directory search in Chromium on both chat servers (issue 12): an agent
// signs in through the real shell page over BOSH (the product's transport
// in the browser), types a colleague's name in the Search field, sees the
// directory's answer with the name from the colleague's vCard, and adds
// the colleague from the result (seed, "Add Contact", step 1).
import assert from "node:assert/strict";
import type { Browser, Locator, Page } from "playwright-core";
import {
  launchBrowser,
  type RunningService,
  screenshot,
  startService,
} from "../support/browser.ts";
import { putChatServerSettings } from "../support/chat_settings.ts";
import { chat, openDesktop, signIn, signOut } from "../support/desktop_page.ts";
import {
  SERVER_KINDS,
  type ServerKind,
  startServer,
  testUsers,
  type TestXmppServer,
  type Vcard,
} from "../support/xmpp_servers.ts";

const DOMAIN = "localhost";
const at = (name: string) => `${name}@${DOMAIN}`;

const USERS = testUsers(["alice", "carol", "erin"]);
// carol is no contact of alice's yet; erin already is, without a name.
const ROSTER = {
  alice: [{
    jid: at("erin"),
    groups: ["Agents"],
    subscription: "both" as const,
  }],
};
const VCARDS: Readonly<Record<string, Vcard>> = {
  carol: {
    fn: "Carol Jones",
    given: "Carol",
    family: "Jones",
    nick: "cj",
    email: "carol@example.com",
  },
  erin: {
    fn: "Erin Jones",
    given: "Erin",
    family: "Jones",
    nick: "erin",
    email: "erin@example.com",
  },
};
// XEP-0055 §2.1/§3 leave matching to the service: Prosody's mod_vjud finds
// part of a value, ejabberd 23.01 (mod_vcard on Mnesia) only a whole value,
// case-insensitively. A whole family name is found on both.
const FAMILY_NAME = "Jones";

const DESKTOP = { width: 1366, height: 768 };
const NARROW = { width: 400, height: 768 };

/**
 * Takes the page at 1366×768 and at 400 px wide, with the pointer on
 * `hover` at each width (the seed's add icon shows on the hovered row).
 */
async function screenshotBothWidths(page: Page, name: string, hover: Locator) {
  for (const [viewport, width] of [[DESKTOP, 1366], [NARROW, 400]] as const) {
    await page.setViewportSize(viewport);
    await hover.hover();
    await screenshot(page, `${name}_${width}`);
  }
  await page.setViewportSize(DESKTOP);
}

async function searchAndAdd(
  browser: Browser,
  service: RunningService,
  server: TestXmppServer,
  t: Deno.TestContext,
) {
  const kind = server.kind;
  await putChatServerSettings(service, { primary: server.boshUrl });
  // A context of its own: no node cached from the other server's step.
  const { context, page } = await openDesktop(browser, service, {
    viewport: DESKTOP,
  });
  const ui = chat(page);
  try {
    await t.step(`[${kind}] the agent signs in over BOSH`, async () => {
      await signIn(page, "alice", "alice-pw");
      await ui.tree.waitFor({ timeout: 20_000 });
      await ui.contact(at("erin"), "Agents").waitFor();
    });

    const carol = ui.results.getByRole("option").filter({
      hasText: "Carol Jones",
    });
    const erin = ui.results.getByRole("option").filter({
      hasText: "Erin Jones",
    });

    await t.step(
      `[${kind}] a family name finds colleagues by their vCard names`,
      async () => {
        await ui.search.pressSequentially(FAMILY_NAME);
        await carol.waitFor();
        await erin.filter({ hasText: "In your contacts" }).waitFor();
        assert.equal(await ui.results.getByRole("option").count(), 2);
        await carol.getByText(at("carol"), { exact: true }).waitFor();
        // Someone already in the list is shown, but cannot be added twice.
        assert.equal(
          await erin.getByRole("button", { name: /^Add / }).count(),
          0,
        );
        await screenshotBothWidths(page, `directory_${kind}_results`, carol);
      },
    );

    await t.step(
      `[${kind}] a name nobody has says so, once, for contacts and directory`,
      async () => {
        await ui.search.fill("Nobodyson");
        const empty = "No contacts or directory entries match “Nobodyson”.";
        await page.getByRole("status").filter({ hasText: empty }).waitFor();
        // Shown once (the status line only tells a screen reader).
        const shown = page.getByText(/match “Nobodyson”/).and(
          page.locator(":not([role=status])"),
        );
        assert.equal(await shown.count(), 1);
        assert.equal(await ui.results.getByRole("option").count(), 0);
        await screenshotBothWidths(
          page,
          `directory_${kind}_no_match`,
          ui.search,
        );
      },
    );

    await t.step(
      `[${kind}] the result's add icon adds the colleague to a group`,
      async () => {
        await ui.search.fill("");
        await ui.search.pressSequentially(FAMILY_NAME);
        await carol.hover();
        // A non-contact is named by address, and the directory's name for
        // her is not made her roster name: the agent names her (issue 14).
        await page.getByRole("button", { name: `Add ${at("carol")}` }).click();
        const dialog = ui.dialog("Add Contact");
        await dialog.waitFor();
        assert.equal(await dialog.getByLabel("Display name").inputValue(), "");
        await dialog.getByLabel("Display name").fill("Carol Jones");
        await dialog.getByRole("combobox").selectOption({ label: "Agents" });
        await dialog.getByRole("button", { name: "Add", exact: true }).click();
        await dialog.waitFor({ state: "detached" });
        await ui.search.fill("");
        await ui.contact(at("carol"), "Agents").filter({
          hasText: "Carol Jones",
        }).waitFor();
        // Found again, she is in the filtered list, and only there: the
        // Directory section leaves out whom the list shows.
        await ui.search.pressSequentially(FAMILY_NAME);
        await ui.contact(at("carol"), "Agents").waitFor();
        await erin.waitFor();
        assert.equal(await carol.count(), 0);
        assert.equal(
          await page.getByRole("button", { name: `Add ${at("carol")}` })
            .count(),
          0,
        );
        await ui.search.fill("");
      },
    );

    await t.step(`[${kind}] the agent signs out`, () => signOut(page));
  } finally {
    await context.close();
  }
}

Deno.test("directory search in the browser, on Prosody and ejabberd", async (t) => {
  const started = await Promise.allSettled(
    SERVER_KINDS.map((kind: ServerKind) =>
      startServer(kind, { users: USERS, roster: ROSTER, vcards: VCARDS })
    ),
  );
  const servers = started.flatMap((result) =>
    result.status === "fulfilled" ? [result.value] : []
  );
  let service: RunningService | undefined;
  let browser: Browser | undefined;
  try {
    for (const result of started) {
      if (result.status === "rejected") throw result.reason;
    }
    service = await startService({ config: { xmppDomain: DOMAIN } });
    browser = await launchBrowser();
    for (const server of servers) {
      assert.equal(server.domain, DOMAIN);
      await searchAndAdd(browser, service, server, t);
    }
  } finally {
    await browser?.close();
    await service?.stop();
    await Promise.all(servers.map((server) => server.stop()));
  }
});
