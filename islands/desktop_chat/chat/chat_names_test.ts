import assert from "node:assert/strict";
import { chatName } from "./chat_names.ts";

Deno.test("chat name: roster name, vCard FN, nick, local part", () => {
  const jid = "ann@example.com";
  assert.equal(
    chatName(jid, { rosterName: "Ann R", vcardName: "Ann Roe", nick: "annie" }),
    "Ann R",
  );
  assert.equal(
    chatName(jid, { vcardName: "Ann Roe", nick: "annie" }),
    "Ann Roe",
  );
  assert.equal(chatName(jid, { rosterName: "  ", nick: "annie" }), "annie");
  assert.equal(chatName(jid, {}), "ann");
  assert.equal(chatName("example.com", {}), "example.com");
});
