import assert from "node:assert/strict";
import {
  type ComposedPresence,
  OFFLINE,
} from "../../../../shared/xmpp/presence/presence_compose.ts";
import type { RosterItem } from "../../../../shared/xmpp/roster/roster_parser.ts";
import { composerBlock } from "./contact_reach.ts";

const bob: RosterItem = {
  jid: "bob@example.com",
  name: "Bob Smith",
  groups: [],
  subscription: "both",
};
const online: ComposedPresence = {
  availability: "available",
  show: "available",
  resources: 1,
};
const away: ComposedPresence = {
  ...online,
  availability: "away",
  show: "away",
};

Deno.test("contact reach", async (t) => {
  await t.step("closed for a contact seen signed out, with the reason", () => {
    assert.equal(
      composerBlock("Bob Smith", bob, OFFLINE),
      "Bob Smith is signed out. Messages can be sent once they sign in.",
    );
    assert.equal(
      composerBlock("Bob Smith", { ...bob, subscription: "to" }, OFFLINE),
      "Bob Smith is signed out. Messages can be sent once they sign in.",
    );
  });

  await t.step("open while any resource is available, away or dnd", () => {
    assert.equal(composerBlock("Bob", bob, online), undefined);
    assert.equal(composerBlock("Bob", bob, away), undefined);
  });

  await t.step("open when the agent cannot see their presence", () => {
    assert.equal(composerBlock("Zed", undefined, OFFLINE), undefined);
    assert.equal(
      composerBlock("Bob", { ...bob, subscription: "from" }, OFFLINE),
      undefined,
    );
    assert.equal(
      composerBlock("Bob", { ...bob, subscription: "none" }, OFFLINE),
      undefined,
    );
  });
});
