import assert from "node:assert/strict";
import { signal } from "@preact/signals";
import type { RecentChat } from "../../../shared/xmpp/chat/recent_chats.ts";
import { groupRoster } from "../../../shared/xmpp/roster/roster_state.ts";
import { ContactListModel } from "./contact_list_model.ts";
import { applyTreeCommand, treeCommand } from "./tree_keys.ts";

function key(key: string, mods: { shiftKey?: boolean; altKey?: boolean } = {}) {
  return { key, shiftKey: false, altKey: false, ...mods };
}

Deno.test("tree keys", async (t) => {
  await t.step("map to commands (WAI-ARIA APG tree)", () => {
    assert.equal(treeCommand(key("ArrowDown")), "down");
    assert.equal(treeCommand(key("ArrowUp")), "up");
    assert.equal(treeCommand(key("Home")), "home");
    assert.equal(treeCommand(key("End")), "end");
    assert.equal(treeCommand(key("ArrowLeft")), "left");
    assert.equal(treeCommand(key("ArrowRight")), "right");
    assert.equal(treeCommand(key("Enter")), "activate");
    assert.equal(treeCommand(key(" ")), "select");
    assert.equal(treeCommand(key("Delete")), "delete");
    assert.equal(treeCommand(key("ContextMenu")), "menu");
    assert.equal(treeCommand(key("F10", { shiftKey: true })), "menu");
    assert.equal(treeCommand(key("F10")), undefined);
    assert.equal(treeCommand(key("ArrowDown", { altKey: true })), undefined);
    assert.equal(treeCommand(key("a")), undefined);
    assert.equal(treeCommand(key("toString")), undefined);
  });

  await t.step("Space and Enter fold groups; Space selects contacts", () => {
    const model = new ContactListModel(
      signal(groupRoster([
        { jid: "ann@example.com", groups: ["Sales"], subscription: "both" },
      ])),
      signal<readonly RecentChat[]>([]),
    );
    applyTreeCommand(model, "select");
    assert.equal(model.rows.value.length, 1);
    applyTreeCommand(model, "activate");
    assert.equal(model.rows.value.length, 2);
    applyTreeCommand(model, "down");
    applyTreeCommand(model, "activate");
    assert.deepEqual(model.selection.value, []);
    applyTreeCommand(model, "select");
    assert.deepEqual(model.selection.value, [
      { jid: "ann@example.com", group: "Sales" },
    ]);
    applyTreeCommand(model, "select");
    assert.deepEqual(model.selection.value, []);
    applyTreeCommand(model, "left");
    assert.equal(model.focusIndex.value, 0);
  });
});
