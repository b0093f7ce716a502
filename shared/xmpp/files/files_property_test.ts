// Property tests of the attachments' wire readers: on any stanza a peer, a
// server or a forger can send, they never throw and hand out only plain
// data within their bounds (round trips: files_round_trip_test.ts; the
// name sanitiser: file_name_property_test.ts).
import assert from "node:assert/strict";
import fc from "fast-check";
import { xml } from "@xmpp/xml";
import { fuzzRuns } from "../../../tests/support/fuzz.ts";
import { assertPlainData } from "../../../tests/support/plain_data.ts";
import {
  anyStanza,
  anyTree,
  hostileText,
  hugeText,
  stanzaOf,
} from "../../../tests/support/stanza_arbitrary.ts";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import { sanitizeFileName } from "./file_name.ts";
import { NS_FILE_METADATA, NS_HASHES } from "./file_metadata.ts";
import {
  NS_OOB,
  NS_SFS,
  NS_URL_DATA,
  offerHasText,
  parseFileOffer,
} from "./file_offer.ts";
import {
  FAILURE_REASONS,
  NS_FILE_OUTCOME,
  parseFileOutcome,
} from "./file_outcome.ts";
import { parseUploadService } from "./upload_discovery.ts";
import { parseSlotError } from "./upload_error.ts";
import { NS_HTTP_UPLOAD, parseUploadSlot } from "./upload_slot.ts";

const URLS = [
  "https://upload.example.com/f/4a77/report.pdf",
  "https://h.example/a%20b/%E2%80%AEgnp.exe?x=1",
  "http://127.0.0.1:5280/share/x.png",
  "http://files.example.com/x",
  "javascript:alert(1)",
  "https://u:p@h.example/x",
  "https://h.example/",
  "ftp://h.example/x",
];
const url = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...URLS) },
  { weight: 1, arbitrary: hostileText },
);
const sha256 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) =>
  btoa(String.fromCharCode(...bytes))
);
const hashText = fc.oneof(sha256, hostileText, fc.constant("AAAA"));
const text = fc.oneof(hostileText, hugeText, fc.constantFrom("6", "0", "-1"));

/** Offer-shaped payloads: every element the reader looks at, hostile values. */
const offerPayload: fc.Arbitrary<XmlElement> = fc.record({
  name: fc.option(text, { nil: undefined }),
  size: fc.option(fc.oneof(text, fc.nat().map(String)), { nil: undefined }),
  type: fc.option(text, { nil: undefined }),
  hashes: fc.array(
    fc.tuple(fc.constantFrom("sha-256", "sha-1", "SHA-256"), hashText),
    { maxLength: 3 },
  ),
  sources: fc.array(url, { maxLength: 3 }),
  disposition: fc.constantFrom("attachment", "inline", "<x>"),
}).map((p) =>
  xml(
    "file-sharing",
    { xmlns: NS_SFS, disposition: p.disposition },
    xml(
      "file",
      { xmlns: NS_FILE_METADATA },
      p.name === undefined ? undefined : xml("name", {}, p.name),
      p.size === undefined ? undefined : xml("size", {}, p.size),
      p.type === undefined ? undefined : xml("media-type", {}, p.type),
      ...p.hashes.map(([algo, value]) =>
        xml("hash", { xmlns: NS_HASHES, algo }, value)
      ),
    ),
    xml(
      "sources",
      {},
      ...p.sources.map((target) =>
        xml("url-data", { xmlns: NS_URL_DATA, target })
      ),
    ),
  )
);
const oobPayload = url.map((u) =>
  xml("x", { xmlns: NS_OOB }, xml("url", {}, u))
);
/**
 * What Conversations, Gajim, Dino, Monal and Converse.js send after an
 * upload: the URL as the body and in an oob element, nothing else; or,
 * as XEP-0066 §3's example, words in the body beside the link.
 */
const oobMessage = fc.record({
  url,
  body: fc.option(fc.oneof(url, hostileText), { nil: undefined }),
  same: fc.boolean(),
  id: fc.constantFrom("c1", "m-2"),
}).map(({ url, body, same, id }) =>
  xml(
    "message",
    { type: "chat", from: "carol@example.com/phone", id },
    same
      ? xml("body", {}, url)
      : body === undefined
      ? undefined
      : xml("body", {}, body),
    xml("x", { xmlns: NS_OOB }, xml("url", {}, url)),
  )
);
const outcomePayload = fc.tuple(
  fc.constantFrom(
    "accepted",
    "downloaded",
    "declined",
    "cancelled",
    "failed",
    "x",
  ),
  fc.option(fc.oneof(fc.constantFrom("o1", ""), hostileText), {
    nil: undefined,
  }),
  fc.option(fc.oneof(fc.constantFrom(...FAILURE_REASONS), hostileText), {
    nil: undefined,
  }),
).map(([kind, id, reason]) => {
  const attrs: Record<string, string> = { xmlns: NS_FILE_OUTCOME };
  if (id !== undefined) attrs.id = id;
  if (reason !== undefined) attrs.reason = reason;
  return xml(`file-${kind}`, attrs);
});
const slotPayload = fc.tuple(
  fc.option(url, { nil: undefined }),
  fc.option(url, { nil: undefined }),
  fc.array(
    fc.tuple(
      fc.oneof(fc.constantFrom("Authorization", "cookie", "Host"), hostileText),
      text,
    ),
    { maxLength: 3 },
  ),
).map(([put, get, headers]) =>
  xml(
    "slot",
    { xmlns: NS_HTTP_UPLOAD },
    xml(
      "put",
      put === undefined ? {} : { url: put },
      ...headers.map(([name, value]) => xml("header", { name }, value)),
    ),
    xml("get", get === undefined ? {} : { url: get }),
  )
);
const payload = fc.oneof(offerPayload, oobPayload, outcomePayload);
/** A message a user could send: its envelope mostly valid, its payload not. */
const userMessage = fc.record({
  type: fc.constantFrom("chat", "normal", undefined),
  from: fc.constantFrom("bob@example.com/desk", "carol@example.com"),
  id: fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom("o1", "m-2") },
    { weight: 1, arbitrary: fc.option(hostileText, { nil: undefined }) },
  ),
  children: fc.array(
    fc.oneof(
      { weight: 4, arbitrary: payload },
      { weight: 1, arbitrary: anyTree },
      { weight: 1, arbitrary: hostileText },
    ),
    { minLength: 1, maxLength: 3 },
  ),
}).map(({ type, from, id, children }) => {
  const attrs: Record<string, string> = { from };
  if (type !== undefined) attrs.type = type;
  if (id !== undefined) attrs.id = id;
  return xml("message", attrs, ...children);
});
const messages = fc.oneof(
  { weight: 3, arbitrary: userMessage },
  { weight: 2, arbitrary: oobMessage },
  { weight: 1, arbitrary: stanzaOf(payload, ["message"]) },
  { weight: 1, arbitrary: anyStanza },
);
const iqs = fc.oneof(
  {
    weight: 3,
    arbitrary: slotPayload.map((slot) => xml("iq", { type: "result" }, slot)),
  },
  { weight: 1, arbitrary: stanzaOf(slotPayload, ["iq"]) },
  { weight: 1, arbitrary: anyStanza },
);

Deno.test("files property: the offer and outcome readers", async (t) => {
  await t.step("never throw; offers are bounded plain data", () => {
    fc.assert(
      fc.property(messages, fc.boolean(), (stanza, allowHttp) => {
        const offer = parseFileOffer(stanza, { allowHttp });
        assertPlainData(offer, "offer");
        if (offer instanceof ParseError) return;
        assert.doesNotMatch(offer.name, /[/\\\p{Cc}\p{Cf}]/u);
        assert.equal(sanitizeFileName(offer.name), offer.name);
        assert.match(offer.url, /^https?:\/\/[^/@\s]+\//);
        // Plain http: with a hash, or a bare oob link beside a server
        // that allows it (file_offer.ts says why).
        if (offer.url.startsWith("http:")) {
          assert.ok(offer.sha256 || offer.kind === "oob" && allowHttp);
        }
        if (offer.size !== undefined) {
          assert.ok(Number.isSafeInteger(offer.size) && offer.size >= 0);
        }
        if (offer.sha256 !== undefined) {
          assert.equal(atob(offer.sha256).length, 32);
        }
        if (offer.kind === "oob") {
          assert.ok(allowHttp || offer.url.startsWith("https:"));
          assert.equal(offer.size, undefined);
          assert.equal(offer.sha256, undefined);
        }
        // A body that only repeats the oob URL is never chat text.
        const body = stanza.getChildText("body");
        const oob = stanza.getChild("x", NS_OOB)?.getChildText("url");
        const text = offerHasText(stanza, offer);
        assert.equal(typeof text, "boolean");
        if (body === null || body === oob) assert.equal(text, false);
      }),
      fuzzRuns(0x15_0001),
    );
  });
  await t.step("outcomes: never throw, plain data", () => {
    fc.assert(
      fc.property(messages, (stanza) => {
        const outcome = parseFileOutcome(stanza);
        assertPlainData(outcome, "outcome");
        if (outcome instanceof ParseError) return;
        assert.ok(outcome.offerId.length > 0 && outcome.offerId.length <= 256);
      }),
      fuzzRuns(0x15_0002),
    );
  });
});

Deno.test("files property: the XEP-0363 readers", async (t) => {
  await t.step("slots: never throw; only allowed, sendable headers", () => {
    fc.assert(
      fc.property(iqs, fc.boolean(), (stanza, allowHttp) => {
        const slot = parseUploadSlot(stanza, allowHttp);
        assertPlainData(slot, "slot");
        if (slot instanceof ParseError) return;
        assert.match(slot.putUrl, /^https?:\/\//);
        assert.match(slot.getUrl, /^https?:\/\//);
        for (const header of slot.headers) {
          assert.ok(
            ["Authorization", "Cookie", "Expires"].includes(header.name),
          );
          assert.doesNotMatch(header.value, /[\r\n\0]/);
          // fetch's Headers takes it (a ByteString without newlines).
          new Headers([[header.name, header.value]]);
        }
      }),
      fuzzRuns(0x15_0003),
    );
  });
  await t.step("disco and errors: never throw, plain data", () => {
    fc.assert(
      fc.property(iqs, (stanza) => {
        const service = parseUploadService("upload.example.com", stanza);
        assertPlainData(service, "service");
        if (
          !(service instanceof ParseError) && service.maxFileSize !== undefined
        ) {
          assert.ok(Number.isSafeInteger(service.maxFileSize));
          assert.ok(service.maxFileSize > 0);
        }
        assertPlainData(parseSlotError(stanza), "error");
      }),
      fuzzRuns(0x15_0004),
    );
  });
});
