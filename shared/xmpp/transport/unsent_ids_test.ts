import assert from "node:assert/strict";
import { unsentIds } from "./unsent_ids.ts";

Deno.test("unsentIds names serialized stanzas by their id", async (t) => {
  await t.step("in order, as xmpp.js serializes them", () => {
    assert.deepEqual(
      unsentIds([
        '<message to="bob@example.com" id="m1" xmlns="jabber:client"><body>a &gt; b</body></message>',
        "<iq type='get' id='q&amp;2'><query xmlns='jabber:iq:roster'/></iq>",
      ]),
      ["m1", "q&2"],
    );
  });

  await t.step(
    "an id inside another attribute or a child is not the id",
    () => {
      assert.deepEqual(
        unsentIds([
          '<message to="x id=&quot;no&quot;"><body id="child"/></message>',
        ]),
        [],
      );
    },
  );

  await t.step("garbage names nothing and does not throw", () => {
    assert.deepEqual(unsentIds(["", "<", "not xml", "<a id='x'><b></a>"]), [
      "x",
    ]);
  });
});
