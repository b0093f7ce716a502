// The attachments store fed arbitrary message sequences (offers and
// outcomes from anyone with hostile values, and stanzas of any shape): no
// handler ever throws, the store holds only plain bounded data, incoming
// transfers are offers from a user other than the agent, nothing is sent
// and nothing fetched without the agent's Accept.
import assert from "node:assert/strict";
import fc from "fast-check";
import { FakeConnection } from "../../../tests/support/fake_connection.ts";
import { fuzzRuns } from "../../../tests/support/fuzz.ts";
import { assertPlainData } from "../../../tests/support/plain_data.ts";
import {
  anyStanza,
  anyTree,
  hostileText,
  jidText,
  OWN_JID,
  stanzaOf,
} from "../../../tests/support/stanza_arbitrary.ts";
import type { XmlElement } from "../core/connection.ts";
import { createFeatureRegistry } from "../features/feature_registry.ts";
import { routeConnection } from "../router/routed_connection.ts";
import { createStanzaRouter } from "../router/stanza_router.ts";
import { sanitizeFileName } from "./file_name.ts";
import { fetchUploader } from "./transfer/fetch_uploader.ts";
import { fileOfferStanza } from "./file_offer.ts";
import { FAILURE_REASONS, fileOutcomeStanza } from "./file_outcome.ts";
import { MAX_TRANSFERS } from "./file_transfer_state.ts";
import { createFiles } from "./file_transfers.ts";

const from = fc.oneof(
  fc.constantFrom(
    "bob@example.com/pc",
    "bob@example.com",
    `${OWN_JID}/phone`,
    "eve@example.com/x",
    "example.com",
  ),
  jidText,
);
const id = fc.oneof(fc.constantFrom("o1", "o2"), hostileText);
const sha256 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) =>
  btoa(String.fromCharCode(...bytes))
);

function sentBy(stanza: XmlElement, sender: string): XmlElement {
  (stanza.attrs as Record<string, string>).from = sender;
  return stanza;
}

const offer = fc.record({
  from,
  id,
  name: hostileText,
  size: fc.oneof(fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER)),
  type: hostileText,
  url: fc.oneof(
    fc.constantFrom(
      "https://files.example.com/a.pdf",
      "http://127.0.0.1:1/a.pdf",
      "javascript:alert(1)",
    ),
    hostileText,
  ),
  sha256,
}).map((o) =>
  sentBy(
    fileOfferStanza({
      to: OWN_JID,
      id: o.id,
      url: o.url,
      name: o.name,
      size: o.size,
      mediaType: o.type,
      sha256: o.sha256,
    }),
    o.from,
  )
);

const outcome = fc.record({
  from,
  offerId: id,
  kind: fc.constantFrom(
    "accepted",
    "downloaded",
    "declined",
    "cancelled",
    "failed",
  ),
  reason: fc.oneof(fc.constantFrom(...FAILURE_REASONS), hostileText),
}).map((o) =>
  sentBy(
    o.kind === "failed"
      ? fileOutcomeStanza(OWN_JID, "x", o.offerId, {
        kind: "failed",
        reason: "other",
      })
      : fileOutcomeStanza(OWN_JID, "x", o.offerId, { kind: o.kind }),
    o.from,
  )
);

const messages = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: offer },
    { weight: 3, arbitrary: outcome },
    { weight: 1, arbitrary: stanzaOf(anyTree, ["message"]) },
    { weight: 1, arbitrary: anyStanza },
  ),
  { maxLength: 8 },
);

Deno.test("files property: arbitrary messages into the store", () => {
  fc.assert(
    fc.property(messages, (stanzas) => {
      const wire = new FakeConnection(OWN_JID);
      const failures: unknown[] = [];
      const router = createStanzaRouter({
        onError: (error) => failures.push(error),
      });
      let fetched = 0;
      const files = createFiles(routeConnection(wire, router), {
        features: createFeatureRegistry(),
        chatServer: () => "http://127.0.0.1:5280/http-bind",
        policy: { enabled: true, maxBytes: 1000, allowedTypes: [".pdf"] },
        uploader: fetchUploader(),
        fetch: () => {
          fetched++;
          return Promise.resolve(new Response("x"));
        },
        onError: (error) => failures.push(error),
      });
      try {
        for (const stanza of stanzas) wire.deliver(stanza);
        assert.deepEqual(failures, []);
        const transfers = files.transfers.value;
        assertPlainData(transfers, "transfers");
        assert.ok(transfers.length <= MAX_TRANSFERS);
        assert.equal(
          new Set(transfers.map((t) => t.key)).size,
          transfers.length,
        );
        for (const transfer of transfers) {
          assert.equal(transfer.direction, "in");
          assert.notEqual(transfer.peer, OWN_JID);
          assert.ok(transfer.peer.includes("@"));
          assert.ok(["offered", "cancelled"].includes(transfer.phase));
          assert.equal(sanitizeFileName(transfer.name), transfer.name);
          assert.ok(transfer.decision !== undefined);
        }
        assert.deepEqual([wire.sent, wire.iqs.length, fetched], [[], 0, 0]);
      } finally {
        files[Symbol.dispose]();
      }
    }),
    fuzzRuns(0x15_0d01),
  );
});

Deno.test("files property: a flood of offers stays bounded", () => {
  const wire = new FakeConnection(OWN_JID);
  const files = createFiles(routeConnection(wire), {
    features: createFeatureRegistry(),
    chatServer: () => "https://chat.example.com/ws",
    policy: { enabled: true, maxBytes: 1000, allowedTypes: [".pdf"] },
    uploader: fetchUploader(),
  });
  try {
    const offerOf = (offerId: string) =>
      sentBy(
        fileOfferStanza({
          to: OWN_JID,
          id: offerId,
          url: "https://files.example.com/a.pdf",
          name: "a.pdf",
          size: 10,
          mediaType: "application/pdf",
          sha256: btoa("x".repeat(32)),
        }),
        "bob@example.com/pc",
      );
    for (let i = 0; i < MAX_TRANSFERS + 50; i++) wire.deliver(offerOf(`o${i}`));
    const keys = () => files.transfers.value.map((t) => t.id);
    assert.equal(keys().length, MAX_TRANSFERS);
    assert.ok(
      !keys().includes(`o${MAX_TRANSFERS}`),
      "refused while none ended",
    );
    // A declined one makes room for the next offer.
    files.decline(files.transfers.value[3].key);
    wire.deliver(offerOf("late"));
    assert.equal(keys().length, MAX_TRANSFERS);
    assert.ok(keys().includes("late"));
    assert.ok(!keys().includes("o3"));
  } finally {
    files[Symbol.dispose]();
  }
});
