// Stanza-shaped fast-check generators for the fuzz properties: random trees
// built from the real element names, namespaces and attributes the core
// reads, mixed with arbitrary strings and hostile text (markup, entities,
// bidi overrides, zero-width, controls, lone surrogates, long runs), so a
// property reaches past the first `is("iq")` check into the deep code.
import fc from "fast-check";
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../../shared/xmpp/core/connection.ts";

export const OWN_JID = "agent@example.com";

export const NS = {
  client: "jabber:client",
  roster: "jabber:iq:roster",
  discoInfo: "http://jabber.org/protocol/disco#info",
  caps: "http://jabber.org/protocol/caps",
  carbons: "urn:xmpp:carbons:2",
  forward: "urn:xmpp:forward:0",
  receipts: "urn:xmpp:receipts",
  chatStates: "http://jabber.org/protocol/chatstates",
  delay: "urn:xmpp:delay",
  nick: "http://jabber.org/protocol/nick",
  stanzas: "urn:ietf:params:xml:ns:xmpp-stanzas",
  data: "jabber:x:data",
  search: "jabber:iq:search",
  vcard: "vcard-temp",
  vcardUpdate: "vcard-temp:x:update",
  ping: "urn:xmpp:ping",
  httpbind: "http://jabber.org/protocol/httpbind",
} as const;

// deno-fmt-ignore
export const NAMES = [
  "iq", "message", "presence", "query", "item", "group", "body", "subject",
  "thread", "show", "status", "priority", "c", "x", "error", "text", "request",
  "received", "sent", "forwarded", "active", "composing", "paused", "inactive",
  "gone", "delay", "nick", "identity", "feature", "field", "value", "vCard",
  "FN", "NICKNAME", "ping", "uri", "enable", "service-unavailable",
  "item-not-found", "bad-request", "photo", "first", "jid", "reported",
  "stream:features",
] as const;

/** Hostile text the corpus of issue 14 item 7 names, in small form. */
// deno-fmt-ignore
export const HOSTILE = [
  "", " ", "\t\n", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
  "&lt;b&gt;bold&lt;/b&gt;", "&amp;amp;", "&#60;", "]]>", "<![CDATA[x]]>",
  "javascript:alert(1)", "\u202eevil\u202c", "\u2066x\u2069", "a\u200bb",
  "\ufeff", "a\u0000b", "\u0007\u001b[31m", "\r\n", "\u2028", "\ud800",
  "\udc00x", "x\ud83d", "😀", "e\u0301", "Ａｄｍｉｎ", "Sam Sullivan", "ѕam", "%00",
  "{{x}}", "${x}", "__proto__", "constructor", "toString",
] as const;

/** Long runs (10 kB) of one hostile character: bounds must cut them. */
export const hugeText: fc.Arbitrary<string> = fc.constantFrom(
  "x",
  "<",
  "\u202e",
  "😀",
  "&",
).map((c) => c.repeat(10_000 / c.length));

/**
 * Text that reads as markup once unescaped: a parser that decodes entities
 * a second time, or re-parses text as XML or HTML, changes these.
 */
export const ESCAPED = [
  "&lt;b&gt;bold&lt;/b&gt;",
  "&amp;amp;",
  "&#60;script&#62;",
  "&lt;img src=x onerror=alert(1)&gt;",
  "a &amp; b",
] as const;

/** Text: hostile tokens, arbitrary strings and mixes of them. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: fc.constantFrom(...ESCAPED) },
  { weight: 4, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }) },
  {
    weight: 2,
    arbitrary: fc.array(fc.constantFrom(...HOSTILE), { maxLength: 4 }).map(
      (parts) => parts.join(""),
    ),
  },
);

// deno-fmt-ignore
export const JIDS = [
  OWN_JID, `${OWN_JID}/web`, `${OWN_JID}/phone`, "Agent@Example.com",
  "bob@example.com", "bob@example.com/desk", "Bob@Example.COM/Desk",
  "carol@example.com", "eve@evil.example/x", "example.com", "evil.example",
  "@example.com", "bob@", "bob@example.com/", "a@b@c", "x@[::1]",
  "<b>@example.com",
] as const;

export const jidText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...JIDS) },
  { weight: 1, arbitrary: hostileText },
);

// deno-fmt-ignore
const TYPES = [
  "get", "set", "result", "error", "chat", "normal", "groupchat", "headline",
  "unavailable", "subscribe", "subscribed", "unsubscribe", "unsubscribed",
  "probe", "cancel", "modify", "form", "submit", "terminate",
] as const;

/** An attribute name and a value that suits it, or anything. */
const attribute: fc.Arbitrary<readonly [string, string]> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.tuple(fc.constantFrom("from", "to", "jid"), jidText),
  },
  {
    weight: 3,
    arbitrary: fc.tuple(
      fc.constant("type"),
      fc.oneof(fc.constantFrom(...TYPES), hostileText),
    ),
  },
  {
    weight: 3,
    arbitrary: fc.tuple(
      fc.constant("xmlns"),
      fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...Object.values(NS)) },
        { weight: 1, arbitrary: hostileText },
      ),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(
      fc.constantFrom("subscription", "ask", "approved"),
      fc.oneof(
        fc.constantFrom(
          "none",
          "to",
          "from",
          "both",
          "remove",
          "subscribe",
          "true",
          "1",
        ),
        hostileText,
      ),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(
      fc.constantFrom(
        "id",
        "name",
        "ver",
        "node",
        "hash",
        "var",
        "category",
        "stamp",
        "xml:lang",
        "label",
        "condition",
      ),
      hostileText,
    ),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(
      fc.oneof(
        fc.constantFrom("xmlns:stream", "onclick", "style", "__proto__"),
        fc.string({ minLength: 1, maxLength: 6 }),
      ),
      hostileText,
    ),
  },
);

export const attributes: fc.Arbitrary<Record<string, string>> = fc
  .array(attribute, { maxLength: 4 })
  .map((pairs) => {
    // A null prototype: "__proto__" is an attribute name like any other.
    const out: Record<string, string> = Object.create(null);
    for (const [name, value] of pairs) out[name] = value;
    return { ...out };
  });

const elementName: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 8 }) },
);

/** Any tree of vocabulary elements and hostile text, a few levels deep. */
export const { tree: anyTree } = fc.letrec<{
  tree: XmlElement;
  node: XmlElement | string;
}>((tie) => ({
  tree: fc.tuple(
    elementName,
    attributes,
    fc.array(tie("node"), { maxLength: 4 }),
  ).map(([name, attrs, children]) => xml(name, attrs, ...children)),
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 2, arbitrary: hostileText },
    { weight: 3, arbitrary: tie("tree") },
  ),
}));

/** One chain of nested elements, as deep as `depth` says. */
export function nestedTree(
  depth: fc.Arbitrary<number>,
): fc.Arbitrary<XmlElement> {
  return fc.tuple(
    depth,
    fc.constantFrom(...NAMES),
    fc.option(fc.constantFrom(...Object.values(NS)), { nil: undefined }),
  ).map(([levels, name, xmlns]) => {
    let element = xml(name, xmlns === undefined ? {} : { xmlns }, "leaf");
    for (let i = 0; i < levels; i++) element = xml(name, {}, element);
    return element;
  });
}

/**
 * The deep-nesting bomb in small: mostly a few hundred levels, now and then
 * a thousand, deep enough that a recursive walk of the tree would show.
 */
export const deepTree: fc.Arbitrary<XmlElement> = nestedTree(
  fc.oneof(
    { weight: 9, arbitrary: fc.integer({ min: 20, max: 200 }) },
    { weight: 1, arbitrary: fc.constant(1_000) },
  ),
);

/**
 * A top-level stanza: iq, message or presence with addressing and a type
 * from the vocabulary, carrying `payload` children (feature-shaped ones a
 * test supplies) and vocabulary trees.
 */
export function stanzaOf(
  payload: fc.Arbitrary<XmlElement | string>,
  names: readonly ("iq" | "message" | "presence")[] = [
    "iq",
    "message",
    "presence",
  ],
): fc.Arbitrary<XmlElement> {
  return fc.record({
    name: fc.constantFrom(...names),
    from: fc.option(jidText, { nil: undefined }),
    to: fc.option(jidText, { nil: undefined }),
    id: fc.option(fc.oneof(fc.constantFrom("a1", "a2", "o1"), hostileText), {
      nil: undefined,
    }),
    type: fc.option(
      fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...TYPES) }, {
        weight: 1,
        arbitrary: hostileText,
      }),
      { nil: undefined },
    ),
    children: fc.array(
      fc.oneof(
        { weight: 4, arbitrary: payload },
        { weight: 1, arbitrary: anyTree },
        { weight: 1, arbitrary: hostileText },
        { weight: 1, arbitrary: hugeText },
      ),
      { maxLength: 4 },
    ),
  }).map((s) => {
    const attrs: Record<string, string> = {};
    for (const key of ["from", "to", "id", "type"] as const) {
      const value = s[key];
      if (value !== undefined) attrs[key] = value;
    }
    return xml(s.name, attrs, ...s.children);
  });
}

/** A stanza of any shape at all: vocabulary stanzas, deep ones, wide ones. */
export const anyStanza: fc.Arbitrary<XmlElement> = fc.oneof(
  { weight: 8, arbitrary: stanzaOf(anyTree) },
  { weight: 1, arbitrary: stanzaOf(deepTree) },
  { weight: 2, arbitrary: anyTree },
);
