import assert from "node:assert/strict";
import type { RosterItem } from "../../../shared/xmpp/roster/roster_parser.ts";
import { RECENT_GROUP, sectionRows } from "./contact_rows.ts";

function item(jid: string, name?: string): RosterItem {
  return {
    jid,
    ...(name === undefined ? {} : { name }),
    subscription: "both",
    groups: [],
  };
}

const ZOE = item("zoe@example.com", "Zoë Adams");
const BEN = item("ben@example.com");

Deno.test("sectionRows: a roster group's header lists its members' JIDs", () => {
  const rows = sectionRows([
    {
      group: RECENT_GROUP,
      name: "Recent Chats",
      recent: true,
      members: [{ jid: "x@example.com", at: 1 }],
    },
    { group: "Agents", name: "Agents", recent: false, members: [ZOE, BEN] },
  ], new Set());
  const headers = rows.filter((row) => row.kind === "group");
  assert.equal(headers[0].kind === "group" && headers[0].members, undefined);
  assert.deepEqual(headers[1].kind === "group" && headers[1].members, [
    "zoe@example.com",
    "ben@example.com",
  ]);
  assert.equal(headers[1].kind === "group" && headers[1].count, 2);
});
