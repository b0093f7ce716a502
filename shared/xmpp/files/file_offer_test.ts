// The offer's wire format on literal stanzas (XEP-0447 §3.1, XEP-0446 §2,
// XEP-0300 §3, XEP-0066, XEP-0103): what is taken, what is refused.
import assert from "node:assert/strict";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import {
  type FileOffer,
  fileOfferStanza,
  offerHasText,
  parseFileOffer,
} from "./file_offer.ts";
import { parseXml as parse } from "../../../tests/support/xml_text.ts";

// SHA-256 of "hello\n".
const HASH = "WJG1tSLV3whtD/CxEPvZ0hu0/HFjrzTQgoai6Eb2vgM=";
const URL = "https://upload.example.com/f/4a77/report.pdf";
const HTTPS_ONLY = { allowHttp: false };

function offerMessage(file: string, extra = "", attrs = ""): XmlElement {
  return parse(
    `<message xmlns="jabber:client" type="chat" id="o1" from="bob@example.com/desk" ${attrs}>
      <file-sharing xmlns="urn:xmpp:sfs:0" disposition="attachment">
        <file xmlns="urn:xmpp:file:metadata:0">${file}</file>
        <sources><url-data xmlns="http://jabber.org/protocol/url-data" target="${URL}"/></sources>
      </file-sharing>${extra}
    </message>`,
  );
}

const FULL = `<media-type>Application/PDF; charset=binary</media-type>
  <name>report.pdf</name><size>6</size>
  <hash xmlns="urn:xmpp:hashes:2" algo="sha3-256">other</hash>
  <hash xmlns="urn:xmpp:hashes:2" algo="sha-256">
    ${HASH}
  </hash>`;

function offer(stanza: XmlElement, options = HTTPS_ONLY): FileOffer {
  const parsed = parseFileOffer(stanza, options);
  assert.ok(!(parsed instanceof ParseError), String(parsed));
  return parsed;
}

function refused(stanza: XmlElement, condition: string, options = HTTPS_ONLY) {
  const parsed = parseFileOffer(stanza, options);
  assert.ok(parsed instanceof ParseError, "refused");
  assert.equal(parsed.condition, condition);
}

Deno.test("fileOfferStanza: the exact wire format", () => {
  const stanza = fileOfferStanza({
    to: "bob@example.com/desk",
    id: "o1",
    name: "report.pdf",
    size: 6,
    mediaType: "application/pdf",
    sha256: HASH,
    url: URL,
  });
  assert.equal(
    stanza.toString(),
    `<message type="chat" to="bob@example.com/desk" id="o1">` +
      `<file-sharing xmlns="urn:xmpp:sfs:0" disposition="attachment">` +
      `<file xmlns="urn:xmpp:file:metadata:0">` +
      `<media-type>application/pdf</media-type><name>report.pdf</name>` +
      `<size>6</size>` +
      `<hash xmlns="urn:xmpp:hashes:2" algo="sha-256">${HASH}</hash></file>` +
      `<sources><url-data xmlns="http://jabber.org/protocol/url-data" ` +
      `target="${URL}"/></sources></file-sharing>` +
      `<x xmlns="jabber:x:oob"><url>${URL}</url></x>` +
      `<body>${URL}</body><request xmlns="urn:xmpp:receipts"/></message>`,
  );
});

Deno.test("parseFileOffer: XEP-0447 offers", async (t) => {
  await t.step("everything", () => {
    assert.deepEqual(offer(offerMessage(FULL)), {
      id: "o1",
      from: {
        local: "bob",
        domain: "example.com",
        resource: "desk",
        bare: "bob@example.com",
      },
      name: "report.pdf",
      size: 6,
      mediaType: "application/pdf",
      sha256: HASH,
      url: URL,
      kind: "sfs",
    });
  });
  await t.step("a hostile name is sanitised", () => {
    const parsed = offer(offerMessage(
      `<name>../../etc/passwd&#x202E;gnp.exe</name><size>1</size>`,
    ));
    assert.equal(parsed.name, "_.._etc_passwdgnp.exe");
  });
  await t.step("no name: the URL's last segment, decoded", () => {
    const parsed = parseFileOffer(
      parse(
        `<message type="chat" id="o2" from="bob@example.com/d">
          <file-sharing xmlns="urn:xmpp:sfs:0"><file xmlns="urn:xmpp:file:metadata:0"/>
          <sources><url-data xmlns="http://jabber.org/protocol/url-data"
            target="https://h.example/a/Q3%20plan%2F..%2Fx.pdf"/></sources>
          </file-sharing></message>`,
      ),
      HTTPS_ONLY,
    );
    assert.ok(!(parsed instanceof ParseError));
    assert.equal(parsed.name, "Q3 plan_.._x.pdf");
    assert.equal(parsed.mediaType, "application/octet-stream");
    assert.equal(parsed.size, undefined);
    assert.equal(parsed.sha256, undefined);
  });
  await t.step("a malformed media type falls back to the default", () => {
    const parsed = offer(
      offerMessage("<media-type>text/&lt;b&gt;</media-type>"),
    );
    assert.equal(parsed.mediaType, "application/octet-stream");
  });
  await t.step("sizes that are not byte counts are refused", () => {
    for (const size of ["-1", "1e3", "1.5", "", "9007199254740993", " x"]) {
      refused(offerMessage(`<size>${size}</size>`), "bad-size");
    }
    assert.equal(offer(offerMessage("<size> 0 </size>")).size, 0);
    assert.equal(
      offer(offerMessage("<size>9007199254740991</size>")).size,
      Number.MAX_SAFE_INTEGER,
    );
  });
  await t.step("a sha-256 not of 32 bytes is refused", () => {
    const bad = [
      HASH.slice(1),
      `${HASH.slice(0, -1)}A`,
      "AAAA",
      `${HASH}AAAA`,
      HASH.replace("W", "*"),
    ];
    for (const hash of bad) {
      refused(
        offerMessage(
          `<hash xmlns="urn:xmpp:hashes:2" algo="sha-256">${hash}</hash>`,
        ),
        "bad-hash",
      );
    }
  });
  await t.step(
    "two sha-256 that differ are refused; equal ones are one",
    () => {
      const other = "A".repeat(43) + "=";
      const hash = (value: string) =>
        `<hash xmlns="urn:xmpp:hashes:2" algo="sha-256">${value}</hash>`;
      refused(offerMessage(hash(HASH) + hash(other)), "bad-hash");
      assert.equal(offer(offerMessage(hash(HASH) + hash(HASH))).sha256, HASH);
    },
  );
  await t.step("a non-canonical base64 is re-encoded canonically", () => {
    // "…gM=" and "…gN=" decode alike (the last 2 bits are padding).
    const loose = `${HASH.slice(0, -2)}N=`;
    const parsed = offer(
      offerMessage(
        `<hash xmlns="urn:xmpp:hashes:2" algo="sha-256">${loose}</hash>`,
      ),
    );
    assert.equal(parsed.sha256, HASH);
  });
  await t.step("the oob URL stands in for unusable sources", () => {
    const stanza = parse(
      `<message type="chat" id="o3" from="bob@example.com/d">
        <file-sharing xmlns="urn:xmpp:sfs:0"><file xmlns="urn:xmpp:file:metadata:0"><size>1</size></file>
        <sources><url-data xmlns="http://jabber.org/protocol/url-data" target="javascript:alert(1)"/></sources>
        </file-sharing><x xmlns="jabber:x:oob"><url>${URL}</url></x></message>`,
    );
    assert.equal(offer(stanza).url, URL);
  });
});

Deno.test("parseFileOffer: URLs (XEP-0447 §5)", async (t) => {
  const withUrl = (url: string, file = FULL) =>
    parse(
      `<message type="chat" id="o1" from="bob@example.com/d">
        <file-sharing xmlns="urn:xmpp:sfs:0"><file xmlns="urn:xmpp:file:metadata:0">${file}</file>
        <sources><url-data xmlns="http://jabber.org/protocol/url-data" target="${url}"/></sources>
        </file-sharing></message>`,
    );
  await t.step("schemes other than http(s), no host, credentials", () => {
    for (
      const url of [
        "javascript:alert(1)",
        "data:text/html,x",
        "file:///etc/passwd",
        "ftp://h.example/x",
        "https://user:pw@h.example/x",
        "https://h.example/a b",
        "not a url",
      ]
    ) {
      refused(withUrl(url), "bad-url");
    }
  });
  await t.step("http only with a hash and when allowed", () => {
    for (
      const http of [
        "http://files.example.com/x.pdf",
        "http://127.0.0.1:5280/x.pdf",
      ]
    ) {
      refused(withUrl(http), "bad-url");
      assert.equal(offer(withUrl(http), { allowHttp: true }).url, http);
      refused(withUrl(http, "<size>1</size>"), "bad-url", { allowHttp: true });
    }
  });
});

Deno.test("parseFileOffer: a bare XEP-0066 oob message", async (t) => {
  const oob = (url: string) =>
    parse(
      `<message type="chat" id="c1" from="carol@example.com/phone">
        <body>${url}</body><x xmlns="jabber:x:oob"><url>${url}</url></x>
      </message>`,
    );
  await t.step("an offer without size or hash, named by its URL", () => {
    assert.deepEqual(offer(oob("https://h.example/u/photo%201.jpg")), {
      id: "c1",
      from: {
        local: "carol",
        domain: "example.com",
        resource: "phone",
        bare: "carol@example.com",
      },
      name: "photo 1.jpg",
      mediaType: "application/octet-stream",
      url: "https://h.example/u/photo%201.jpg",
      kind: "oob",
    });
  });
  await t.step("plain http only beside a plain-http or loopback server", () => {
    for (const http of ["http://h.example/x.jpg", "http://127.0.0.1/x.jpg"]) {
      refused(oob(http), "bad-url");
      assert.equal(offer(oob(http), { allowHttp: true }).url, http);
    }
    refused(oob("javascript:alert(1)"), "bad-url", { allowHttp: true });
  });
  await t.step("a URL with no last segment is named 'file'", () => {
    assert.equal(offer(oob("https://h.example/")).name, "file");
  });
});

Deno.test("offerHasText: a body that says more than the URL", async (t) => {
  const url = "https://h.example/u/photo%201.jpg";
  const message = (body: string | undefined, oobUrl = url) =>
    parse(
      `<message type="chat" id="c1" from="carol@example.com/phone">${
        body === undefined ? "" : `<body>${body}</body>`
      }<x xmlns="jabber:x:oob"><url>${oobUrl}</url></x></message>`,
    );
  const hasText = (stanza: XmlElement) =>
    offerHasText(stanza, offer(stanza, { allowHttp: true }));
  await t.step("the URL again, or no body: no text", () => {
    assert.equal(hasText(message(url)), false);
    assert.equal(hasText(message(`  ${url}\n`)), false);
    assert.equal(hasText(message(undefined)), false);
    assert.equal(hasText(message("")), false);
    // Our own XEP-0447 offer: its body is §3.1's fallback link.
    const ours = fileOfferStanza({
      to: "agent@example.com",
      id: "o1",
      name: "report.pdf",
      size: 6,
      mediaType: "application/pdf",
      sha256: HASH,
      url: URL,
    });
    (ours.attrs as Record<string, string>).from = "bob@example.com/desk";
    assert.equal(hasText(ours), false);
  });
  await t.step("words, or another URL: text", () => {
    assert.equal(hasText(message(`Here it is: ${url}`)), true);
    assert.equal(hasText(message("The report")), true);
    assert.equal(hasText(message("https://other.example/y.jpg")), true);
  });
});

Deno.test("parseFileOffer: not offers", async (t) => {
  const cases: [string, string][] = [
    [`<presence from="bob@example.com/d"/>`, "not-message"],
    [
      `<message type="groupchat" id="o1" from="bob@example.com/d"><x xmlns="jabber:x:oob"><url>${URL}</url></x></message>`,
      "unsupported-type",
    ],
    [
      `<message type="chat" id="o1" from="example.com"><x xmlns="jabber:x:oob"><url>${URL}</url></x></message>`,
      "not-a-user",
    ],
    [
      `<message type="chat" id="o1" from="bob@example.com/d"><body>hi</body></message>`,
      "not-offer",
    ],
    [
      `<message type="chat" from="bob@example.com/d"><x xmlns="jabber:x:oob"><url>${URL}</url></x></message>`,
      "no-id",
    ],
    [
      `<message type="chat" id="o1" from="bob@example.com/d"><file-sharing xmlns="urn:xmpp:sfs:0"/></message>`,
      "no-metadata",
    ],
    [
      `<message type="chat" id="o1" from="bob@example.com/d"><file-sharing xmlns="urn:xmpp:sfs:0"><file xmlns="urn:xmpp:file:metadata:0"/></file-sharing></message>`,
      "bad-url",
    ],
  ];
  for (const [text, condition] of cases) {
    await t.step(condition, () => refused(parse(text), condition));
  }
});
