import assert from "node:assert/strict";
import { defaultSettings } from "../../shared/settings/settings_schema.ts";
import {
  fieldErrorsOf,
  formValuesOf,
  parseSize,
  type SettingsFormValues,
  validateForm,
} from "./settings_form_values.ts";

const VALID: SettingsFormValues = {
  primary: "https://imp1.example.com:5280/httpbinding",
  secondary: "",
  attachmentsEnabled: true,
  maxSize: "1.5",
  maxSizeUnit: "MB",
  allowedTypes: " .PDF,image/* , ,png ",
};

Deno.test("formValuesOf", async (t) => {
  await t.step("shows a size in the largest unit that keeps it whole", () => {
    const settings = defaultSettings();
    assert.equal(formValuesOf(settings).maxSize, "10");
    assert.equal(formValuesOf(settings).maxSizeUnit, "MB");
    settings.attachments.maxBytes = 1536 * 1024;
    assert.deepEqual(
      [formValuesOf(settings).maxSize, formValuesOf(settings).maxSizeUnit],
      ["1536", "KB"],
    );
  });

  await t.step("keeps an odd byte count exact through the form", () => {
    const settings = defaultSettings();
    settings.attachments.maxBytes = 1001;
    const values = formValuesOf(settings);
    assert.equal(parseSize(values.maxSize, values.maxSizeUnit), 1001);
  });

  await t.step("joins the allowed types with commas", () => {
    assert.equal(
      formValuesOf(defaultSettings()).allowedTypes,
      ".pdf, .txt, .png, .jpg, .jpeg, .gif",
    );
  });
});

Deno.test("validateForm", async (t) => {
  await t.step("normalizes like the API: types, size in bytes", () => {
    const result = validateForm(VALID);
    assert.ok(result.ok);
    assert.deepEqual(result.settings.attachments, {
      enabled: true,
      maxBytes: 1536 * 1024,
      allowedTypes: [".pdf", "image/*", ".png"],
    });
  });

  await t.step("puts the schema's URL message on the field", () => {
    const result = validateForm({ ...VALID, primary: "javascript:alert(1)" });
    assert.equal(result.ok, false);
    assert.match(
      !result.ok ? result.fields.primary ?? "" : "",
      /javascript:.*not allowed/,
    );
  });

  await t.step("a size that is not a number is a field error", () => {
    const result = validateForm({ ...VALID, maxSize: "ten" });
    assert.ok(!result.ok);
    assert.deepEqual(result.fields, {
      maxSize: "Enter the maximum size as a number, such as 10.",
    });
  });

  await t.step("the API's size limit applies after the unit", () => {
    const result = validateForm({ ...VALID, maxSize: "101" });
    assert.ok(!result.ok);
    assert.match(result.fields.maxSize ?? "", /at most 100 MiB/);
  });

  await t.step("names the allowed type that is wrong", () => {
    const result = validateForm({ ...VALID, allowedTypes: ".pdf, a b" });
    assert.ok(!result.ok);
    assert.match(result.fields.allowedTypes ?? "", /^"a b": Use a file/);
  });
});

Deno.test("fieldErrorsOf maps the API's 422 keys to fields", () => {
  assert.deepEqual(
    fieldErrorsOf({
      primary: "P",
      "attachments.maxBytes": "M",
      "attachments.allowedTypes.1": "T",
      settings: "Unknown setting.",
    }, [".pdf", "bad"]),
    {
      fields: { primary: "P", maxSize: "M", allowedTypes: '"bad": T' },
      general: "Unknown setting.",
    },
  );
});
