// The session's transfers written for a refresh and read back: what each
// phase becomes after the refresh, what is never written, what a corrupt
// copy leaves, and the keeper writing only when a stored fact changed.
import assert from "node:assert/strict";
import { signal } from "@preact/signals-core";
import { MemoryStorage } from "../../../tests/support/memory_storage.ts";
import { type Jid, parseJid } from "../core/jid_parse.ts";
import type { PageEvents } from "../chat/storage_writer.ts";
import {
  filesKey,
  keepFiles,
  readFiles,
  type RestoreContext,
  writeFiles,
} from "./file_history.ts";
import type { FileOffer } from "./file_offer.ts";
import type { PolicyDecision } from "./file_policy.ts";
import {
  type FileTransfer,
  type FileTransfers,
  incomingTransfer,
  inKey,
  outKey,
  type TransferPhase,
} from "./file_transfer_state.ts";

const ME = "me@x.example";
const BOB = "bob@x.example";
const SHA = `${"A".repeat(42)}E=`;
const OK: PolicyDecision = { ok: true };
const CONTEXT: RestoreContext = { allowHttp: false, decide: () => OK };

function out(id: string, phase: TransferPhase, extra = {}): FileTransfer {
  return {
    key: outKey(id),
    id,
    direction: "out",
    peer: BOB,
    name: `${id}.pdf`,
    size: 10,
    mediaType: "application/pdf",
    phase,
    bytes: 5,
    at: 1_000,
    ...extra,
  };
}

function offer(id: string, extra: Partial<FileOffer> = {}): FileOffer {
  return {
    id,
    from: parseJid(`${BOB}/desk`) as Jid,
    name: `${id}.pdf`,
    size: 3,
    mediaType: "application/pdf",
    sha256: SHA,
    url: `https://files.example/${id}.pdf`,
    kind: "sfs",
    ...extra,
  };
}

/** Incoming `id` in `phase`, with its offer in `offers`. */
function incoming(
  offers: Map<string, FileOffer>,
  id: string,
  phase: TransferPhase,
  extra = {},
): FileTransfer {
  const transfer = incomingTransfer(offer(id), OK, 2_000);
  offers.set(transfer.key, offer(id));
  return { ...transfer, phase, ...extra };
}

function mapOf(list: readonly FileTransfer[]): FileTransfers {
  return new Map(list.map((t) => [t.key, t]));
}

function roundTrip(
  list: readonly FileTransfer[],
  offers: ReadonlyMap<string, FileOffer>,
  context = CONTEXT,
) {
  const text = writeFiles(mapOf(list), (key) => offers.get(key), 1e6);
  return readFiles(text, context);
}

Deno.test("file history", async (t) => {
  await t.step("what each phase becomes after a refresh", () => {
    const offers = new Map<string, FileOffer>();
    const slot = {
      kind: "slot",
      refusal: { reason: "too-large", maxBytes: 9 },
    };
    const list = [
      out("s1", "checking"),
      out("s2", "uploading"),
      out("s3", "offered"),
      out("s4", "accepted"),
      out("s5", "failed", { failure: slot }),
      out("s6", "cancelled", { cancelledBy: "peer" }),
      out("s7", "downloaded"),
      incoming(offers, "r1", "offered"),
      incoming(offers, "r2", "downloading", { bytes: 2 }),
      incoming(offers, "r3", "downloaded"),
      incoming(offers, "r4", "declined"),
      incoming(offers, "r5", "failed", {
        failure: { kind: "transfer", reason: "hash-mismatch", status: 200 },
      }),
      out("s8", "failed", {
        failure: { kind: "slot", refusal: { reason: "quota", retryAt: 5 } },
      }),
      incoming(offers, "r6", "cancelled", { cancelledBy: "us" }),
    ];
    const refused: PolicyDecision = { ok: false, reason: "type-not-allowed" };
    const back = roundTrip(list, offers, {
      allowHttp: false,
      decide: () => refused,
    });
    assert.equal(back.problem, undefined);
    const phase = (key: string) => back.transfers.get(key)?.phase;
    const reloaded = { kind: "reloaded" };
    for (const id of ["s1", "s2"]) {
      assert.equal(phase(outKey(id)), "failed");
      assert.deepEqual(back.transfers.get(outKey(id))?.failure, reloaded);
    }
    assert.equal(phase(outKey("s3")), "offered");
    assert.equal(phase(outKey("s4")), "offered");
    assert.deepEqual(back.transfers.get(outKey("s5"))?.failure, slot);
    assert.equal(back.transfers.get(outKey("s6"))?.cancelledBy, "peer");
    assert.equal(phase(outKey("s7")), "downloaded");
    for (const id of ["r1", "r2"]) {
      const key = inKey(BOB, id);
      const transfer = back.transfers.get(key);
      assert.equal(transfer?.phase, "offered");
      assert.equal(transfer?.bytes, 0);
      // Judged by the policy in force at the refresh, not the one it came with.
      assert.deepEqual(transfer?.decision, refused);
      // The outcomes go to the bare JID: the resource that offered may be gone.
      assert.equal(transfer?.peerFull, undefined);
      assert.deepEqual(back.offers.get(key), {
        ...offer(id),
        from: parseJid(BOB),
      });
    }
    assert.deepEqual(
      ["r3", "r4", "r5", "r6"].map((id) => phase(inKey(BOB, id))),
      ["downloaded", "declined", "failed", "cancelled"],
    );
    // Only what the card words: the status and retry time were for logs.
    assert.deepEqual(back.transfers.get(inKey(BOB, "r5"))?.failure, {
      kind: "transfer",
      reason: "hash-mismatch",
    });
    assert.deepEqual(back.transfers.get(outKey("s8"))?.failure, {
      kind: "slot",
      refusal: { reason: "quota" },
    });
    assert.deepEqual([...back.offers.keys()], [
      inKey(BOB, "r1"),
      inKey(BOB, "r2"),
    ]);
    // In the order they came, for the conversation to merge by time.
    assert.deepEqual([...back.transfers.keys()], list.map((one) => one.key));
  });

  await t.step("only the durable facts are written", () => {
    const leaky = {
      ...out("s1", "uploading"),
      putUrl: "https://up.example/put/secret",
      headers: [{ name: "Authorization", value: "Bearer s3cret" }],
      data: new Uint8Array([1, 2, 3]),
    };
    const text = writeFiles(mapOf([leaky]), () => undefined, 1e6);
    for (const secret of ["secret", "Authorization", "s3cret", "data"]) {
      assert.ok(!text.includes(secret), secret);
    }
  });

  await t.step("over budget: the oldest transfers are left out", () => {
    const list = Array.from({ length: 50 }, (_, i) => out(`id${i}`, "offered"));
    const full = writeFiles(mapOf(list), () => undefined, 1e6);
    const text = writeFiles(mapOf(list), () => undefined, full.length / 2);
    assert.ok(text.length <= full.length / 2);
    const kept = [...readFiles(text, CONTEXT).transfers.keys()];
    assert.ok(kept.length > 10 && kept.length < 50);
    assert.equal(kept.at(-1), outKey("id49"), "the newest kept");
  });

  await t.step("a corrupt copy: nothing, or what is sound", () => {
    for (const text of ["{not json", "[]", '{"v":9,"f":[]}', '{"v":1}']) {
      const back = readFiles(text, CONTEXT);
      assert.equal(back.transfers.size, 0);
      assert.ok(back.problem, text);
    }
    assert.deepEqual(readFiles(null, CONTEXT), {
      transfers: new Map(),
      offers: new Map(),
    });
    const good = JSON.parse(writeFiles(
      mapOf([incoming(new Map(), "r1", "declined")]),
      (key) => key === inKey(BOB, "r1") ? offer("r1") : undefined,
      1e6,
    )).f[0];
    const entries = [
      good,
      { ...good, i: "r2", p: `${BOB}/desk` }, // not bare
      { ...good, i: "r3", p: "Bob@X.example" }, // not as normalised
      { ...good, i: "r4", u: "http://files.example/a" }, // http not allowed
      { ...good, i: "r5", u: "https://user:pw@files.example/a" },
      { ...good, i: "r6", s: -1 },
      { ...good, i: "r7", f: "opened" },
      { ...good, i: "r8\u0000" }, // no XML attribute can carry it
      { ...good, i: "r9", d: "sideways" },
      { ...good, i: "r10", n: "../../etc/passwd\u202Egnp.exe", h: "short" },
      { ...good, i: "r11", f: "failed", r: { kind: "transfer", reason: "x" } },
      { ...good, i: "r12", p: "x.example" }, // offers come from users
      good, // a duplicate
      "junk",
      null,
    ];
    const back = readFiles(JSON.stringify({ v: 1, f: entries }), CONTEXT);
    assert.equal(back.problem, undefined);
    assert.deepEqual(
      [...back.transfers.values()].map((one) => [one.id, one.name]),
      [["r1", "r1.pdf"], ["r10", "_.._etc_passwdgnp.exe"], ["r11", "r1.pdf"]],
    );
    // A failure not as written is dropped (the card says "went wrong").
    assert.equal(back.transfers.get(inKey(BOB, "r11"))?.failure, undefined);
  });

  await t.step("plain http: as a live offer would be taken", () => {
    const offers = new Map<string, FileOffer>();
    const http = (id: string, extra: Partial<FileOffer>) => {
      const transfer = incoming(offers, id, "offered");
      offers.set(transfer.key, offer(id, { url: `http://127.0.0.1/${id}` }));
      offers.set(transfer.key, { ...offers.get(transfer.key)!, ...extra });
      return transfer;
    };
    const list = [
      http("hashed", {}),
      http("unhashed", { sha256: undefined }),
      http("oob", { sha256: undefined, size: undefined, kind: "oob" }),
    ];
    const open = roundTrip(list, offers, { ...CONTEXT, allowHttp: true });
    assert.deepEqual([...open.offers.values()].map((one) => one.id), [
      "hashed",
      "oob",
    ]);
    assert.equal(roundTrip(list, offers).transfers.size, 0);
  });

  await t.step("keepFiles: facts only, flushed as the page goes", () => {
    const storage = new MemoryStorage();
    let pagehide: (() => void) | undefined;
    const page: PageEvents = {
      addEventListener: (_type, listener) => (pagehide = listener),
      removeEventListener: () => (pagehide = undefined),
    };
    const offers = new Map<string, FileOffer>();
    const state = signal<FileTransfers>(new Map());
    const errors: unknown[] = [];
    const kept = keepFiles(state, offers, storage, ME, {
      pageEvents: page,
      delayMs: 60_000,
      onError: (error) => errors.push(error),
    });
    state.value = mapOf([incoming(offers, "r1", "downloading")]);
    pagehide?.();
    assert.equal(storage.writes, 1);
    // Progress is no stored fact: nothing written.
    state.value = mapOf([incoming(offers, "r1", "downloading", { bytes: 2 })]);
    pagehide?.();
    assert.equal(storage.writes, 1);
    const back = readFiles(storage.getItem(filesKey(ME)), CONTEXT);
    assert.equal(back.offers.get(inKey(BOB, "r1"))?.url, offer("r1").url);
    // Disposing writes what is pending; no transfers, no key.
    state.value = new Map();
    kept[Symbol.dispose]();
    assert.equal(storage.getItem(filesKey(ME)), null);
    assert.equal(pagehide, undefined);
    assert.deepEqual(errors, []);
  });

  await t.step("wipe: the key goes and nothing is written again", () => {
    const storage = new MemoryStorage();
    storage.setItem(filesKey("other@x.example"), "another account's");
    const state = signal<FileTransfers>(new Map());
    const kept = keepFiles(state, new Map(), storage, ME, {
      pageEvents: { addEventListener() {}, removeEventListener() {} },
      onError: () => assert.fail("no error"),
    });
    state.value = mapOf([out("s1", "offered")]);
    kept.wipe();
    state.value = mapOf([out("s2", "offered")]);
    kept[Symbol.dispose]();
    assert.deepEqual([...storage.items.keys()], [filesKey("other@x.example")]);
  });

  await t.step("a full storage: fewer transfers, then none, reported", () => {
    const list = Array.from({ length: 20 }, (_, i) => out(`id${i}`, "offered"));
    const full = writeFiles(mapOf(list), () => undefined, 1e6).length;
    for (const [quota, errors] of [[full / 3, 0], [5, 1]]) {
      const storage = new MemoryStorage(quota);
      const state = signal<FileTransfers>(new Map());
      const reported: unknown[] = [];
      const kept = keepFiles(state, new Map(), storage, ME, {
        pageEvents: { addEventListener() {}, removeEventListener() {} },
        onError: (error) => reported.push(error),
      });
      state.value = mapOf(list);
      kept[Symbol.dispose]();
      const count = readFiles(storage.getItem(filesKey(ME)), CONTEXT)
        .transfers.size;
      assert.ok(errors === 0 ? count > 0 && count < 20 : count === 0);
      assert.equal(reported.length, errors);
    }
  });
});
