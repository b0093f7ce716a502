// The Desktop Chat Server Settings page in Chromium against the real
// service: sign-in, field errors, Save, Revert, reload and a conflict.
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import {
  launchBrowser,
  type RunningService,
  screenshot,
  startService,
} from "../support/browser.ts";

const PRIMARY = "https://imp1.example.com:5280/httpbinding";
const SECONDARY = "https://imp2.example.com:5280/httpbinding";

async function openAdmin(browser: Browser, service: RunningService) {
  const context = await browser.newContext({
    viewport: { width: 900, height: 760 },
  });
  const page = await context.newPage();
  await page.goto(`${service.origin}/admin`);
  return { context, page };
}

async function signIn(page: Page, username: string, password: string) {
  await page.getByLabel("User name").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** `name` (or text, for a button) of what has focus inside the element's shadow root. */
function focused(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const inner = document.activeElement?.shadowRoot?.activeElement;
    if (!inner) return null;
    return inner.getAttribute("name") ?? inner.textContent?.trim() ?? null;
  });
}

async function waitForFocus(page: Page, name: string): Promise<void> {
  await page.waitForFunction((expected) => {
    const inner = document.activeElement?.shadowRoot?.activeElement;
    return inner?.getAttribute("name") === expected ||
      inner?.textContent?.trim() === expected;
  }, name);
}

function status(page: Page, text: string) {
  return page.getByRole("status").filter({ hasText: text });
}

Deno.test("Desktop Chat Server Settings in the browser", async (t) => {
  const service = await startService();
  const browser = await launchBrowser();
  try {
    const { context, page } = await openAdmin(browser, service);

    await t.step("the page is titled and asks for a sign-in", async () => {
      await page.getByRole("heading", {
        name: "Desktop Chat Server Settings",
      }).waitFor();
      assert.equal(await page.title(), "Desktop Chat Server Settings");
      await page.getByLabel("Password").waitFor();
      await screenshot(page, "admin_1_sign_in");
    });

    await t.step("a wrong password is refused with a clear error", async () => {
      await signIn(page, service.username, "not the password");
      const alert = page.getByRole("alert");
      await alert.filter({ hasText: "Wrong user name or password." }).waitFor();
      assert.equal(await page.getByLabel("Password").inputValue(), "");
      await screenshot(page, "admin_2_wrong_password");
    });

    await t.step("the right password shows the settings form", async () => {
      await signIn(page, service.username, service.password);
      await page.getByLabel("Primary Chat Server").waitFor();
      for (
        const label of [
          "Secondary Chat Server",
          "Allow agents to send file attachments",
          "Maximum size",
          "Maximum size unit",
          "Allowed file types",
        ]
      ) {
        assert.equal(
          await page.getByLabel(label, { exact: true }).count(),
          1,
          label,
        );
      }
      await page.getByText(`Signed in as ${service.username}`).waitFor();
      // Focus moves from the vanished sign-in form to the heading.
      await waitForFocus(page, "Desktop Chat Server Settings");
      await screenshot(page, "admin_3_signed_in");
    });

    await t.step("the keyboard reaches every field in order", async () => {
      const order = [];
      for (let i = 0; i < 9; i++) {
        await page.keyboard.press("Tab");
        order.push(await focused(page));
      }
      assert.deepEqual(order, [
        "Sign out",
        "primary",
        "secondary",
        "attachmentsEnabled",
        "maxSize",
        "maxSizeUnit",
        "allowedTypes",
        "Save",
        "Revert",
      ]);
    });

    await t.step("a javascript: URL gets a field error", async () => {
      const primary = page.getByLabel("Primary Chat Server");
      await primary.fill("javascript:alert(1)");
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByText("other schemes such as javascript:").waitFor();
      assert.equal(await primary.getAttribute("aria-invalid"), "true");
      await status(page, "Save failed").waitFor();
      // The first invalid field takes focus, for keyboard users.
      assert.equal(
        await primary.evaluate((input) =>
          input.getRootNode() instanceof ShadowRoot &&
          (input.getRootNode() as ShadowRoot).activeElement === input
        ),
        true,
      );
      await screenshot(page, "admin_4_field_error");
    });

    await t.step("valid servers are saved", async () => {
      await page.getByLabel("Primary Chat Server").fill(PRIMARY);
      await page.getByLabel("Secondary Chat Server").fill(SECONDARY);
      await page.getByLabel("Allow agents to send file attachments").check();
      await page.getByLabel("Maximum size", { exact: true }).fill("5");
      await page.getByLabel("Allowed file types").fill(".PDF, image/*");
      await page.getByRole("button", { name: "Save" }).click();
      await status(page, "Saved.").waitFor();
      assert.equal(
        await page.getByText("other schemes such as javascript:").count(),
        0,
      );
      // The service's normalized form comes back into the form.
      assert.equal(
        await page.getByLabel("Allowed file types").inputValue(),
        ".pdf, image/*",
      );
      const saved = await (await fetch(
        `${service.origin}/api/chat-server-settings`,
      )).json();
      assert.deepEqual(saved, {
        primary: PRIMARY,
        secondary: SECONDARY,
        attachments: {
          enabled: true,
          maxBytes: 5 * 1024 * 1024,
          allowedTypes: [".pdf", "image/*"],
        },
      });
      await screenshot(page, "admin_5_saved");
    });

    await t.step("Revert brings back the saved values", async () => {
      const primary = page.getByLabel("Primary Chat Server");
      await primary.fill("https://elsewhere.example.com/http-bind");
      await page.getByText("Unsaved changes").waitFor();
      await screenshot(page, "admin_5b_unsaved");
      await page.getByRole("button", { name: "Revert" }).click();
      await status(page, "Reverted to the saved settings.").waitFor();
      assert.equal(await primary.inputValue(), PRIMARY);
    });

    await t.step(
      "a reload shows the saved values, still signed in",
      async () => {
        await page.reload();
        const primary = page.getByLabel("Primary Chat Server");
        await primary.waitFor();
        assert.equal(await primary.inputValue(), PRIMARY);
        assert.equal(
          await page.getByLabel("Secondary Chat Server").inputValue(),
          SECONDARY,
        );
        assert.equal(
          await page.getByLabel("Allow agents to send file attachments")
            .isChecked(),
          true,
        );
      },
    );

    await t.step(
      "a save over someone else's change loads theirs instead",
      async () => {
        const other = await context.newPage();
        await other.goto(`${service.origin}/admin`);
        await other.getByLabel("Primary Chat Server").fill(
          "https://imp3.example.com:5280/httpbinding",
        );
        await other.getByRole("button", { name: "Save" }).click();
        await status(other, "Saved.").waitFor();
        await other.close();

        await page.getByLabel("Secondary Chat Server").fill("");
        await page.getByRole("button", { name: "Save" }).click();
        await status(
          page,
          "Someone else changed these settings; the latest values are loaded.",
        ).waitFor();
        assert.equal(
          await page.getByLabel("Primary Chat Server").inputValue(),
          "https://imp3.example.com:5280/httpbinding",
        );
        assert.equal(
          await page.getByLabel("Secondary Chat Server").inputValue(),
          SECONDARY,
        );
        await screenshot(page, "admin_6_conflict");
      },
    );

    await t.step(
      "a narrow gadget column stacks labels above fields",
      async () => {
        await page.setViewportSize({ width: 420, height: 900 });
        await screenshot(page, "admin_7_narrow");
        const label = await page.getByText("Primary Chat Server").boundingBox();
        const input = await page.getByLabel("Primary Chat Server")
          .boundingBox();
        assert.ok(label && input && label.y + label.height <= input.y);
      },
    );

    await t.step("Sign out returns to the sign-in form", async () => {
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByLabel("Password").waitFor();
      await waitForFocus(page, "Desktop Chat Server Settings");
      await page.reload();
      await page.getByLabel("Password").waitFor();
    });

    await t.step("signing in works from the keyboard alone", async () => {
      await page.keyboard.press("Tab");
      assert.equal(await focused(page), "username");
      await page.keyboard.press("Tab");
      assert.equal(await focused(page), "password");
      await page.keyboard.type(service.password);
      await page.keyboard.press("Enter");
      await page.getByLabel("Primary Chat Server").waitFor();
    });

    await context.close();
  } finally {
    await browser.close();
    await service.stop();
  }
});
