// The pure steps of attachments: who may move a transfer, in which order,
// and the bound on how many a session keeps.
import assert from "node:assert/strict";
import type { Jid } from "../core/jid_parse.ts";
import type { FileOffer } from "./file_offer.ts";
import type { FileOutcome } from "./file_outcome.ts";
import {
  addTransfer,
  applyBounce,
  applyOutcome,
  failureReasonOf,
  type FileTransfer,
  type FileTransfers,
  incomingTransfer,
  inKey,
  moveTo,
  NO_TRANSFERS,
  outgoingTransfer,
  outKey,
} from "./file_transfer_state.ts";

const BOB = "bob@example.com";
const bob: Jid = {
  local: "bob",
  domain: "example.com",
  resource: "pc",
  bare: BOB,
};
const eve: Jid = {
  local: "eve",
  domain: "example.com",
  bare: "eve@example.com",
};

function sent(phase: FileTransfer["phase"] = "offered"): FileTransfers {
  const transfer = outgoingTransfer(
    "o1",
    BOB,
    { name: "a.pdf", type: "application/pdf", data: new Uint8Array(3) },
    0,
  );
  return new Map([[transfer.key, { ...transfer, phase }]]);
}

function outcome(from: Jid, offerId: string, kind: FileOutcome) {
  return { from, offerId, outcome: kind };
}

const OFFER: FileOffer = {
  id: "i1",
  from: bob,
  name: "b.pdf",
  size: 10,
  mediaType: "application/pdf",
  sha256: "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=",
  url: "https://upload.example.com/b.pdf",
  kind: "sfs",
};

Deno.test("outgoingTransfer sanitises the name and types the file", () => {
  const transfer = outgoingTransfer(
    "x",
    BOB,
    {
      name: "../../etc/passwd\u202Egnp.exe",
      type: "Text/Plain; charset=x",
      data: new Blob(["abc"]),
    },
    5,
  );
  assert.equal(transfer.key, outKey("x"));
  assert.equal(transfer.name, "_.._etc_passwdgnp.exe");
  assert.equal(transfer.size, 3);
  assert.equal(transfer.mediaType, "text/plain");
  assert.equal(transfer.phase, "checking");
  const untyped = outgoingTransfer("y", BOB, {
    name: "a",
    type: "",
    data: new Uint8Array(1),
  }, 0);
  assert.equal(untyped.mediaType, "application/octet-stream");
});

Deno.test("incomingTransfer keeps the full JID the outcomes go to", () => {
  const transfer = incomingTransfer(OFFER, { ok: true }, 7);
  assert.equal(transfer.key, inKey(BOB, "i1"));
  assert.equal(transfer.peerFull, `${BOB}/pc`);
  assert.equal(transfer.phase, "offered");
  assert.deepEqual(transfer.decision, { ok: true });
});

Deno.test("the sender's transfer follows outcomes of its peer only", () => {
  const key = outKey("o1");
  const fromEve = applyOutcome(
    sent(),
    outcome(eve, "o1", { kind: "declined" }),
  );
  assert.equal(fromEve.transfers.get(key)?.phase, "offered");
  const accepted = applyOutcome(
    sent(),
    outcome(bob, "o1", { kind: "accepted" }),
  );
  assert.equal(accepted.transfers.get(key)?.phase, "accepted");
  const done = applyOutcome(
    accepted.transfers,
    outcome(bob, "o1", { kind: "downloaded" }),
  );
  assert.equal(done.transfers.get(key)?.phase, "downloaded");
  // A final phase stays: a late decline changes nothing.
  const late = applyOutcome(
    done.transfers,
    outcome(bob, "o1", { kind: "declined" }),
  );
  assert.equal(late.transfers, done.transfers);
  const failed = applyOutcome(
    sent("accepted"),
    outcome(bob, "o1", { kind: "failed", reason: "hash-mismatch" }),
  );
  assert.deepEqual(failed.transfers.get(key)?.failure, {
    kind: "peer",
    reason: "hash-mismatch",
  });
  // Nothing is accepted before it was offered.
  const early = applyOutcome(
    sent("uploading"),
    outcome(bob, "o1", { kind: "accepted" }),
  );
  assert.equal(early.transfers.get(key)?.phase, "uploading");
  const unknown = applyOutcome(
    sent(),
    outcome(bob, "zz", { kind: "declined" }),
  );
  assert.equal(unknown.transfers.get(key)?.phase, "offered");
});

Deno.test("a sender's cancel ends the receiver's offer and stops its download", () => {
  const offered = addTransfer(
    NO_TRANSFERS,
    incomingTransfer(OFFER, { ok: true }, 0),
  );
  const key = inKey(BOB, "i1");
  const cancelled = applyOutcome(
    offered,
    outcome(bob, "i1", { kind: "cancelled" }),
  );
  assert.equal(cancelled.transfers.get(key)?.cancelledBy, "peer");
  assert.equal(cancelled.abort, undefined);
  const downloading = new Map(offered).set(
    key,
    moveTo(offered.get(key)!, "downloading"),
  );
  const stopped = applyOutcome(
    downloading,
    outcome(bob, "i1", { kind: "cancelled" }),
  );
  assert.equal(stopped.abort, key);
  // Only the sender may cancel; the receiver's other outcomes mean nothing here.
  const forged = applyOutcome(
    offered,
    outcome(eve, "i1", { kind: "cancelled" }),
  );
  assert.equal(forged.transfers.get(key)?.phase, "offered");
  const odd = applyOutcome(offered, outcome(bob, "i1", { kind: "downloaded" }));
  assert.equal(odd.transfers.get(key)?.phase, "offered");
});

Deno.test("addTransfer keeps at most `max`, dropping the oldest ended", () => {
  const make = (id: string) =>
    incomingTransfer({ ...OFFER, id }, { ok: true }, 0);
  let transfers = addTransfer(NO_TRANSFERS, make("1"), 2);
  transfers = addTransfer(transfers, make("2"), 2);
  assert.equal(addTransfer(transfers, make("3"), 2), transfers, "none ended");
  const first = inKey(BOB, "1");
  transfers = new Map(transfers).set(
    first,
    moveTo(transfers.get(first)!, "declined"),
  );
  const next = addTransfer(transfers, make("3"), 2);
  assert.deepEqual([...next.keys()], [inKey(BOB, "2"), inKey(BOB, "3")]);
  assert.equal(addTransfer(next, make("3"), 2), next, "no duplicate");
});

Deno.test("failureReasonOf words a download failure for the sender", () => {
  assert.equal(failureReasonOf("size-exceeded"), "size-mismatch");
  assert.equal(failureReasonOf("size-mismatch"), "size-mismatch");
  assert.equal(failureReasonOf("hash-mismatch"), "hash-mismatch");
  assert.equal(failureReasonOf("not-found"), "not-found");
  assert.equal(failureReasonOf("server"), "unreachable");
  assert.equal(failureReasonOf("too-large"), "not-allowed");
  assert.equal(failureReasonOf("bad-request"), "other");
});

Deno.test("a bounce of our offer from its peer fails it", () => {
  const key = outKey("o1");
  const failed = applyBounce(sent(), { from: bob, id: "o1" }, "item-not-found");
  assert.deepEqual(failed.get(key)?.failure, {
    kind: "xmpp",
    condition: "item-not-found",
  });
  // Not from the peer, not our offer, or no longer waiting: nothing.
  const offered = sent();
  assert.equal(applyBounce(offered, { from: eve, id: "o1" }, "x"), offered);
  assert.equal(applyBounce(offered, { from: bob, id: "zz" }, "x"), offered);
  const declined = sent("declined");
  assert.equal(applyBounce(declined, { from: bob, id: "o1" }, "x"), declined);
});
