// Directory search through a scripted connection: discovery order, the
// mod_vjud request shape, results, timeouts and aborts. The data-form path
// (ejabberd) is in search_form_test.ts. Real servers:
// tests/integration/directory_search_test.ts.
import assert from "node:assert/strict";
import { xml } from "@xmpp/xml";
import {
  FakeConnection,
  type PendingIq,
  settle,
} from "../../../tests/support/fake_connection.ts";
import type { XmlElement } from "../core/connection.ts";
import { ParseError, StanzaError, TimeoutError } from "../core/errors.ts";
import {
  createDirectorySearch,
  NoDirectoryError,
  NS_DISCO_INFO,
  NS_DISCO_ITEMS,
  NS_SEARCH,
  parseSearchResult,
} from "./directory_search.ts";

const OWN = "agent@example.com";

function info(...features: string[]): XmlElement {
  return xml(
    "query",
    { xmlns: NS_DISCO_INFO },
    ...features.map((f) => xml("feature", { var: f })),
  );
}

function form(...fields: string[]): XmlElement {
  return xml(
    "query",
    { xmlns: NS_SEARCH },
    xml("instructions", {}, "Fill in"),
    ...fields.map((f) => xml(f)),
  );
}

function results(...items: Record<string, string>[]): XmlElement {
  return xml(
    "query",
    { xmlns: NS_SEARCH },
    ...items.map(({ jid, ...fields }) =>
      xml(
        "item",
        { jid },
        ...Object.entries(fields).map(([k, v]) => xml(k, {}, v)),
      )
    ),
  );
}

/** Waits for the next iq the code under test sends. */
async function next(connection: FakeConnection): Promise<PendingIq> {
  for (let i = 0; i < 20 && connection.iqs.length === 0; i++) await settle();
  const [iq] = connection.takeIqs();
  assert.ok(iq, "an iq was sent");
  return iq;
}

function describeIq(iq: PendingIq) {
  const query = iq.request.getChildElements()[0];
  return [iq.request.attrs.type, iq.request.attrs.to, query?.attrs.xmlns];
}

Deno.test("directory search", async (t) => {
  await t.step(
    "on the host: disco#info, form, then the OR-ed search",
    async () => {
      const connection = new FakeConnection(OWN);
      const directory = createDirectorySearch(connection, { timeoutMs: 777 });
      const searching = directory.search("  Smi ");

      const disco = await next(connection);
      assert.deepEqual(describeIq(disco), [
        "get",
        "example.com",
        NS_DISCO_INFO,
      ]);
      assert.equal(disco.timeoutMs, 777);
      disco.result(info(NS_DISCO_INFO, NS_SEARCH));

      const fields = await next(connection);
      assert.deepEqual(describeIq(fields), ["get", "example.com", NS_SEARCH]);
      fields.result(form("first", "last", "nick", "email"));

      const search = await next(connection);
      assert.deepEqual(describeIq(search), ["set", "example.com", NS_SEARCH]);
      const query = search.request.getChild("query", NS_SEARCH);
      assert.deepEqual(
        query?.getChildElements().map((f) => [f.name, f.text()]),
        [["first", "Smi"], ["last", "Smi"], ["nick", "Smi"], ["email", "Smi"]],
      );
      search.result(
        results(
          { jid: "zed@example.com", first: "Zed", last: "Smith" },
          {
            jid: "Ann@Example.com",
            first: "Ann",
            last: "Smithers",
            email: "ann@example.com",
          },
          { jid: "ann@example.com", first: "Duplicate" },
          { jid: "not a jid" },
        ),
      );
      assert.deepEqual(await searching, [
        {
          jid: "ann@example.com",
          first: "Ann",
          last: "Smithers",
          email: "ann@example.com",
        },
        { jid: "zed@example.com", first: "Zed", last: "Smith" },
      ]);

      // Discovery is remembered.
      const again = directory.search("zed");
      const second = await next(connection);
      assert.deepEqual(describeIq(second), ["set", "example.com", NS_SEARCH]);
      second.result(results());
      assert.deepEqual(await again, []);
    },
  );

  await t.step("a component found through disco#items", async () => {
    const connection = new FakeConnection(OWN);
    const directory = createDirectorySearch(connection);
    const found = directory.service();
    (await next(connection)).result(info(NS_DISCO_INFO));
    const items = await next(connection);
    assert.deepEqual(describeIq(items), ["get", "example.com", NS_DISCO_ITEMS]);
    items.result(
      xml(
        "query",
        { xmlns: NS_DISCO_ITEMS },
        xml("item", { jid: "conference.example.com" }),
        xml("item", { jid: "vjud.example.com" }),
        xml("item", { jid: "broken.example.com" }),
      ),
    );
    for (let i = 0; i < 20 && connection.iqs.length < 3; i++) await settle();
    const probes = connection.takeIqs();
    assert.deepEqual(probes.map((p) => p.request.attrs.to), [
      "conference.example.com",
      "vjud.example.com",
      "broken.example.com",
    ]);
    probes[0].result(info("http://jabber.org/protocol/muc"));
    probes[1].result(info(NS_SEARCH));
    probes[2].timeout();
    const fields = await next(connection);
    assert.equal(fields.request.attrs.to, "vjud.example.com");
    fields.result(form("nick", "email"));
    assert.deepEqual(await found, {
      jid: "vjud.example.com",
      fields: ["nick", "email"],
    });
  });

  await t.step(
    "no directory: NoDirectoryError, and discovery is retried",
    async () => {
      const connection = new FakeConnection(OWN);
      const directory = createDirectorySearch(connection);
      const searching = directory.search("bob");
      (await next(connection)).result(info(NS_DISCO_INFO));
      (await next(connection)).result(xml("query", { xmlns: NS_DISCO_ITEMS }));
      await assert.rejects(
        searching,
        (err: unknown) =>
          err instanceof NoDirectoryError &&
          err instanceof StanzaError &&
          err.condition === "service-unavailable",
      );

      const retry = directory.search("bob");
      const disco = await next(connection);
      assert.deepEqual(describeIq(disco), [
        "get",
        "example.com",
        NS_DISCO_INFO,
      ]);
      disco.error("service-unavailable");
      await assert.rejects(retry, StanzaError);
    },
  );

  await t.step(
    "a configured service that refuses the form: a plain error",
    async () => {
      const connection = new FakeConnection(OWN);
      const directory = createDirectorySearch(connection, {
        service: "search.example.com",
      });
      const searching = directory.search("bob");
      const fields = await next(connection);
      assert.deepEqual(describeIq(fields), [
        "get",
        "search.example.com",
        NS_SEARCH,
      ]);
      fields.error("service-unavailable");
      // Only disco says there is no directory.
      await assert.rejects(
        searching,
        (err: unknown) =>
          err instanceof StanzaError && !(err instanceof NoDirectoryError) &&
          err.condition === "service-unavailable" &&
          err.message.includes("search.example.com"),
      );
    },
  );

  await t.step("a form without XEP-0055 fields cannot be used", async () => {
    const connection = new FakeConnection(OWN);
    const directory = createDirectorySearch(connection, { service: "s.x" });
    const searching = directory.search("bob");
    (await next(connection)).result(form());
    await assert.rejects(
      searching,
      (err: unknown) =>
        err instanceof NoDirectoryError &&
        err.condition === "feature-not-implemented",
    );
  });

  await t.step("no answer: the TimeoutError reaches the caller", async () => {
    const connection = new FakeConnection(OWN);
    const directory = createDirectorySearch(connection, { service: "s.x" });
    const searching = directory.search("bob");
    (await next(connection)).result(form("first", "email"));
    (await next(connection)).timeout();
    await assert.rejects(
      searching,
      (err: unknown) =>
        err instanceof TimeoutError && err.message.includes("s.x"),
    );
  });

  await t.step("a term too short is refused without asking", async () => {
    const connection = new FakeConnection(OWN);
    const directory = createDirectorySearch(connection, { service: "s.x" });
    for (const term of ["", " b ", "\u0007x"]) {
      await assert.rejects(
        directory.search(term),
        (err: unknown) =>
          err instanceof StanzaError && err.condition === "not-acceptable",
      );
    }
    assert.equal(connection.iqs.length, 0);
  });

  await t.step("abort: rejects at once with the signal's reason", async () => {
    const connection = new FakeConnection(OWN);
    const directory = createDirectorySearch(connection, { service: "s.x" });
    (async () => (await next(connection)).result(form("first", "email")))();
    const controller = new AbortController();
    const searching = directory.search("bob", { signal: controller.signal });
    const search = await next(connection);
    controller.abort();
    await assert.rejects(
      searching,
      (err: unknown) =>
        err instanceof DOMException && err.name === "AbortError",
    );
    search.result(results({ jid: "late@x" }));
    await settle();
    const aborted = AbortSignal.abort();
    await assert.rejects(
      directory.search("bob", { signal: aborted }),
      (err: unknown) => err instanceof DOMException,
    );
  });

  await t.step("hostile results are bounded and cleaned", () => {
    const many = Array.from({ length: 500 }, (_, i) => ({
      jid: `u${i}@x`,
      nick: `\u202eN${i}\u0000` + "y".repeat(10_000),
    }));
    const parsed = parseSearchResult(
      xml("iq", { type: "result" }, results(...many)),
    );
    assert.ok(!(parsed instanceof ParseError));
    assert.equal(parsed.length, 100);
    assert.ok(parsed.every((e) => (e.nick?.length ?? 0) <= 256));
    assert.ok(parsed.every((e) => !e.nick?.includes("\u202e")));
    assert.ok(
      parseSearchResult(xml("iq", { type: "result" })) instanceof ParseError,
    );
  });
});
