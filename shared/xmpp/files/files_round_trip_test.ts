// What we build reads back as built, through the XML text the other end
// parses: offers (XEP-0447/0446) and outcomes (file_outcome.ts).
import assert from "node:assert/strict";
import fc from "fast-check";
import { Parser } from "@xmpp/xml";
import { fuzzRuns } from "../../../tests/support/fuzz.ts";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import { sanitizeFileName } from "./file_name.ts";
import { fileOfferStanza, parseFileOffer } from "./file_offer.ts";
import {
  FAILURE_REASONS,
  type FileOutcome,
  fileOutcomeStanza,
  parseFileOutcome,
} from "./file_outcome.ts";

/**
 * The message as the other end reads it: stamped `from` by the server
 * (RFC 6120 §8.1.2.1), serialised and parsed again.
 */
function wire(stanza: XmlElement, from: string): XmlElement {
  const parser = new Parser();
  let element: XmlElement | undefined;
  parser.on("element", (el: XmlElement) => (element = el));
  const text = stanza.toString().replace(
    "<message ",
    `<message from="${from}" `,
  );
  parser.write(`<r>${text}</r>`);
  assert.ok(element, "parsed");
  return element;
}

const URLS = [
  "https://upload.example.com/f/4a77/report.pdf",
  "https://h.example/a%20b/%E2%80%AEgnp.exe?x=1",
  "http://127.0.0.1:5280/share/x.png",
];
const sha256 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) =>
  btoa(String.fromCharCode(...bytes))
);

Deno.test("files property: build then parse", async (t) => {
  await t.step("an offer reads back as sent", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 40 }),
        fc.nat({ max: Number.MAX_SAFE_INTEGER }),
        sha256,
        fc.constantFrom(...URLS),
        fc.constantFrom("application/pdf", "image/png"),
        (raw, size, hash, href, mediaType) => {
          const name = sanitizeFileName(raw);
          const sent = fileOfferStanza({
            to: "bob@example.com",
            id: "o1",
            name,
            size,
            mediaType,
            sha256: hash,
            url: href,
          });
          const offer = parseFileOffer(wire(sent, "agent@example.com/web"), {
            allowHttp: true,
          });
          assert.ok(!(offer instanceof ParseError), String(offer));
          assert.deepEqual(
            [offer.id, offer.name, offer.size, offer.sha256, offer.mediaType],
            ["o1", name, size, hash, mediaType],
          );
          assert.equal(offer.url, new URL(href).href);
        },
      ),
      fuzzRuns(0x15_0005),
    );
  });
  await t.step("an outcome reads back as sent", () => {
    const outcome: fc.Arbitrary<FileOutcome> = fc.oneof(
      fc.constantFrom("accepted", "downloaded", "declined", "cancelled")
        .map((kind) => ({ kind } as FileOutcome)),
      fc.constantFrom(...FAILURE_REASONS).map((reason) => ({
        kind: "failed" as const,
        reason,
      })),
    );
    fc.assert(
      fc.property(
        outcome,
        fc.string({ minLength: 1, maxLength: 256 }),
        (o, id) => {
          const sent = fileOutcomeStanza("agent@example.com/web", "x", id, o);
          const parsed = parseFileOutcome(wire(sent, "bob@example.com/desk"));
          assert.ok(!(parsed instanceof ParseError));
          assert.deepEqual([parsed.offerId, parsed.outcome], [id, o]);
        },
      ),
      fuzzRuns(0x15_0006),
    );
  });
});
