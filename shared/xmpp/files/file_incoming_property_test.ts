// Property test of file_incoming.ts on its own: the pure handler fed any
// message (offers, outcomes and bounces from anyone, with hostile values,
// and stanzas of any shape) against a store already holding transfers in
// every phase. It never throws; it only ever adds or moves a transfer of
// the stanza's bare from, and adds one well-formed incoming offer at most;
// an ended transfer stays ended; an outcome from anyone but the JID an
// offer went to leaves that offer alone. (The store around it:
// file_transfers_property_test.ts; the readers: files_property_test.ts.)
import assert from "node:assert/strict";
import fc from "fast-check";
import { xml } from "@xmpp/xml";
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
import { ParseError } from "../core/errors.ts";
import { parseJid } from "../core/jid_parse.ts";
import { NS_STANZAS } from "../router/iq_reply.ts";
import {
  type FileMessageContext,
  handleFileMessage,
  isFileMessage,
} from "./file_incoming.ts";
import { sanitizeFileName } from "./file_name.ts";
import { fileOfferStanza, NS_OOB } from "./file_offer.ts";
import {
  FAILURE_REASONS,
  NS_FILE_OUTCOME,
  OUTCOME_KINDS,
} from "./file_outcome.ts";
import type { PolicyDecision } from "./file_policy.ts";
import {
  type FileTransfer,
  type FileTransfers,
  inKey,
  isFinal,
  outKey,
  TRANSFER_PHASES,
} from "./file_transfer_state.ts";

const PEERS = ["bob@example.com", "carol@example.com", "eve@evil.example"];
const IDS = ["o1", "o2", "a1"];
/** Senders: the peers with and without a resource, the agent, forgers. */
const sender = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PEERS) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(...PEERS).map((peer) => `${peer}/desk`),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      `${OWN_JID}/phone`,
      "Bob@Example.COM/Desk",
      "example.com",
      "evil.example",
    ),
  },
  { weight: 1, arbitrary: jidText },
);
const offerId = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...IDS) },
  { weight: 1, arbitrary: hostileText },
);

/** A store holding transfers with the peers, in every phase. */
const transfers: fc.Arbitrary<FileTransfers> = fc.array(
  fc.record({
    direction: fc.constantFrom("in" as const, "out" as const),
    peer: fc.constantFrom(...PEERS),
    id: fc.constantFrom(...IDS),
    phase: fc.constantFrom(...TRANSFER_PHASES),
    size: fc.option(fc.nat(), { nil: undefined }),
  }),
  { maxLength: 8 },
).map((items) =>
  new Map(items.map(({ direction, peer, id, phase, size }) => {
    const key = direction === "out" ? outKey(id) : inKey(peer, id);
    const transfer: FileTransfer = {
      key,
      id,
      direction,
      peer,
      ...(direction === "in" ? { peerFull: `${peer}/desk` } : {}),
      name: "a.pdf",
      ...(size === undefined ? {} : { size }),
      mediaType: "application/pdf",
      phase,
      bytes: 0,
      at: 1,
    };
    return [key, transfer];
  }))
);

function from(stanza: XmlElement, jid: string): XmlElement {
  (stanza.attrs as Record<string, string>).from = jid;
  return stanza;
}

/** Our outcome elements, also prefixed or with hostile attributes. */
const outcome = fc.record({
  from: sender,
  offerId,
  kind: fc.constantFrom(...OUTCOME_KINDS),
  reason: fc.oneof(fc.constantFrom(...FAILURE_REASONS), hostileText),
  type: fc.constantFrom("chat", "normal", undefined, "groupchat"),
  prefixed: fc.boolean(),
}).map((o) => {
  const name = `file-${o.kind}`;
  const attrs = { id: o.offerId, reason: o.reason };
  const element = o.prefixed
    ? xml(`o:${name}`, { "xmlns:o": NS_FILE_OUTCOME, ...attrs })
    : xml(name, { xmlns: NS_FILE_OUTCOME, ...attrs });
  return xml(
    "message",
    { from: o.from, ...(o.type === undefined ? {} : { type: o.type }) },
    element,
  );
});

const sha256 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) =>
  btoa(String.fromCharCode(...bytes))
);
const url = fc.oneof(
  fc.constantFrom(
    "https://upload.example.com/f/a.pdf",
    "https://upload.example.com/f/..%2F..%2Fetc%2Fpasswd%E2%80%AEgnp.exe",
    "http://127.0.0.1:5280/f/x.pdf",
    "javascript:alert(1)",
  ),
  hostileText,
);

/** XEP-0447 offers built as the product sends them, and bare oob links. */
const offer = fc.oneof(
  fc.record({
    from: sender,
    id: offerId,
    url,
    name: hostileText,
    size: fc.oneof(fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER)),
    mediaType: hostileText,
    sha256,
  }).map((o) => from(fileOfferStanza({ ...o, to: OWN_JID }), o.from)),
  fc.record({ from: sender, id: offerId, url }).map((o) =>
    xml(
      "message",
      { from: o.from, id: o.id, type: "chat" },
      xml("x", { xmlns: NS_OOB }, xml("url", {}, o.url)),
    )
  ),
);

/** RFC 6120 §8.3 bounces of our offers. */
const bounce = fc.record({
  from: sender,
  id: offerId,
  condition: fc.oneof(
    fc.constantFrom("service-unavailable", "item-not-found"),
    hostileText,
  ),
}).map((b) =>
  xml(
    "message",
    { from: b.from, id: b.id, type: "error" },
    xml(
      "error",
      { type: "cancel" },
      xml(
        /^[a-z-]+$/.test(b.condition) ? b.condition : "x",
        { xmlns: NS_STANZAS },
      ),
    ),
  )
);

const stanza = fc.oneof(
  { weight: 4, arbitrary: outcome },
  { weight: 3, arbitrary: offer },
  { weight: 2, arbitrary: bounce },
  { weight: 1, arbitrary: stanzaOf(anyTree, ["message"]) },
  { weight: 1, arbitrary: anyStanza },
);

const DECISIONS: readonly PolicyDecision[] = [
  { ok: true },
  { ok: false, reason: "type-not-allowed" },
  { ok: false, reason: "too-large", maxBytes: 1000 },
];

/** Who sent `stanza`, as the handler reads it; undefined if no user JID. */
function bareFrom(stanza: XmlElement): string | undefined {
  const jid = parseJid(stanza.attrs.from);
  return jid instanceof ParseError ? undefined : jid.bare;
}

Deno.test("file_incoming property: any message against any store", () => {
  fc.assert(
    fc.property(
      transfers,
      stanza,
      fc.constantFrom(...DECISIONS),
      fc.boolean(),
      (before, message, decision, allowHttp) => {
        let decided = 0;
        const context: FileMessageContext = {
          ownBareJid: OWN_JID,
          allowHttp,
          decide: () => {
            decided++;
            return decision;
          },
          now: 7,
        };
        const relevant = isFileMessage(message);
        const step = handleFileMessage(before, message, context);
        assertPlainData(step, "step");
        const after = step.transfers;
        const sender = bareFrom(message);
        // What the router does not route (isFileMessage) changes nothing.
        if (!relevant || sender === OWN_JID) {
          assert.equal(after, before);
        }
        // No transfer goes; at most one new one comes.
        for (const key of before.keys()) assert.ok(after.has(key), key);
        const added = [...after.keys()].filter((key) => !before.has(key));
        assert.ok(added.length <= 1, added.join(" "));
        for (const [key, transfer] of after) {
          const was = before.get(key);
          if (was === transfer) continue;
          // Only a transfer of the stanza's bare from is added or moved.
          assert.equal(transfer.peer, sender, key);
          assert.equal(transfer.key, key);
          if (was !== undefined) {
            assert.ok(!isFinal(was.phase), `${key} ended, then moved`);
            const keep = ["id", "direction", "peer", "name", "size", "at"];
            for (const field of keep as (keyof FileTransfer)[]) {
              assert.equal(transfer[field], was[field], field);
            }
            continue;
          }
          // The one new transfer: a well-formed incoming offer.
          assert.equal(transfer.direction, "in");
          assert.equal(key, inKey(transfer.peer, transfer.id));
          assert.ok(transfer.peer.includes("@"), transfer.peer);
          if (transfer.peerFull !== undefined) {
            assert.ok(transfer.peerFull.startsWith(`${transfer.peer}/`));
          }
          assert.equal(transfer.phase, "offered");
          assert.equal(transfer.bytes, 0);
          assert.equal(transfer.at, 7);
          assert.equal(transfer.decision, decision);
          assert.doesNotMatch(transfer.name, /[/\\\p{Cc}\p{Cf}]/u);
          assert.ok(transfer.name.length > 0);
          assert.equal(sanitizeFileName(transfer.name), transfer.name);
          if (transfer.size !== undefined) {
            assert.ok(
              Number.isSafeInteger(transfer.size) && transfer.size >= 0,
            );
          }
          assert.equal(step.offer?.key, key);
          assert.equal(step.offer.offer.name, transfer.name);
          assert.equal(decided, 1);
        }
        if (added.length === 0) assert.equal(step.offer, undefined);
        if (step.abort !== undefined) {
          assert.equal(before.get(step.abort)?.phase, "downloading");
          assert.equal(after.get(step.abort)?.phase, "cancelled");
          assert.equal(after.get(step.abort)?.cancelledBy, "peer");
        }
      },
    ),
    fuzzRuns(0x15_1c01),
  );
});

Deno.test("file_incoming property: only the offer's JID moves it", () => {
  // Outcomes (and bounces) aimed at every key of the store, from senders
  // that are not the peer of the transfer they name.
  const aimed = fc.tuple(transfers, fc.constantFrom(...OUTCOME_KINDS), sender)
    .filter(([store]) => store.size > 0)
    .chain(([store, kind, jid]) =>
      fc.constantFrom(...store.values()).map((target) => ({
        store,
        target,
        message: xml(
          "message",
          { from: jid, type: "chat" },
          xml(`file-${kind}`, {
            xmlns: NS_FILE_OUTCOME,
            id: target.id,
            reason: "other",
          }),
        ),
      }))
    )
    .filter(({ target, message }) => bareFrom(message) !== target.peer);
  fc.assert(
    fc.property(aimed, ({ store, target, message }) => {
      const step = handleFileMessage(store, message, {
        ownBareJid: OWN_JID,
        allowHttp: false,
        decide: () => ({ ok: true }),
        now: 7,
      });
      assert.equal(step.transfers.get(target.key), target);
      assert.notEqual(step.abort, target.key);
    }),
    fuzzRuns(0x15_1c02),
  );
});
