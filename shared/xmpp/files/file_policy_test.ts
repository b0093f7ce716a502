import assert from "node:assert/strict";
import type { AttachmentPolicy } from "../../settings/settings_rules.ts";
import { checkAgainstPolicy, extensionOf, typeAllowed } from "./file_policy.ts";

const POLICY: AttachmentPolicy = {
  enabled: true,
  maxBytes: 1000,
  allowedTypes: [".pdf", "image/*", "text/plain"],
};

const PDF = { name: "a.pdf", size: 10, mediaType: "application/pdf" };

Deno.test("checkAgainstPolicy", async (t) => {
  await t.step("allowed", () => {
    assert.deepEqual(checkAgainstPolicy(POLICY, PDF), { ok: true });
    assert.deepEqual(
      checkAgainstPolicy(POLICY, { ...PDF, size: 1000 }),
      { ok: true },
    );
  });
  await t.step("disabled comes first", () => {
    assert.deepEqual(
      checkAgainstPolicy({ ...POLICY, enabled: false }, { ...PDF, size: 0 }),
      { ok: false, reason: "disabled" },
    );
  });
  await t.step("empty", () => {
    assert.deepEqual(checkAgainstPolicy(POLICY, { ...PDF, size: 0 }), {
      ok: false,
      reason: "empty",
    });
  });
  await t.step("too large, with the limit", () => {
    assert.deepEqual(checkAgainstPolicy(POLICY, { ...PDF, size: 1001 }), {
      ok: false,
      reason: "too-large",
      maxBytes: 1000,
    });
  });
  await t.step("type not allowed", () => {
    assert.deepEqual(
      checkAgainstPolicy(POLICY, {
        name: "a.zip",
        size: 1,
        mediaType: "application/zip",
      }),
      { ok: false, reason: "type-not-allowed" },
    );
  });
  await t.step("no size given (a bare oob link): the type still counts", () => {
    // The download is then cut at maxBytes (transfer/downloader.ts).
    assert.deepEqual(checkAgainstPolicy(POLICY, { ...PDF, size: undefined }), {
      ok: true,
    });
    assert.deepEqual(
      checkAgainstPolicy(POLICY, { name: "photo.heic.exe" }),
      { ok: false, reason: "type-not-allowed" },
    );
    assert.deepEqual(
      checkAgainstPolicy({ ...POLICY, enabled: false }, { name: "a.pdf" }),
      { ok: false, reason: "disabled" },
    );
  });
});

Deno.test("typeAllowed", async (t) => {
  const types = [".pdf", "image/*", "text/plain", "PNG", "bad type"];
  await t.step("by extension, case-insensitively", () => {
    assert.ok(typeAllowed(types, "Report.PDF", undefined));
    assert.ok(typeAllowed(types, "x.png", undefined));
    assert.ok(!typeAllowed(types, "pdf", undefined));
    assert.ok(!typeAllowed(types, "x.pdf.zip", "application/zip"));
  });
  await t.step("by MIME type and family, parameters dropped", () => {
    assert.ok(typeAllowed(types, "notes", "text/plain; charset=utf-8"));
    assert.ok(typeAllowed(types, "photo.heic", "IMAGE/HEIC"));
    assert.ok(!typeAllowed(types, "page", "text/html"));
    assert.ok(!typeAllowed(types, "x", "image"));
  });
  await t.step("a media type does not let an executable through", () => {
    assert.ok(!typeAllowed(types, "invoice.exe", "image/png"));
    assert.ok(!typeAllowed(types, "page.html", "text/plain"));
    assert.ok(typeAllowed([".exe"], "tool.exe", "image/png"));
  });
  await t.step("an empty list allows nothing", () => {
    assert.ok(!typeAllowed([], "a.pdf", "application/pdf"));
  });
});

Deno.test("extensionOf", () => {
  assert.equal(extensionOf("a.tar.GZ"), ".gz");
  assert.equal(extensionOf("bashrc"), undefined);
  assert.equal(extensionOf(".bashrc"), undefined);
  assert.equal(extensionOf("x."), undefined);
});
