// The data-form path of directory search (XEP-0055 §3) on ejabberd 23.01's
// own answers, taken from a private node (mod_vcard, search: true): which
// fields are asked, how a search is submitted, how its result is read.
import assert from "node:assert/strict";
import {
  FakeConnection,
  type PendingIq,
  settle,
} from "../../../tests/support/fake_connection.ts";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import { NS_DATA } from "./data_form.ts";
import { createDirectorySearch, NS_SEARCH } from "./directory_search.ts";
import {
  formSearchRequests,
  parseFormResult,
  parseFormSearch,
} from "./search_form.ts";
import { parseXml as parse } from "../../../tests/support/xml_text.ts";

const HOST_INFO = parse(
  `<iq type="result" from="localhost"><query xmlns="http://jabber.org/protocol/disco#info"><identity name="ejabberd" type="im" category="server"/><feature var="http://jabber.org/protocol/disco#info"/><feature var="http://jabber.org/protocol/disco#items"/><feature var="iq"/><feature var="presence"/><feature var="urn:xmpp:ping"/><feature var="vcard-temp"/><x type="result" xmlns="jabber:x:data"><field var="FORM_TYPE" type="hidden"><value>http://jabber.org/network/serverinfo</value></field></x></query></iq>`,
);
const HOST_ITEMS = parse(
  `<iq type="result" from="localhost"><query xmlns="http://jabber.org/protocol/disco#items"><item jid="vjud.localhost"/></query></iq>`,
);
const VJUD_INFO = parse(
  `<iq type="result" from="vjud.localhost"><query xmlns="http://jabber.org/protocol/disco#info"><identity name="vCard User Search" type="user" category="directory"/><feature var="http://jabber.org/protocol/disco#info"/><feature var="http://jabber.org/protocol/disco#items"/><feature var="vcard-temp"/><feature var="jabber:iq:search"/></query></iq>`,
);
const SEARCH_FORM = parse(
  `<iq type="result" from="vjud.localhost"><query xmlns="jabber:iq:search"><instructions>You need an x:data capable client to search</instructions><x type="form" xmlns="jabber:x:data"><title>Search users in vjud.localhost</title><instructions>Fill in the form to search for any matching XMPP User</instructions><field var="user" type="text-single" label="User"/><field var="fn" type="text-single" label="Full Name"/><field var="first" type="text-single" label="Name"/><field var="middle" type="text-single" label="Middle Name"/><field var="last" type="text-single" label="Family Name"/><field var="nick" type="text-single" label="Nickname"/><field var="bday" type="text-single" label="Birthday"/><field var="ctry" type="text-single" label="Country"/><field var="locality" type="text-single" label="City"/><field var="email" type="text-single" label="Email"/><field var="orgname" type="text-single" label="Organization Name"/><field var="orgunit" type="text-single" label="Organization Unit"/></x></query></iq>`,
);
const REPORTED =
  `<reported><field var="jid" type="text-single" label="Jabber ID"/><field var="fn" type="text-single" label="Full Name"/><field var="first" type="text-single" label="Name"/><field var="middle" type="text-single" label="Middle Name"/><field var="last" type="text-single" label="Family Name"/><field var="nick" type="text-single" label="Nickname"/><field var="bday" type="text-single" label="Birthday"/><field var="ctry" type="text-single" label="Country"/><field var="locality" type="text-single" label="City"/><field var="email" type="text-single" label="Email"/><field var="orgname" type="text-single" label="Organization Name"/><field var="orgunit" type="text-single" label="Organization Unit"/></reported>`;
const ALICE =
  `<item><field var="jid"><value>alice@localhost</value></field><field var="fn"><value>Alice Smith</value></field><field var="last"><value>Smith</value></field><field var="first"><value>Alice</value></field><field var="middle"><value/></field><field var="nick"><value>ali</value></field><field var="bday"><value/></field><field var="ctry"><value/></field><field var="locality"><value/></field><field var="email"><value>alice@example.com</value></field><field var="orgname"><value/></field><field var="orgunit"><value/></field></item>`;
const NO_ONE = parse(
  `<iq type="result" from="vjud.localhost"><query xmlns="jabber:iq:search"><x type="result" xmlns="jabber:x:data"><title>Search Results for vjud.localhost</title>${REPORTED}</x></query></iq>`,
);
const FOUND_ALICE = parse(
  `<iq type="result" from="vjud.localhost"><query xmlns="jabber:iq:search"><x type="result" xmlns="jabber:x:data"><title>Search Results for vjud.localhost</title>${REPORTED}${ALICE}</x></query></iq>`,
);

const ALICE_ENTRY = {
  jid: "alice@localhost",
  first: "Alice",
  last: "Smith",
  nick: "ali",
  email: "alice@example.com",
  fullName: "Alice Smith",
};

/** What one submission asks: [field, value] pairs, FORM_TYPE included. */
function submitted(request: XmlElement): string[][] {
  const x = request.getChild("query", NS_SEARCH)?.getChild("x", NS_DATA);
  assert.equal(x?.attrs.type, "submit");
  return (x?.getChildren("field") ?? []).map((field) => [
    field.attrs.var ?? "",
    field.getChildText("value") ?? "",
  ]);
}

async function next(connection: FakeConnection, count = 1) {
  for (let i = 0; i < 20 && connection.iqs.length < count; i++) await settle();
  const iqs = connection.takeIqs();
  assert.equal(iqs.length, count, "iqs sent");
  return iqs;
}

function answer(iq: PendingIq, with_: XmlElement): void {
  iq.result(with_.getChildElements()[0]);
}

Deno.test("data-form search against ejabberd's answers", async (t) => {
  await t.step("the form offers the name fields, in our order", () => {
    assert.deepEqual(parseFormSearch(SEARCH_FORM), {
      fields: ["user", "fn", "first", "last", "nick", "email"],
    });
  });

  await t.step("legacy fields only: no data-form search", () => {
    const legacy = parse(
      `<iq type="result"><query xmlns="jabber:iq:search"><first/><last/></query></iq>`,
    );
    assert.equal(parseFormSearch(legacy), undefined);
  });

  await t.step("each field asked on its own, whole and as a prefix", () => {
    const requests = formSearchRequests(
      "vjud.localhost",
      { formType: "jabber:iq:search", fields: ["first", "nick"] },
      "Ali",
    );
    assert.deepEqual(requests.map((r) => [r.attrs.type, r.attrs.to]), [
      ["set", "vjud.localhost"],
      ["set", "vjud.localhost"],
      ["set", "vjud.localhost"],
      ["set", "vjud.localhost"],
    ]);
    assert.deepEqual(requests.map(submitted), [
      [["FORM_TYPE", "jabber:iq:search"], ["first", "Ali"]],
      [["FORM_TYPE", "jabber:iq:search"], ["first", "Ali*"]],
      [["FORM_TYPE", "jabber:iq:search"], ["nick", "Ali"]],
      [["FORM_TYPE", "jabber:iq:search"], ["nick", "Ali*"]],
    ]);
  });

  await t.step("a result form read into entries", () => {
    assert.deepEqual(parseFormResult(FOUND_ALICE), [ALICE_ENTRY]);
    assert.deepEqual(parseFormResult(NO_ONE), []);
    // XEP-0055 §2.1: an empty <query/> is "nobody matched" too.
    assert.deepEqual(
      parseFormResult(
        parse(`<iq type="result"><query xmlns="jabber:iq:search"/></iq>`),
      ),
      [],
    );
    assert.ok(
      parseFormResult(
        parse(
          `<iq type="result"><query xmlns="jabber:iq:search"><x xmlns="jabber:x:data" type="form"/></query></iq>`,
        ),
      ) instanceof ParseError,
    );
  });

  await t.step("the whole flow, discovery to merged results", async () => {
    const connection = new FakeConnection("bob@localhost");
    const directory = createDirectorySearch(connection);
    const searching = directory.search("smith");
    const [hostInfo] = await next(connection);
    assert.equal(hostInfo.request.attrs.to, "localhost");
    answer(hostInfo, HOST_INFO);
    answer((await next(connection))[0], HOST_ITEMS);
    const [vjudInfo] = await next(connection);
    assert.equal(vjudInfo.request.attrs.to, "vjud.localhost");
    answer(vjudInfo, VJUD_INFO);
    const [form] = await next(connection);
    assert.equal(form.request.attrs.to, "vjud.localhost");
    answer(form, SEARCH_FORM);

    const searches = await next(connection, 12);
    assert.deepEqual(
      searches.map((iq) => submitted(iq.request)),
      ["user", "fn", "first", "last", "nick", "email"].flatMap((field) => [
        [[field, "smith"]],
        [[field, "smith*"]],
      ]),
    );
    // ejabberd's Mnesia backend: only the whole family name matches.
    searches.forEach((iq, at) => answer(iq, at === 6 ? FOUND_ALICE : NO_ONE));
    assert.deepEqual(await searching, [ALICE_ENTRY]);
  });

  await t.step(
    "one field refused, another answered: the people found",
    async () => {
      const connection = new FakeConnection("bob@localhost");
      const directory = createDirectorySearch(connection, {
        service: "vjud.localhost",
      });
      const searching = directory.search("ali");
      answer((await next(connection))[0], SEARCH_FORM);
      const searches = await next(connection, 12);
      searches.forEach((iq, at) =>
        at % 2 === 1 ? iq.error("bad-request", "modify") : answer(
          iq,
          at === 8 ? FOUND_ALICE : NO_ONE,
        )
      );
      assert.deepEqual(await searching, [ALICE_ENTRY]);
    },
  );

  await t.step("every request failed: the failure, worded", async () => {
    const connection = new FakeConnection("bob@localhost");
    const directory = createDirectorySearch(connection, {
      service: "vjud.localhost",
    });
    const searching = directory.search("ali");
    answer((await next(connection))[0], SEARCH_FORM);
    for (const iq of await next(connection, 12)) iq.timeout();
    await assert.rejects(
      searching,
      (err: unknown) =>
        err instanceof Error && err.name === "TimeoutError" &&
        err.message.includes("vjud.localhost"),
    );
  });
});
