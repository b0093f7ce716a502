import assert from "node:assert/strict";
import { contactIndex } from "./imitation.ts";
import {
  alertText,
  describePerson,
  NOT_IN_CONTACTS,
  personLabel,
  personNotes,
} from "./person.ts";

const SAM = { jid: "sam@corp.example", name: "Sam Sullivan" };
const index = contactIndex([SAM, { jid: "dana@corp.example", name: "dana" }]);

Deno.test("a contact: roster name, then vCard, then local part", () => {
  assert.deepEqual(
    describePerson(SAM.jid, {
      contact: true,
      rosterName: " Sam Sullivan ",
      vcardName: "Samuel",
    }, index),
    { jid: SAM.jid, contact: true, name: "Sam Sullivan", source: "roster" },
  );
  assert.deepEqual(
    describePerson("pat@corp.example", {
      contact: true,
      rosterName: " ",
      vcardName: "Pat Lee",
    }, index),
    {
      jid: "pat@corp.example",
      contact: true,
      name: "Pat Lee",
      source: "vcard",
    },
  );
  assert.deepEqual(
    describePerson("pat@corp.example", { contact: true }, index),
    { jid: "pat@corp.example", contact: true, name: "pat", source: "address" },
  );
});

Deno.test("a contact's claim is never read", () => {
  const person = describePerson("pat@corp.example", {
    contact: true,
    claim: "Sam Sullivan",
  }, index);
  assert.equal(person.name, "pat");
  assert.equal(person.claim, undefined);
  assert.equal(person.looksLike, undefined);
});

Deno.test("a contact whose vCard name imitates another contact is flagged", () => {
  const person = describePerson("sam2@corp.example", {
    contact: true,
    vcardName: "Sаm Sullivan",
  }, index);
  assert.equal(person.name, "Sаm Sullivan");
  assert.deepEqual(person.looksLike, SAM);
  assert.deepEqual(personNotes(person), [
    "Looks like Sam Sullivan — check the address",
  ]);
});

Deno.test("a roster name is the agent's own: never flagged", () => {
  const person = describePerson("sam2@corp.example", {
    contact: true,
    rosterName: "Sam Sullivan",
  }, index);
  assert.equal(person.looksLike, undefined);
});

Deno.test("a stranger is their address; a harmless nick is a labelled claim", () => {
  const person = describePerson("pat@other.example", {
    contact: false,
    rosterName: "ignored",
    vcardName: "ignored",
    claim: "Pat from Billing",
  }, index);
  assert.deepEqual(person, {
    jid: "pat@other.example",
    contact: false,
    name: "pat@other.example",
    source: "address",
    claim: "Pat from Billing",
  });
  assert.deepEqual(personNotes(person), [
    NOT_IN_CONTACTS,
    "Says “Pat from Billing”",
  ]);
  assert.equal(
    personLabel(person),
    "pat@other.example, Not in your contacts, Says “Pat from Billing”",
  );
});

Deno.test("a stranger whose nick imitates a contact: flagged, the nick dropped", () => {
  const person = describePerson("x@evil.example", {
    contact: false,
    claim: "Sam Sullivan",
  }, index);
  assert.equal(person.name, "x@evil.example");
  assert.equal(person.claim, undefined);
  assert.deepEqual(person.looksLike, SAM);
  assert.deepEqual(personNotes(person), [
    "Looks like Sam Sullivan — check the address",
    NOT_IN_CONTACTS,
  ]);
});

Deno.test("a stranger whose local part imitates a contact is flagged", () => {
  const person = describePerson("sam@evil.example", { contact: false }, index);
  assert.deepEqual(person.looksLike, SAM);
  const dana = describePerson("DANA@evil.example", { contact: false }, index);
  assert.equal(dana.looksLike?.jid, "dana@corp.example");
});

Deno.test("alertText: a stranger is marked in the title, a flag leads the body", () => {
  const pat = describePerson("pat@corp.example", { contact: true }, index);
  assert.deepEqual(alertText(pat, "hi"), { title: "pat", body: "hi" });
  const other = describePerson("pat@x.example", { contact: false }, index);
  assert.deepEqual(alertText(other, "hi"), {
    title: "pat@x.example (not in your contacts)",
    body: "hi",
  });
  const fake = describePerson("x@evil.example", {
    contact: false,
    claim: "Sam Sullivan",
  }, index);
  assert.deepEqual(alertText(fake, "hi"), {
    title: "x@evil.example (not in your contacts)",
    body: "⚠ Looks like Sam Sullivan — check the address\nhi",
  });
});
