import assert from "node:assert/strict";
import { contactIndex, imitatedContact, localPart } from "./imitation.ts";

const SAM = { jid: "sam@corp.example", name: "Sam Sullivan" };
const DANA = { jid: "dana.quinlan@corp.example", name: "Dana" };
const index = contactIndex([SAM, DANA]);

Deno.test("localPart: before the @, empty for a domain JID", () => {
  assert.equal(localPart("sam@corp.example"), "sam");
  assert.equal(localPart("corp.example"), "");
});

Deno.test("imitatedContact: a contact's name under another JID", () => {
  assert.deepEqual(
    imitatedContact(index, "x@evil.example", ["Sаm Sullivan"]),
    SAM,
  );
  assert.deepEqual(imitatedContact(index, "x@evil.example", ["DANA"]), DANA);
});

Deno.test("imitatedContact: a contact's local part under another JID", () => {
  assert.deepEqual(imitatedContact(index, "sam@evil.example", ["sam"]), SAM);
  assert.deepEqual(
    imitatedContact(index, "x@evil.example", ["Dana Quinlan"]),
    DANA,
  );
});

Deno.test("imitatedContact: the contact's own JID is no imitation", () => {
  assert.equal(
    imitatedContact(index, SAM.jid, ["Sam Sullivan", "sam"]),
    undefined,
  );
});

Deno.test("imitatedContact: other names and invisible names imitate no one", () => {
  assert.equal(
    imitatedContact(index, "x@evil.example", ["Pat Lee"]),
    undefined,
  );
  assert.equal(imitatedContact(index, "x@evil.example", ["\u200B"]), undefined);
  assert.equal(imitatedContact(index, "x@evil.example", []), undefined);
});

Deno.test("contactIndex: two contacts with one name are both found", () => {
  const twins = contactIndex([
    SAM,
    { jid: "sam.s@corp.example", name: "Sam Sullivan" },
  ]);
  // Each is told apart from the other, not from itself.
  assert.equal(
    imitatedContact(twins, SAM.jid, ["Sam Sullivan"])?.jid,
    "sam.s@corp.example",
  );
  assert.equal(
    imitatedContact(twins, "sam.s@corp.example", ["Sam Sullivan"])?.jid,
    SAM.jid,
  );
});
