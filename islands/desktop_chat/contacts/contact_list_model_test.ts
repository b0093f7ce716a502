import assert from "node:assert/strict";
import { signal } from "@preact/signals";
import type { RecentChat } from "../../../shared/xmpp/chat/recent_chats.ts";
import type { RosterItem } from "../../../shared/xmpp/roster/roster_parser.ts";
import { groupRoster } from "../../../shared/xmpp/roster/roster_state.ts";
import { ContactListModel } from "./contact_list_model.ts";
import { type ContactListRow, foldText, RECENT_GROUP } from "./contact_rows.ts";

function contact(
  jid: string,
  groups: string[] = [],
  name?: string,
  extra: Partial<RosterItem> = {},
): RosterItem {
  return {
    jid,
    groups,
    subscription: "both",
    ...(name === undefined ? {} : { name }),
    ...extra,
  };
}

const ZOE = contact("zoe@example.com", ["Sales"], "Zoë Brontë");
const ANN = contact("ann@example.com", ["Sales", "Support"], "Ann Smith");
const BOB = contact("bob@example.com", ["Support"], "Bob Jones");
const SOLO = contact("solo@example.com");
const ROSTER = [ZOE, ANN, BOB, SOLO];

function setup(items: RosterItem[] = ROSTER, chats: RecentChat[] = []) {
  const roster = signal(groupRoster(items));
  const recent = signal<readonly RecentChat[]>(chats);
  const model = new ContactListModel(roster, recent);
  return {
    model,
    setRoster(next: RosterItem[]) {
      roster.value = groupRoster(next);
    },
    setRecent(next: RecentChat[]) {
      recent.value = next;
    },
  };
}

/** A row as one short line, to compare whole lists at a glance. */
function show(row: ContactListRow): string {
  const place = `${row.posinset}/${row.setsize}`;
  switch (row.kind) {
    case "group":
      return `${row.expanded ? "v" : ">"} ${row.name} (${row.count}) ${place}`;
    case "contact":
      return `  ${row.name} [${row.group}] ${place}`;
    case "recent":
      return `  * ${row.name} ${place}`;
  }
}

function lines(model: ContactListModel): string[] {
  return model.rows.value.map(show);
}

Deno.test("contact list rows", async (t) => {
  await t.step(
    "groups in order, Other Contacts last, names from the roster",
    () => {
      const { model } = setup();
      assert.deepEqual(lines(model), [
        "v Sales (2) 1/3",
        "  Ann Smith [Sales] 1/2",
        "  Zoë Brontë [Sales] 2/2",
        "v Support (2) 2/3",
        "  Ann Smith [Support] 1/2",
        "  Bob Jones [Support] 2/2",
        "v Other Contacts (1) 3/3",
        "  solo@example.com [] 1/1",
      ]);
      const first = model.rows.value[0];
      assert.equal(first.kind === "group" && first.group, "Sales");
      assert.equal(first.level, 1);
      assert.equal(model.rows.value[1].level, 2);
    },
  );

  await t.step("Recent Chats come first, only when there are any", () => {
    const { model, setRecent } = setup([BOB]);
    assert.equal(model.rows.value[0].name, "Support");
    setRecent([
      { jid: "eve@example.com", nick: "Eve", at: 2 },
      { jid: "dan@example.com", at: 1 },
    ]);
    assert.deepEqual(lines(model), [
      "v Recent Chats (2) 1/2",
      "  * eve@example.com 1/2",
      "  * dan@example.com 2/2",
      "v Support (1) 2/2",
      "  Bob Jones [Support] 1/1",
    ]);
    const header = model.rows.value[0];
    assert.equal(header.kind === "group" && header.group, RECENT_GROUP);
    const eve = model.rows.value[1];
    assert.deepEqual(eve.kind === "recent" && [eve.jid, eve.nick], [
      "eve@example.com",
      "Eve",
    ]);
  });

  await t.step("a pending subscription is marked", () => {
    const { model } = setup([
      contact("new@example.com", [], "New", { ask: "subscribe" }),
      BOB,
    ]);
    const pending = model.rows.value.filter((row) =>
      row.kind === "contact" && row.pending
    );
    assert.deepEqual(pending.map((row) => row.name), ["New"]);
  });

  await t.step("an empty roster has no rows", () => {
    assert.deepEqual(setup([]).model.rows.value, []);
  });
});

Deno.test("contact list filter", async (t) => {
  await t.step("folds case and accents on both sides", () => {
    assert.equal(foldText("Zoë BRONTË"), "zoe bronte");
    const { model } = setup();
    for (const text of ["zoe", "ZOË", "bronte", "Brontë"]) {
      model.setFilter(text);
      assert.deepEqual(lines(model), [
        "v Sales (1) 1/1",
        "  Zoë Brontë [Sales] 1/1",
      ], text);
    }
  });

  await t.step(
    "matches the JID, counts only matches, keeps both groups",
    () => {
      const { model } = setup();
      model.setFilter("  ann@ ");
      assert.deepEqual(lines(model), [
        "v Sales (1) 1/2",
        "  Ann Smith [Sales] 1/1",
        "v Support (1) 2/2",
        "  Ann Smith [Support] 1/1",
      ]);
    },
  );

  await t.step("no match leaves no rows; clearing restores all", () => {
    const { model } = setup();
    model.setFilter("nobody");
    assert.equal(model.filter.value, "nobody");
    assert.deepEqual(model.rows.value, []);
    model.setFilter("");
    assert.equal(model.rows.value.length, 8);
  });

  await t.step("filters Recent Chats by JID only, never by their nick", () => {
    const { model } = setup([BOB], [
      { jid: "eve@example.com", nick: "Évelyne", at: 1 },
      { jid: "dan@example.com", nick: "Bob Jones", at: 1 },
    ]);
    model.setFilter("evel");
    assert.deepEqual(lines(model), []);
    model.setFilter("EVE@");
    assert.deepEqual(lines(model), [
      "v Recent Chats (1) 1/1",
      "  * eve@example.com 1/1",
    ]);
    // The real Bob only, not the stranger who calls himself Bob Jones.
    model.setFilter("bob");
    assert.deepEqual(lines(model), [
      "v Support (1) 1/1",
      "  Bob Jones [Support] 1/1",
    ]);
    model.setFilter("dan@");
    assert.deepEqual(lines(model), [
      "v Recent Chats (1) 1/1",
      "  * dan@example.com 1/1",
    ]);
  });

  await t.step("follows roster changes while filtering", () => {
    const { model, setRoster } = setup();
    model.setFilter("jones");
    setRoster([...ROSTER, contact("jo@example.com", ["Sales"], "Jo Jones")]);
    assert.deepEqual(lines(model), [
      "v Sales (1) 1/2",
      "  Jo Jones [Sales] 1/1",
      "v Support (1) 2/2",
      "  Bob Jones [Support] 1/1",
    ]);
  });

  await t.step("a keystroke over 5,000 contacts stays cheap", () => {
    const items = Array.from(
      { length: 5_000 },
      (_, i) =>
        contact(`user${i}@example.com`, [`Team ${i % 40}`], `Usér ${i}`),
    );
    const { model } = setup(items);
    assert.equal(model.rows.value.length, 5_040);
    const times: number[] = [];
    for (const text of ["u", "us", "use", "user", "user1", "user12", ""]) {
      const start = performance.now();
      model.setFilter(text);
      model.rows.value;
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    // Generous, so a loaded CI machine passes; a quadratic slip does not.
    assert.ok(times[3] < 25, `median keystroke ${times[3].toFixed(2)} ms`);
  });
});

Deno.test("contact list groups collapse", async (t) => {
  await t.step(
    "groups start expanded; a toggle hides members, keeps count",
    () => {
      const { model } = setup();
      model.toggleGroup("Sales");
      assert.deepEqual(lines(model).slice(0, 2), [
        "> Sales (2) 1/3",
        "v Support (2) 2/3",
      ]);
      model.toggleGroup("Sales");
      assert.equal(lines(model)[0], "v Sales (2) 1/3");
    },
  );

  await t.step("a filter shows matching groups expanded, then restores", () => {
    const { model } = setup();
    model.toggleGroup("Sales");
    model.setFilter("ann");
    assert.deepEqual(lines(model)[0], "v Sales (1) 1/2");
    model.toggleGroup("Support");
    assert.equal(lines(model)[2], "> Support (1) 2/2");
    model.setFilter("an");
    assert.equal(lines(model)[2], "v Support (1) 2/2");
    model.setFilter("");
    assert.deepEqual(lines(model).slice(0, 2), [
      "> Sales (2) 1/3",
      "v Support (2) 2/3",
    ]);
  });

  await t.step("Recent Chats collapse apart from a group of that name", () => {
    const { model } = setup(
      [contact("x@example.com", ["Recent Chats"])],
      [{ jid: "eve@example.com", at: 1 }],
    );
    model.toggleGroup(RECENT_GROUP);
    assert.deepEqual(lines(model), [
      "> Recent Chats (1) 1/2",
      "v Recent Chats (1) 2/2",
      "  x@example.com [Recent Chats] 1/1",
    ]);
  });
});

Deno.test("contact list selection", async (t) => {
  const inSales = { jid: ANN.jid, group: "Sales" };
  const inSupport = { jid: ANN.jid, group: "Support" };
  const bob = { jid: BOB.jid, group: "Support" };

  await t.step("Ctrl-click toggles, per group", () => {
    const { model } = setup();
    model.toggleSelected(inSales);
    assert.deepEqual(model.selection.value, [inSales]);
    assert.equal(model.isSelected(inSales), true);
    assert.equal(model.isSelected(inSupport), false);
    model.toggleSelected(inSupport);
    model.toggleSelected(bob);
    assert.deepEqual(model.selection.value, [inSales, inSupport, bob]);
    model.toggleSelected(inSales);
    assert.deepEqual(model.selection.value, [inSupport, bob]);
    model.clearSelection();
    assert.deepEqual(model.selection.value, []);
  });

  await t.step("entries that leave the roster are dropped for good", () => {
    const { model, setRoster } = setup();
    model.toggleSelected(inSales);
    model.toggleSelected(inSupport);
    model.toggleSelected(bob);
    // Ann moved out of Sales, Bob deleted.
    setRoster([ZOE, { ...ANN, groups: ["Support"] }, SOLO]);
    assert.deepEqual(model.selection.value, [inSupport]);
    setRoster(ROSTER);
    assert.deepEqual(model.selection.value, [inSupport]);
  });

  await t.step("a filter hides rows but keeps their selection", () => {
    const { model } = setup();
    model.toggleSelected(bob);
    model.setFilter("zoe");
    assert.deepEqual(model.selection.value, [bob]);
  });
});

Deno.test("contact list focus", async (t) => {
  await t.step("starts on the first row and moves within bounds", () => {
    const { model } = setup();
    assert.equal(model.focusIndex.value, 0);
    model.moveFocus("up");
    assert.equal(model.focusIndex.value, 0);
    model.moveFocus("down");
    model.moveFocus("down");
    assert.equal(model.focusIndex.value, 2);
    model.moveFocus("end");
    assert.equal(model.focusIndex.value, 7);
    model.moveFocus("down");
    assert.equal(model.focusIndex.value, 7);
    model.moveFocus("home");
    assert.equal(model.focusIndex.value, 0);
    model.focusRow(99);
    assert.equal(model.focusIndex.value, 7);
  });

  await t.step("stays on its row when rows change around it", () => {
    const { model } = setup();
    model.focusRow(4); // Ann in Support
    model.toggleGroup("Sales");
    assert.equal(
      model.rows.value[model.focusIndex.value].key,
      "cSupport\u0000ann@example.com",
    );
    assert.equal(model.focusIndex.value, 2);
  });

  await t.step("falls back to the same place when its row goes", () => {
    const { model, setRoster } = setup();
    model.focusRow(7); // solo, last
    setRoster([ZOE, ANN, BOB]);
    assert.equal(model.focusIndex.value, 5);
    model.setFilter("nobody");
    assert.equal(model.focusIndex.value, -1);
  });

  await t.step(
    "Left closes a group or goes to it; Right opens or enters",
    () => {
      const { model } = setup();
      model.focusRow(5); // Bob in Support
      model.arrowLeft();
      assert.equal(model.focusIndex.value, 3);
      model.arrowLeft();
      assert.equal(lines(model)[3], "> Support (2) 2/3");
      model.arrowLeft();
      assert.equal(lines(model)[3], "> Support (2) 2/3");
      model.arrowRight();
      assert.equal(lines(model)[3], "v Support (2) 2/3");
      assert.equal(model.focusIndex.value, 3);
      model.arrowRight();
      assert.equal(model.focusIndex.value, 4);
      model.arrowRight();
      assert.equal(model.focusIndex.value, 4);
    },
  );
});

Deno.test("listed: who the filtered list shows, for the Directory to leave out", () => {
  const { model } = setup(ROSTER, [
    { jid: "stranger@example.com", nick: "Zed", at: 1 },
    { jid: "other@example.com", at: 2 },
  ]);
  assert.deepEqual([...model.listed.value], []);
  model.setFilter(" zoe ");
  assert.deepEqual([...model.listed.value], ["zoe@example.com"]);
  model.setFilter("bob@");
  assert.deepEqual([...model.listed.value], ["bob@example.com"]);
  model.setFilter("ZED");
  assert.deepEqual([...model.listed.value], []);
  model.setFilter("STRANGER");
  assert.deepEqual([...model.listed.value], ["stranger@example.com"]);
  model.setFilter("example");
  assert.deepEqual([...model.listed.value].sort(), [
    "ann@example.com",
    "bob@example.com",
    "other@example.com",
    "solo@example.com",
    "stranger@example.com",
    "zoe@example.com",
  ]);
});
