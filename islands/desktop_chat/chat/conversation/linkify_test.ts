import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzzRuns } from "../../../../tests/support/fuzz.ts";
import { linkify, type Token, webHref } from "./linkify.ts";

// Fixed seed: a failure reproduces; ≥ 1,000 cases per property.
const RUNS = fuzzRuns(1313, 2000);

const text = (t: string): Token => ({ kind: "text", text: t });
const link = (t: string, href = t): Token => ({ kind: "link", text: t, href });

Deno.test("linkify", async (t) => {
  await t.step("plain text is one text token; empty is none", () => {
    assert.deepEqual(linkify("hello there"), [text("hello there")]);
    assert.deepEqual(linkify(""), []);
  });

  await t.step("http and https URLs inside prose", () => {
    assert.deepEqual(linkify("see https://example.com/a?b=1#c now"), [
      text("see "),
      link("https://example.com/a?b=1#c"),
      text(" now"),
    ]);
    assert.deepEqual(linkify("http://example.com"), [
      link("http://example.com", "http://example.com/"),
    ]);
    assert.deepEqual(linkify("HTTPS://EXAMPLE.COM/X"), [
      link("HTTPS://EXAMPLE.COM/X", "https://example.com/X"),
    ]);
  });

  await t.step("sentence punctuation and unopened brackets stay text", () => {
    assert.deepEqual(linkify("Go to https://example.com/a."), [
      text("Go to "),
      link("https://example.com/a"),
      text("."),
    ]);
    assert.deepEqual(linkify("(see https://example.com/a)!"), [
      text("(see "),
      link("https://example.com/a"),
      text(")!"),
    ]);
    assert.deepEqual(
      linkify("https://en.wikipedia.org/wiki/Mercury_(planet), ok"),
      [link("https://en.wikipedia.org/wiki/Mercury_(planet)"), text(", ok")],
    );
  });

  await t.step("quotes and angle brackets delimit a URL", () => {
    assert.deepEqual(linkify('<https://example.com/x>"'), [
      text("<"),
      link("https://example.com/x"),
      text('>"'),
    ]);
  });

  await t.step("two URLs, and URLs across lines", () => {
    assert.deepEqual(linkify("http://a.example\nhttps://b.example/"), [
      link("http://a.example", "http://a.example/"),
      text("\n"),
      link("https://b.example/"),
    ]);
  });

  await t.step("other schemes and hostless URLs are never links", () => {
    for (
      const input of [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        "ftp://example.com/file",
        "http://",
        "https://?x=1",
        "http://[::1",
        "xhttp://example.com",
        "<img src=x onerror=alert(1)>",
      ]
    ) {
      assert.ok(
        linkify(input).every((token) => token.kind === "text"),
        input,
      );
    }
  });

  await t.step("javascript: inside an http URL is its port or query", () => {
    // "alert(1)" is no port (WHATWG URL: port state), so no URL at all.
    assert.deepEqual(linkify("http://javascript:alert(1)"), [
      text("http://javascript:alert(1)"),
    ]);
    assert.deepEqual(linkify("https://example.com/?q=javascript:alert(1)"), [
      link("https://example.com/?q=javascript:alert(1)"),
    ]);
  });

  await t.step("webHref accepts only http(s) with a host", () => {
    assert.equal(webHref("https://example.com"), "https://example.com/");
    assert.equal(webHref("javascript:alert(1)"), undefined);
    assert.equal(webHref("not a url"), undefined);
  });
});

const fragment = fc.oneof(
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }),
  fc.webUrl({ withFragments: true, withQueryParameters: true }),
  fc.constantFrom(
    "http://",
    "https://",
    "HTTP://",
    "javascript:",
    "data:",
    "(",
    ")",
    "[",
    "]",
    ".",
    ",",
    "<",
    ">",
    '"',
    " ",
    "\n",
    "\u0000",
    "\u202e",
    "\ud800",
    "%",
    "@",
    ":",
    "/",
    "[::1]",
  ),
);
const message = fc.array(fragment, { maxLength: 12 }).map((parts) =>
  parts.join("")
);

Deno.test("linkify properties", async (t) => {
  await t.step(
    "never throws; the tokens give back the input; links are http(s)",
    () => {
      fc.assert(
        fc.property(message, (input) => {
          const tokens = linkify(input);
          assert.equal(tokens.map((token) => token.text).join(""), input);
          for (const token of tokens) {
            assert.notEqual(token.text, "");
            if (token.kind !== "link") continue;
            assert.ok(URL.canParse(token.href), token.href);
            assert.match(new URL(token.href).protocol, /^https?:$/);
          }
        }),
        RUNS,
      );
    },
  );

  await t.step("a web URL between spaces is one link", () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true }), (url) => {
        const tokens = linkify(`a ${url} b`);
        const links = tokens.filter((token) => token.kind === "link");
        assert.equal(links.length, 1);
        // Trailing punctuation may be read as prose; the start never moves.
        assert.ok(url.startsWith(links[0].text));
      }),
      RUNS,
    );
  });
});
