import assert from "node:assert/strict";
import { signal } from "@preact/signals";
import type { RecentChat } from "../../../shared/xmpp/chat/recent_chats.ts";
import { groupRoster } from "../../../shared/xmpp/roster/roster_state.ts";
import { ContactListModel } from "./contact_list_model.ts";
import { actionsLabel, rowActions } from "./row_actions.ts";

function rows() {
  const model = new ContactListModel(
    signal(groupRoster([
      {
        jid: "ann@example.com",
        name: "Ann",
        groups: ["Sales"],
        subscription: "both",
      },
      { jid: "solo@example.com", groups: [], subscription: "both" },
    ])),
    signal<readonly RecentChat[]>([
      { jid: "eve@example.com", nick: "Eve", at: 1 },
      { jid: "dan@example.com", at: 1 },
    ]),
  );
  return model.rows.value;
}

Deno.test("row actions", async (t) => {
  const [recentHeader, eve, dan, sales, ann, other, solo] = rows();

  await t.step("a group offers Add, Edit, Delete", () => {
    assert.equal(actionsLabel(sales), "Actions for group Sales");
    assert.deepEqual(rowActions(sales), [
      { label: "Add", request: { kind: "add-contact", group: "Sales" } },
      { label: "Edit", request: { kind: "edit-group", group: "Sales" } },
      { label: "Delete", request: { kind: "delete-group", group: "Sales" } },
    ]);
  });

  await t.step("Other Contacts only Add; Recent Chats nothing", () => {
    assert.equal(actionsLabel(other), "Actions for group Other Contacts");
    assert.deepEqual(rowActions(other), [
      { label: "Add", request: { kind: "add-contact", group: "" } },
    ]);
    assert.deepEqual(rowActions(recentHeader), []);
  });

  await t.step("a contact offers Edit, Move, Delete for this entry", () => {
    assert.equal(actionsLabel(ann), "Actions for Ann");
    const entries = [{ jid: "ann@example.com", group: "Sales" }];
    assert.deepEqual(rowActions(ann), [
      {
        label: "Edit",
        request: { kind: "edit-contact", jid: "ann@example.com" },
      },
      { label: "Move", request: { kind: "move-contacts", entries } },
      { label: "Delete", request: { kind: "delete-contacts", entries } },
    ]);
    assert.deepEqual(
      rowActions(solo).map((action) => action.request),
      [
        { kind: "edit-contact", jid: "solo@example.com" },
        {
          kind: "move-contacts",
          entries: [{ jid: "solo@example.com", group: "" }],
        },
        {
          kind: "delete-contacts",
          entries: [{ jid: "solo@example.com", group: "" }],
        },
      ],
    );
  });

  await t.step(
    "a recent chat offers Add, named by its address, not its nick",
    () => {
      assert.equal(actionsLabel(eve), "Actions for eve@example.com");
      assert.deepEqual(rowActions(eve), [{
        label: "Add",
        request: { kind: "add-contact", jid: "eve@example.com" },
      }]);
      assert.deepEqual(rowActions(dan), [{
        label: "Add",
        request: { kind: "add-contact", jid: "dan@example.com" },
      }]);
    },
  );
});
