import assert from "node:assert/strict";
import {
  ParseError,
  StanzaError,
  TimeoutError,
} from "../../../shared/xmpp/core/errors.ts";
import { NO_GROUP } from "../../../shared/xmpp/roster/roster_state.ts";
import {
  addedGroups,
  bySourceGroup,
  contactAddress,
  countText,
  editedGroups,
  errorMessage,
  groupLabel,
  initialChoice,
  nameList,
  pickedGroup,
  pickerGroups,
  renamedGroup,
} from "./dialog_logic.ts";

Deno.test("group picker", async (t) => {
  await t.step("NO_GROUP is offered once, last, as Other Contacts", () => {
    assert.deepEqual(pickerGroups(["Sales", "Support", NO_GROUP]), [
      "Sales",
      "Support",
      NO_GROUP,
    ]);
    assert.deepEqual(pickerGroups([]), [NO_GROUP]);
    assert.equal(groupLabel(NO_GROUP), "Other Contacts");
    assert.equal(groupLabel("Sales"), "Sales");
  });

  await t.step("preselects the requested group", () => {
    const groups = ["Sales", "Support", NO_GROUP];
    assert.deepEqual(initialChoice(groups, "Support"), {
      kind: "existing",
      group: "Support",
    });
    assert.deepEqual(initialChoice(groups, NO_GROUP), {
      kind: "existing",
      group: NO_GROUP,
    });
  });

  await t.step("a requested group that is gone becomes a new one", () => {
    assert.deepEqual(initialChoice(["Sales", NO_GROUP], "Night shift"), {
      kind: "new",
      name: "Night shift",
    });
  });

  await t.step("otherwise the first group not avoided", () => {
    const groups = ["Sales", "Support", NO_GROUP];
    assert.deepEqual(initialChoice(groups), {
      kind: "existing",
      group: "Sales",
    });
    assert.deepEqual(initialChoice(groups, undefined, ["Sales"]), {
      kind: "existing",
      group: "Support",
    });
    assert.deepEqual(initialChoice(["Sales"], undefined, ["Sales"]), {
      kind: "existing",
      group: "Sales",
    });
    assert.deepEqual(initialChoice([]), { kind: "new", name: "" });
  });

  await t.step("an existing group is taken as is", () => {
    assert.equal(pickedGroup({ kind: "existing", group: "Sales" }), "Sales");
    assert.equal(pickedGroup({ kind: "existing", group: NO_GROUP }), NO_GROUP);
  });

  await t.step("a new group name is cleaned and validated", () => {
    assert.equal(
      pickedGroup({ kind: "new", name: "  Night   shift " }),
      "Night shift",
    );
    const empty = pickedGroup({ kind: "new", name: "   " });
    assert.ok(empty instanceof ParseError);
    assert.equal(empty.message, "Enter a group name.");
    const long = pickedGroup({ kind: "new", name: "x".repeat(129) });
    assert.ok(long instanceof ParseError);
    assert.match(long.message, /at most 128 characters/);
  });
});

Deno.test("editedGroups", async (t) => {
  const shown = ["Sales", "Support", "VIP"];

  await t.step("ticked groups in the order shown", () => {
    assert.deepEqual(
      editedGroups(shown, new Set(["VIP", "Sales"]), ""),
      ["Sales", "VIP"],
    );
  });

  await t.step("none ticked means no group", () => {
    assert.deepEqual(editedGroups(shown, new Set(), " "), []);
  });

  await t.step("a typed new group is added once", () => {
    assert.deepEqual(editedGroups(shown, new Set(["Sales"]), " Night "), [
      "Sales",
      "Night",
    ]);
    assert.deepEqual(editedGroups(shown, new Set(["Sales"]), "Sales"), [
      "Sales",
    ]);
  });

  await t.step("a bad new group is refused", () => {
    assert.ok(
      editedGroups(shown, new Set(), "y".repeat(200)) instanceof ParseError,
    );
  });
});

Deno.test("addedGroups keeps the groups of someone already added", () => {
  assert.deepEqual(addedGroups(undefined, "Sales"), ["Sales"]);
  assert.deepEqual(addedGroups(undefined, NO_GROUP), []);
  assert.deepEqual(addedGroups(["Support"], "Sales"), ["Support", "Sales"]);
  assert.deepEqual(addedGroups(["Sales"], "Sales"), ["Sales"]);
  assert.deepEqual(addedGroups(["Support"], NO_GROUP), ["Support"]);
});

Deno.test("contactAddress", async (t) => {
  await t.step("a full bare JID, normalized", () => {
    assert.equal(
      contactAddress(" Ann@Example.COM ", "me@example.com"),
      "ann@example.com",
    );
  });

  await t.step("a domain alone or a full JID is refused", () => {
    for (const input of ["example.com", "ann@example.com/desk"]) {
      const result = contactAddress(input, "me@example.com");
      assert.ok(result instanceof ParseError, input);
      assert.equal(
        result.message,
        "Enter a full address such as name@example.com.",
      );
    }
  });

  await t.step("malformed input says why", () => {
    const result = contactAddress("ann@", "me@example.com");
    assert.ok(result instanceof ParseError);
    assert.match(result.message, /^Not a valid chat address/);
  });

  await t.step("not the agent's own address", () => {
    const result = contactAddress("Me@example.com", "me@example.com");
    assert.ok(result instanceof ParseError);
    assert.equal(result.message, "That is your own address.");
  });
});

Deno.test("renamedGroup", async (t) => {
  const groups = ["Sales", "Support", NO_GROUP];

  await t.step("a free name, cleaned", () => {
    assert.equal(
      renamedGroup("Sales", " Inside  sales ", groups),
      "Inside sales",
    );
  });

  await t.step("the same name is allowed (nothing to do)", () => {
    assert.equal(renamedGroup("Sales", "Sales", groups), "Sales");
  });

  await t.step("another group's name is refused", () => {
    const result = renamedGroup("Sales", "Support", groups);
    assert.ok(result instanceof ParseError);
    assert.equal(
      result.message,
      "A group named “Support” already exists. Choose another name.",
    );
  });

  await t.step("an empty name is refused", () => {
    const result = renamedGroup("Sales", "", groups);
    assert.ok(result instanceof ParseError);
    assert.equal(result.message, "Enter a group name.");
  });
});

Deno.test("bySourceGroup", async (t) => {
  await t.step("groups in the order first picked, each JID once", () => {
    assert.deepEqual(
      bySourceGroup([
        { jid: "ann@x", group: "Support" },
        { jid: "dee@x", group: NO_GROUP },
        { jid: "bob@x", group: "Support" },
        { jid: "bob@x", group: "Sales" },
        { jid: "ann@x", group: "Support" },
      ]),
      [
        { group: "Support", jids: ["ann@x", "bob@x"] },
        { group: NO_GROUP, jids: ["dee@x"] },
        { group: "Sales", jids: ["bob@x"] },
      ],
    );
  });

  await t.step("nothing picked", () => {
    assert.deepEqual(bySourceGroup([]), []);
  });
});

Deno.test("nameList shows up to five names, then a count", () => {
  assert.deepEqual(nameList(["A", "B"]), { shown: ["A", "B"], more: 0 });
  assert.deepEqual(nameList(["A", "B", "C", "D", "E"]), {
    shown: ["A", "B", "C", "D", "E"],
    more: 0,
  });
  assert.deepEqual(nameList(["A", "B", "C", "D", "E", "F", "G"]), {
    shown: ["A", "B", "C", "D", "E"],
    more: 2,
  });
});

Deno.test("countText", () => {
  assert.equal(countText(1, "contact", "contacts"), "1 contact");
  assert.equal(countText(3, "contact", "contacts"), "3 contacts");
  assert.equal(countText(0, "contact", "contacts"), "0 contacts");
});

Deno.test("errorMessage shows an XmppError's own message only", () => {
  assert.equal(
    errorMessage(new StanzaError("not-allowed", "cancel", "Not allowed.")),
    "Not allowed.",
  );
  assert.equal(
    errorMessage(new TimeoutError("The chat server did not answer.")),
    "The chat server did not answer.",
  );
  assert.equal(
    errorMessage(new TypeError("x is undefined")),
    "Something went wrong. Try again.",
  );
});
