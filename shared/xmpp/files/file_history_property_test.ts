// Property tests of the transfers reader: whatever sits under the key (any
// string, any JSON, a stored copy with fields swapped for hostile values),
// reading never throws and gives only sound transfers; what we wrote
// reads back with the refresh's own changes.
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzzRuns } from "../../../tests/support/fuzz.ts";
import { parseBareJid } from "../core/jid_parse.ts";
import { MAX_ID_LENGTH } from "../chat/receipt_parser.ts";
import { readFiles, type RestoredFiles, writeFiles } from "./file_history.ts";
import type { FileOffer } from "./file_offer.ts";
import { FAILURE_REASONS } from "./file_outcome.ts";
import { plainMediaType } from "./file_metadata.ts";
import { sanitizeFileName } from "./file_name.ts";
import {
  type FileTransfer,
  inKey,
  isFinal,
  outKey,
  TRANSFER_PHASES,
} from "./file_transfer_state.ts";
import { checkFileUrl } from "./file_url.ts";
import { TRANSFER_WORDS } from "./transfer/transfer_error.ts";

const KINDS = ["policy", "no-upload-service", "slot", "transfer", "peer"];

function assertSound(restored: RestoredFiles, allowHttp: boolean): void {
  const { transfers, offers } = restored;
  for (const [key, t] of transfers) {
    assert.equal(
      key,
      t.direction === "out" ? outKey(t.id) : inKey(t.peer, t.id),
    );
    assert.equal(t.key, key);
    assert.equal(parseBareJid(t.peer), t.peer);
    assert.equal(sanitizeFileName(t.name), t.name);
    assert.equal(plainMediaType(t.mediaType), t.mediaType);
    assert.ok(t.id !== "" && t.id.length <= MAX_ID_LENGTH);
    assert.ok(!/[\p{Cc}\ud800-\udfff]/u.test(t.id), "an id XML can carry");
    assert.ok(t.size === undefined || Number.isSafeInteger(t.size));
    assert.ok(t.size === undefined || t.size >= 0);
    assert.ok(t.direction === "in" || t.size !== undefined);
    assert.ok(Number.isSafeInteger(t.at) && t.at >= 0);
    assert.equal(t.bytes, 0);
    // Nothing is in flight after a refresh: offered, or ended.
    assert.ok(t.phase === "offered" || isFinal(t.phase), t.phase);
    assert.equal(t.peerFull, undefined);
    if (t.failure !== undefined) {
      assert.equal(t.phase, "failed");
      const { kind } = t.failure;
      if (kind === "reloaded") assert.equal(t.direction, "out");
      else if (kind === "xmpp") assert.match(t.failure.condition, /^[a-z-]+$/);
      else if (kind === "peer") {
        assert.ok(FAILURE_REASONS.includes(t.failure.reason));
      } else if (kind === "transfer") {
        assert.ok(Object.hasOwn(TRANSFER_WORDS, t.failure.reason));
      } else assert.ok(KINDS.includes(kind), kind);
    }
    if (t.cancelledBy !== undefined) assert.equal(t.phase, "cancelled");
    const offer = offers.get(key);
    if (t.direction === "in" && t.phase === "offered") {
      assert.ok(offer, "Accept has what it needs");
      assert.ok(t.decision);
    }
    if (offer === undefined) continue;
    assert.equal(t.phase, "offered");
    assert.equal(offer.from.bare, t.peer);
    assert.equal(offer.id, t.id);
    const http = allowHttp &&
      (offer.kind === "oob" || offer.sha256 !== undefined);
    const check = checkFileUrl(offer.url, http);
    assert.ok(check.ok && check.href === offer.url, offer.url);
  }
  for (const key of offers.keys()) assert.ok(transfers.has(key));
}

const hostile = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.constantFrom(
    "../../etc/passwd\u202Egnp.exe",
    "bob@x/res",
    "Bob@X",
    "x",
    "a\u0000b",
    "\ud800",
    "http://127.0.0.1/f",
    "https://u:p@files.example/f",
    "javascript:alert(1)",
    "https://files.example/f",
    `${"A".repeat(43)}=`,
    "oob",
    "text/html; charset=x",
    "",
  ),
  fc.integer(),
  fc.double(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }),
);

const failure = fc.oneof(
  fc.constantFrom(
    { kind: "reloaded" },
    { kind: "no-upload-service" },
    { kind: "xmpp", condition: "remote-server-not-found" },
    { kind: "peer", reason: "hash-mismatch" },
    { kind: "transfer", reason: "not-found", status: 404 },
    { kind: "policy", decision: { ok: false, reason: "too-large" } },
    { kind: "policy", decision: { ok: false, reason: "empty" } },
    { kind: "slot", refusal: { reason: "quota", retryAt: 9 }, text: "\u202E" },
    { kind: "slot", refusal: { reason: "other" } },
  ),
  fc.record({ kind: hostile, reason: hostile, condition: hostile }),
  hostile,
);

/** Mostly `valid`: an entry with one or two hostile fields gets far. */
function mostly<T>(valid: fc.Arbitrary<T>) {
  return fc.oneof({ arbitrary: valid, weight: 6 }, {
    arbitrary: hostile,
    weight: 1,
  });
}

/** A stored entry as we write it, each field possibly hostile instead. */
const entry = fc.record({
  d: mostly(fc.constantFrom("in", "out")),
  p: mostly(fc.constantFrom("bob@x", "ann@y.example")),
  i: mostly(fc.string({ minLength: 1, maxLength: 8 })),
  n: mostly(fc.constantFrom("a.pdf")),
  s: mostly(fc.nat()),
  m: mostly(fc.constantFrom("application/pdf")),
  f: mostly(fc.constantFrom(...TRANSFER_PHASES)),
  r: failure,
  c: mostly(fc.constantFrom("us", "peer")),
  t: mostly(fc.nat()),
  u: mostly(fc.constantFrom("https://files.example/a", "http://127.0.0.1/a")),
  h: mostly(fc.constant(`${"B".repeat(42)}E=`)),
  k: mostly(fc.constantFrom("sfs", "oob")),
}, { requiredKeys: ["d", "p", "i", "n", "f", "t", "u"] });

Deno.test("file history: any text reads without a throw, soundly", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.json(),
        fc.record({
          v: fc.oneof(fc.constant(1), hostile),
          f: fc.oneof(fc.array(fc.oneof(entry, hostile), { maxLength: 6 })),
        }).map((value) => JSON.stringify(value)),
      ),
      fc.boolean(),
      (text, allowHttp) => {
        const restored = readFiles(text, {
          allowHttp,
          decide: () => ({ ok: true }),
        });
        assertSound(restored, allowHttp);
      },
    ),
    fuzzRuns(15_7001),
  );
});

const transfer: fc.Arbitrary<[FileTransfer, FileOffer | undefined]> = fc
  .record({
    direction: fc.constantFrom("in" as const, "out" as const),
    id: fc.string({ minLength: 1, maxLength: 8 }).filter((id) =>
      !/[\p{Cc}\ud800-\udfff\ufffe\uffff]/u.test(id)
    ),
    name: fc.string({ maxLength: 20 }).map(sanitizeFileName),
    size: fc.nat(),
    phase: fc.constantFrom(...TRANSFER_PHASES),
    at: fc.nat(),
  }).map(({ direction, id, name, size, phase, at }) => {
    const peer = "bob@x";
    const key = direction === "out" ? outKey(id) : inKey(peer, id);
    const facts = { id, name, size, mediaType: "application/pdf" };
    const offer: FileOffer | undefined = direction === "out" ? undefined : {
      ...facts,
      from: { local: "bob", domain: "x", bare: peer },
      url: `https://files.example/${encodeURIComponent(id)}`,
      kind: "sfs",
      sha256: `${"C".repeat(42)}E=`,
    };
    return [
      { ...facts, key, direction, peer, phase, bytes: 1, at },
      offer,
    ];
  });

Deno.test("file history: what we wrote reads back, refreshed", () => {
  fc.assert(
    fc.property(fc.array(transfer, { maxLength: 8 }), (pairs) => {
      const transfers = new Map(pairs.map(([t]) => [t.key, t]));
      const offers = new Map(pairs.map(([t, offer]) => [t.key, offer]));
      const back = readFiles(
        writeFiles(transfers, (key) => offers.get(key), 1e6),
        { allowHttp: false, decide: () => ({ ok: true }) },
      );
      assertSound(back, false);
      assert.deepEqual([...back.transfers.keys()], [...transfers.keys()]);
      for (const [key, before] of transfers) {
        const after = back.transfers.get(key)!;
        assert.equal(after.name, before.name);
        const expected = isFinal(before.phase)
          ? before.phase
          : before.direction === "out" &&
              (before.phase === "checking" || before.phase === "uploading")
          ? "failed"
          : "offered";
        assert.equal(after.phase, expected);
      }
    }),
    fuzzRuns(15_7002),
  );
});
