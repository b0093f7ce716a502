// Attachments in Chromium (issue 15): two agents in two browser contexts
// through the real shell page and service, against a real Prosody serving
// XEP-0363 uploads. Send a file → progress on both sides → Accept → the
// bytes land in Playwright's download; Decline on both sides; the policy
// refusing a file before any request; a hostile file name shown and saved
// sanitised; a bare XEP-0066 link from another client (no size, no hash)
// accepted and said to be unverified; attachments turned off by the
// administrator hide the button.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { xml } from "@xmpp/xml";
import { launchBrowser, screenshot, startService } from "../support/browser.ts";
import { chatWindow, openChatDesktop } from "../support/chat_page.ts";
import { putChatServerSettings } from "../support/chat_settings.ts";
import { chat, signIn, signOut } from "../support/desktop_page.ts";
import { headlessClient } from "../support/headless_client.ts";
import { uploadToSlot } from "../support/upload_probe.ts";
import { filesKey } from "../../shared/xmpp/files/file_history.ts";
import { startServer, testUsers } from "../support/xmpp_servers.ts";

const at = (name: string) => `${name}@localhost`;
const both = "both" as const;
const agent = (name: string, label: string) => ({
  jid: at(name),
  name: label,
  groups: ["Agents"],
  subscription: both,
});
const ROSTER = { alice: [agent("bob", "Bob")], bob: [agent("alice", "Alice")] };
const DESKTOP = { width: 1366, height: 768 };
const NARROW = { width: 400, height: 768 };
const MAX_BYTES = 3 * 1024 * 1024;
const ATTACHMENTS = {
  enabled: true,
  maxBytes: MAX_BYTES,
  // ".exe" listed on purpose: the hostile name below must reach the save.
  allowedTypes: [".bin", ".txt", ".exe"],
};
const HOSTILE_NAME = "../../etc/passwd\u202Egnp.exe";
const SAFE_NAME = "_.._etc_passwdgnp.exe";

function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  // getRandomValues fills at most 65,536 bytes a call.
  for (let i = 0; i < size; i += 65_536) {
    crypto.getRandomValues(bytes.subarray(i, Math.min(size, i + 65_536)));
  }
  return bytes;
}

async function hashOf(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)]
    .map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The card of the one transfer named `name` on `page`. */
function card(page: Page, name: string) {
  return chatWindow(page).log.locator("[data-file-key]").filter({
    has: page.locator(".file-name", { hasText: name }),
  });
}

/** Picks `name` with `bytes` through Send a file's hidden input. */
async function pick(
  page: Page,
  name: string,
  bytes: Uint8Array<ArrayBuffer>,
  mimeType = "application/octet-stream",
): Promise<void> {
  await chatWindow(page).window.locator("input[type=file]").setInputFiles({
    name,
    mimeType,
    buffer: Buffer.from(bytes),
  });
}

/** Every data-phase of each file card on `page`, by file name, in order. */
async function recordPhases(page: Page): Promise<void> {
  await page.evaluate(() => {
    const root = document.querySelector("desktop-chat")?.shadowRoot;
    if (!root) throw new Error("no desktop-chat");
    const seen: Record<string, string[]> = {};
    (globalThis as unknown as { phases: typeof seen }).phases = seen;
    const note = () => {
      for (const element of root.querySelectorAll("[data-file-key]")) {
        const name = element.querySelector(".file-name")?.textContent ?? "";
        const phase = element.getAttribute("data-phase") ?? "";
        const list = seen[name] ??= [];
        if (list.at(-1) !== phase) list.push(phase);
        if (element.querySelector("[role=progressbar]")) {
          const bars = seen[`${name}:progress`] ??= [];
          if (bars.length === 0) bars.push("shown");
        }
      }
    };
    note();
    new MutationObserver(note).observe(root, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["data-phase", "aria-valuenow"],
    });
  });
}

function phases(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(() =>
    (globalThis as unknown as { phases: Record<string, string[]> }).phases
  );
}

async function bothWidths(page: Page, name: string): Promise<void> {
  await screenshot(page, `${name}_1366`);
  await page.setViewportSize(NARROW);
  await page.waitForTimeout(150);
  await screenshot(page, `${name}_400`);
  await page.setViewportSize(DESKTOP);
  await page.waitForTimeout(150);
}

/** What `user`'s tab keeps of the transfers for a refresh. */
function keptFiles(page: Page, user: string): Promise<string | null> {
  return page.evaluate(
    (key) => sessionStorage.getItem(key),
    filesKey(at(user)),
  );
}

/** F5, then `user` signs in again and looks at the chat with `peer`. */
async function refresh(page: Page, user: string, peer: string): Promise<void> {
  await page.reload();
  await chat(page).launcher.click();
  await signIn(page, user, `${user}-pw`);
  await chat(page).tree.waitFor({ timeout: 20_000 });
  // The chats come back in the window as it was (chat_history.ts).
  const w = chatWindow(page);
  await w.window.waitFor();
  if (await w.window.getAttribute("data-minimised") === "true") {
    await w.restore.click();
  }
  await w.tab(peer).click();
}

Deno.test("attachments in the browser", async (t) => {
  const prosody = await startServer("prosody", {
    users: testUsers(["alice", "bob"]),
    roster: ROSTER,
    upload: true,
    uploadMaxBytes: MAX_BYTES,
  });
  const service = await startService({
    config: { xmppDomain: prosody.domain, defaultPrimary: prosody.boshUrl },
  });
  const contexts: BrowserContext[] = [];
  let browser: Browser | undefined;
  try {
    await putChatServerSettings(service, {
      primary: prosody.boshUrl,
      attachments: ATTACHMENTS,
    });
    browser = await launchBrowser();
    const alice = await openChatDesktop(browser, service, {
      viewport: DESKTOP,
    });
    const bob = await openChatDesktop(browser, service, { viewport: DESKTOP });
    contexts.push(alice.context, bob.context);
    const aw = chatWindow(alice.page);
    const sendFile = aw.window.getByRole("button", { name: "Send a file" });

    await t.step("both agents sign in and Alice opens Bob's chat", async () => {
      await signIn(alice.page, "alice", "alice-pw");
      await signIn(bob.page, "bob", "bob-pw");
      await chat(alice.page).contact(at("bob")).filter({
        hasText: "Available",
      }).waitFor({ timeout: 20_000 });
      await chat(alice.page).contact(at("bob")).click();
      await aw.title.filter({ hasText: "Bob" }).waitFor();
      // An offer does not open a chat by itself (yet): Bob opens Alice's.
      await chat(bob.page).contact(at("alice")).click();
      await chatWindow(bob.page).title.filter({ hasText: "Alice" }).waitFor();
      // The upload service is found at sign-in (XEP-0363 §3).
      await sendFile.and(alice.page.locator(":not([aria-disabled])"))
        .waitFor();
    });

    await t.step(
      "a file over the limit or of a type not allowed is refused with why",
      async () => {
        await pick(alice.page, "big.bin", randomBytes(MAX_BYTES + 500_000));
        const refusal = aw.window.locator(".send-file-refusal");
        await refusal.filter({
          hasText: "big.bin is 3.5 MB; the limit is 3 MB.",
        })
          .waitFor();
        await bothWidths(alice.page, "f1_refused");
        await refusal.getByRole("button", { name: "Dismiss" }).click();
        await pick(
          alice.page,
          "notes.pdf",
          randomBytes(1000),
          "application/pdf",
        );
        await refusal.filter({ hasText: "not allowed: notes.pdf" }).waitFor();
        await refusal.getByRole("button", { name: "Dismiss" }).click();
        // Nothing was requested: no card on either side.
        assert.equal(await aw.log.locator("[data-file-key]").count(), 0);
      },
    );

    const bytes = randomBytes(2 * 1024 * 1024);
    await t.step(
      "Send a file → progress on both sides → Accept → the same bytes saved",
      async () => {
        await recordPhases(alice.page);
        // Through the button itself, as the agent does: it opens the picker.
        const [chooser] = await Promise.all([
          alice.page.waitForEvent("filechooser"),
          sendFile.click(),
        ]);
        await chooser.setFiles({
          name: "report.bin",
          mimeType: "application/octet-stream",
          buffer: Buffer.from(bytes),
        });
        const mine = card(alice.page, "report.bin");
        await mine.and(alice.page.locator("[data-phase=offered]")).waitFor();
        await mine.getByText("Offered — waiting for Bob").waitFor();
        assert.equal(await mine.getAttribute("data-direction"), "out");
        assert.equal(
          (await mine.locator(".file-size").textContent())?.trim(),
          "2 MB",
        );

        const bw = chatWindow(bob.page);
        await bw.title.filter({ hasText: "Alice" }).waitFor();
        const theirs = card(bob.page, "report.bin");
        await theirs.getByText("Alice offers this file").waitFor();
        await recordPhases(bob.page);
        await bothWidths(bob.page, "f2_offer");
        const download = bob.page.waitForEvent("download");
        await theirs.getByRole("button", { name: "Accept" }).click();
        const saved = await download;
        assert.equal(saved.suggestedFilename(), "report.bin");
        const path = await saved.path();
        const got = await Deno.readFile(path);
        assert.equal(await hashOf(got), await hashOf(bytes));
        await theirs.and(bob.page.locator("[data-phase=downloaded]")).waitFor();
        await mine.getByText("Bob downloaded the file").waitFor();
        const sent = (await phases(alice.page))["report.bin"];
        const received = (await phases(bob.page))["report.bin"];
        assert.deepEqual(sent.slice(-3), ["offered", "accepted", "downloaded"]);
        assert.ok(sent.includes("uploading"), sent.join(" → "));
        assert.deepEqual(received, ["offered", "downloading", "downloaded"]);
        // A progress bar while the bytes moved, on each side.
        assert.deepEqual((await phases(alice.page))["report.bin:progress"], [
          "shown",
        ]);
        assert.deepEqual((await phases(bob.page))["report.bin:progress"], [
          "shown",
        ]);
        // The card never links to the file: nothing in it can open it.
        assert.equal(await theirs.locator("a").count(), 0);
        await bothWidths(alice.page, "f3_downloaded_sender");
        await bothWidths(bob.page, "f3_downloaded_receiver");
      },
    );

    await t.step("Decline shows on both sides", async () => {
      await pick(alice.page, "declined.txt", randomBytes(4000), "text/plain");
      const theirs = card(bob.page, "declined.txt");
      await theirs.getByRole("button", { name: "Decline" }).click();
      await theirs.getByText("You declined the file").waitFor();
      await card(alice.page, "declined.txt").getByText("Bob declined the file")
        .waitFor();
      assert.equal(
        await theirs.getByRole("button", { name: "Accept" }).count(),
        0,
      );
    });

    await t.step(
      "a hostile file name is shown and saved sanitised",
      async () => {
        const payload = randomBytes(1234);
        await pick(alice.page, HOSTILE_NAME, payload);
        const theirs = card(bob.page, SAFE_NAME);
        await theirs.getByRole("button", { name: "Accept" }).waitFor();
        assert.equal(
          await theirs.locator(".file-name").getAttribute("title"),
          SAFE_NAME,
        );
        const download = bob.page.waitForEvent("download");
        await theirs.getByRole("button", { name: "Accept" }).click();
        const saved = await download;
        assert.equal(saved.suggestedFilename(), SAFE_NAME);
        assert.equal(
          await hashOf(await Deno.readFile(await saved.path())),
          await hashOf(payload),
        );
        await bothWidths(bob.page, "f4_hostile_name");
      },
    );

    await t.step(
      "a bare oob link from Alice's phone app: Accept, marked not verified",
      async () => {
        // What Conversations, Gajim, Dino, Monal and Converse.js send after
        // an upload: the GET URL as body and oob, no size, no hash.
        const phone = await headlessClient(prosody, "alice", {
          resource: "phone",
        });
        try {
          const payload = randomBytes(50_000);
          const url = await uploadToSlot(
            phone,
            prosody.upload!.jid,
            payload,
            "notes.txt",
            "text/plain",
          );
          await phone.send(xml(
            "message",
            { type: "chat", to: at("bob"), id: crypto.randomUUID() },
            xml("body", {}, url),
            xml("x", { xmlns: "jabber:x:oob" }, xml("url", {}, url)),
          ));
          const theirs = card(bob.page, "notes.txt");
          await theirs.getByRole("button", { name: "Accept" }).waitFor();
          const note = theirs.locator(".file-note");
          assert.equal(
            await note.textContent(),
            "Not verified: the sender's app sent no checksum.",
          );
          assert.equal(
            await theirs.locator(".file-size").textContent(),
            "size not given",
          );
          // The body only repeated the link: no chat text beside the card.
          assert.equal(
            await chatWindow(bob.page).log.getByText(url).count(),
            0,
          );
          await bothWidths(bob.page, "f7_bare_link_offer");
          const download = bob.page.waitForEvent("download");
          await theirs.getByRole("button", { name: "Accept" }).click();
          const saved = await download;
          assert.equal(saved.suggestedFilename(), "notes.txt");
          assert.equal(
            await hashOf(await Deno.readFile(await saved.path())),
            await hashOf(payload),
          );
          await theirs.and(bob.page.locator("[data-phase=downloaded]"))
            .waitFor();
          await theirs.getByText("Saved to your downloads folder").waitFor();
          await note.waitFor();
          assert.equal(
            await theirs.locator(".file-size").textContent(),
            "49 kB",
          );
          await bothWidths(bob.page, "f7_bare_link_downloaded");
        } finally {
          await phone.stop();
        }
      },
    );

    await t.step(
      "Cancel during the upload stops it; no offer goes",
      async () => {
        // Held at the network layer so the upload is seen under way.
        let release = () => {};
        const held = new Promise<void>((resolve) => release = resolve);
        await alice.page.route(
          `${prosody.upload!.origin}/**`,
          async (route) => {
            if (route.request().method() !== "PUT") return route.continue();
            await held;
            // Cancel aborted the XHR, which already ended this request.
            await route.abort().catch((error: Error) => {
              assert.match(error.message, /already handled/);
            });
          },
        );
        await pick(alice.page, "stopped.bin", randomBytes(300_000));
        const mine = card(alice.page, "stopped.bin");
        await mine.and(alice.page.locator("[data-phase=uploading]")).waitFor();
        await mine.getByRole("progressbar", { name: "Upload" }).waitFor();
        await bothWidths(alice.page, "f5_uploading");
        await mine.getByRole("button", { name: "Cancel" }).click();
        await mine.getByText("Cancelled by you").waitFor();
        release();
        await alice.page.unroute(`${prosody.upload!.origin}/**`);
        // Bob never got an offer for it.
        await card(bob.page, "declined.txt").waitFor();
        assert.equal(await card(bob.page, "stopped.bin").count(), 0);
      },
    );

    await t.step(
      "Send a file is disabled with the reason while Bob is signed out",
      async () => {
        assert.ok(await keptFiles(bob.page, "bob"));
        await signOut(bob.page);
        // An explicit sign-out wipes the transfers kept for a refresh.
        assert.equal(await keptFiles(bob.page, "bob"), null);
        await sendFile.and(alice.page.locator("[aria-disabled=true]"))
          .waitFor();
        const reason =
          "Bob is signed out. Messages can be sent once they sign in.";
        // Reachable by keyboard; it is described by the composer's reason
        // line rather than a second copy of the same words.
        await sendFile.focus();
        const describedBy = await sendFile.getAttribute("aria-describedby");
        assert.equal(
          (await aw.window.locator(`[id="${describedBy}"]`).textContent())
            ?.trim(),
          reason,
        );
        assert.equal(await aw.window.locator(".send-file-reason").count(), 0);
        // A click picks nothing: no file chooser opens.
        let chooser = false;
        alice.page.once("filechooser", () => chooser = true);
        await sendFile.click({ force: true });
        await alice.page.waitForTimeout(200);
        assert.equal(chooser, false);
        assert.equal(await sendFile.getAttribute("title"), reason);
        await aw.window.locator(".composer-disabled-reason", {
          hasText: reason,
        }).waitFor();
        await bothWidths(alice.page, "f6_contact_signed_out");
      },
    );

    await t.step(
      "a refresh on both sides before Accept keeps the cards and the outcome",
      async () => {
        // Bob back from the step before (signed out: nothing kept).
        await signIn(bob.page, "bob", "bob-pw");
        await chat(bob.page).contact(at("alice")).click();
        await chatWindow(bob.page).title.filter({ hasText: "Alice" }).waitFor();
        await sendFile.and(alice.page.locator(":not([aria-disabled])"))
          .waitFor();
        // An upload held under way when Alice's page goes (below).
        let release = () => {};
        const held = new Promise<void>((resolve) => release = resolve);
        const cutUrl = `${prosody.upload!.origin}/**/cut.bin`;
        await alice.page.route(cutUrl, async (route) => {
          await held;
          // The reload ended this request already.
          await route.abort().catch((error: Error) => {
            assert.match(error.message, /already handled|closed/);
          });
        });
        await pick(alice.page, "cut.bin", randomBytes(200_000));
        await card(alice.page, "cut.bin").and(
          alice.page.locator("[data-phase=uploading]"),
        ).waitFor();
        const payload = randomBytes(100_000);
        await pick(alice.page, "kept.bin", payload);
        const mine = card(alice.page, "kept.bin");
        await mine.getByText("Offered — waiting for Bob").waitFor();
        const theirs = card(bob.page, "kept.bin");
        await theirs.getByRole("button", { name: "Accept" }).waitFor();
        // F5 on each side before Bob answers: the offer is no lost message.
        await refresh(bob.page, "bob", "Alice");
        await theirs.getByText("Alice offers this file").waitFor();
        await theirs.getByRole("button", { name: "Decline" }).waitFor();
        await bothWidths(bob.page, "f8_refreshed_receiver");
        await refresh(alice.page, "alice", "Bob");
        release();
        await alice.page.unroute(cutUrl);
        await mine.getByText("Offered — waiting for Bob").waitFor();
        // Every card at once, one under the other, though the window came
        // back minimised and its rows were first measured unrendered.
        const cut = card(alice.page, "cut.bin");
        await cut.getByText(
          "Failed: The page was reloaded before the file was sent.",
        ).waitFor();
        const [above, below] = await Promise.all(
          [cut, mine].map((c) => c.boundingBox()),
        );
        assert.ok(above && below && above.y + above.height <= below.y);
        await bothWidths(alice.page, "f8_refreshed_sender");
        const download = bob.page.waitForEvent("download");
        await theirs.getByRole("button", { name: "Accept" }).click();
        const saved = await download;
        assert.equal(saved.suggestedFilename(), "kept.bin");
        assert.equal(
          await hashOf(await Deno.readFile(await saved.path())),
          await hashOf(payload),
        );
        // Bob's outcomes reach Alice's new session by her bare JID.
        await mine.getByText("Bob downloaded the file").waitFor();
        await theirs.getByText("Saved to your downloads folder").waitFor();
        // The upload cut by the reload never reached Bob.
        assert.equal(await card(bob.page, "cut.bin").count(), 0);
        await bothWidths(alice.page, "f8_outcome_after_refresh");
      },
    );

    await t.step(
      "attachments turned off by the administrator hide Send a file",
      async () => {
        await putChatServerSettings(service, {
          primary: prosody.boshUrl,
          attachments: { ...ATTACHMENTS, enabled: false },
        });
        // The settings are read at load and at sign-in.
        const again = await openChatDesktop(browser!, service, {
          viewport: DESKTOP,
        });
        contexts.push(again.context);
        await signIn(again.page, "alice", "alice-pw");
        // Bob is signed out since the step before: his row is there all the same.
        await chat(again.page).contact(at("bob")).waitFor({ timeout: 20_000 });
        await chat(again.page).contact(at("bob")).click();
        const w = chatWindow(again.page);
        await w.composer.waitFor();
        assert.equal(
          await w.window.getByRole("button", { name: "Send a file" }).count(),
          0,
        );
      },
    );
  } finally {
    for (const context of contexts) await context.close();
    await browser?.close();
    await service.stop();
    await prosody.stop();
  }
});
