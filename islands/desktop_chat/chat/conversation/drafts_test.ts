import assert from "node:assert/strict";
import { draftOf, keepDraft } from "./drafts.ts";

Deno.test("drafts", async (t) => {
  const account = {};
  await t.step("kept per chat of one account", () => {
    keepDraft(account, "bob@example.com", "half a thought");
    assert.equal(draftOf(account, "bob@example.com"), "half a thought");
    assert.equal(draftOf(account, "carol@example.com"), "");
  });
  await t.step("another account (a new sign-in) has none", () => {
    assert.equal(draftOf({}, "bob@example.com"), "");
  });
  await t.step("an emptied draft is gone", () => {
    keepDraft(account, "bob@example.com", "");
    assert.equal(draftOf(account, "bob@example.com"), "");
  });
});
