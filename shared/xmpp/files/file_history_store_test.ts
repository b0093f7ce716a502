// The attachments store across a refresh (a store disposed, a new one over
// the same storage): an offer not yet accepted can be accepted after it,
// judged by the policy in force then; a sent offer still hears the peer's
// answer; an upload cut by the refresh failed; sign-out wipes the copy.
import assert from "node:assert/strict";
import { FakeConnection } from "../../../tests/support/fake_connection.ts";
import { MemoryStorage } from "../../../tests/support/memory_storage.ts";
import type { XmlElement } from "../core/connection.ts";
import { createFeatureRegistry } from "../features/feature_registry.ts";
import { routeConnection } from "../router/routed_connection.ts";
import type { AttachmentPolicy } from "../../settings/settings_rules.ts";
import { filesKey, writeFiles } from "./file_history.ts";
import { fetchUploader } from "./transfer/fetch_uploader.ts";
import { fileOfferStanza } from "./file_offer.ts";
import { fileOutcomeStanza } from "./file_outcome.ts";
import { inKey, outKey } from "./file_transfer_state.ts";
import { createFiles } from "./file_transfers.ts";
import { sha256Of, toBase64 } from "./transfer/digest.ts";

const OWN = "agent@example.com";
const BOB = "bob@example.com";
const URL = "https://files.example.com/r.pdf";
const POLICY: AttachmentPolicy = {
  enabled: true,
  maxBytes: 1000,
  allowedTypes: [".pdf"],
};
const BYTES = new Uint8Array([1, 2, 3]);

function from(stanza: XmlElement, jid: string): XmlElement {
  (stanza.attrs as Record<string, string>).from = jid;
  return stanza;
}

/** One page's store over `storage`. */
function page(storage: MemoryStorage, policy = POLICY) {
  const wire = new FakeConnection(OWN);
  const gets: string[] = [];
  const files = createFiles(routeConnection(wire), {
    features: createFeatureRegistry(),
    chatServer: () => "https://chat.example.com/http-bind",
    policy,
    uploader: fetchUploader(),
    fetch: (input) => {
      gets.push(String(input));
      return Promise.resolve(new Response(BYTES));
    },
    history: storage,
    pageEvents: { addEventListener() {}, removeEventListener() {} },
    onError: (error) => assert.fail(error.message),
  });
  return { wire, files, gets };
}

/** [to, outcome, offer id] of each outcome sent (its first child). */
function outcomes(sent: readonly XmlElement[]) {
  return sent.map((stanza) => {
    const [outcome] = stanza.getChildElements();
    return [stanza.attrs.to, outcome.name, outcome.attrs.id];
  });
}

Deno.test("files store across a refresh", async (t) => {
  const sha256 = toBase64(await sha256Of(BYTES));
  const offer = from(
    fileOfferStanza({
      to: OWN,
      id: "o1",
      url: URL,
      name: "r.pdf",
      size: 3,
      mediaType: "application/pdf",
      sha256,
    }),
    `${BOB}/pc`,
  );
  const key = inKey(BOB, "o1");

  await t.step("an offer not accepted yet: Accept works after it", async () => {
    const storage = new MemoryStorage();
    const before = page(storage);
    before.wire.deliver(offer);
    before.files[Symbol.dispose]();
    const after = page(storage);
    const restored = after.files.transfer(key).value;
    assert.equal(restored?.phase, "offered");
    assert.deepEqual(restored?.decision, { ok: true });
    const blob = await after.files.accept(key);
    assert.deepEqual(new Uint8Array(await blob!.arrayBuffer()), BYTES);
    assert.deepEqual(after.gets, [URL]);
    // To the bare JID: the resource that offered may have gone meanwhile.
    assert.deepEqual(outcomes(after.wire.sent), [
      [BOB, "file-accepted", "o1"],
      [BOB, "file-downloaded", "o1"],
    ]);
    after.files[Symbol.dispose]();
    const later = page(storage).files;
    assert.equal(later.transfer(key).value?.phase, "downloaded");
    later[Symbol.dispose]();
  });

  await t.step("the policy in force at the refresh decides", async () => {
    const storage = new MemoryStorage();
    const before = page(storage);
    before.wire.deliver(offer);
    before.files[Symbol.dispose]();
    const after = page(storage, { ...POLICY, allowedTypes: [".txt"] });
    assert.deepEqual(after.files.transfer(key).value?.decision, {
      ok: false,
      reason: "type-not-allowed",
    });
    assert.equal(await after.files.accept(key), undefined);
    assert.deepEqual(after.gets, []);
    // Allowed again: the restored offer is judged anew.
    after.files.setPolicy(POLICY);
    assert.deepEqual(after.files.transfer(key).value?.decision, { ok: true });
    after.files[Symbol.dispose]();
  });

  await t.step("a sent offer hears the answer; an upload failed", () => {
    const storage = new MemoryStorage();
    const sent = (id: string, phase: "offered" | "uploading") => ({
      key: outKey(id),
      id,
      direction: "out" as const,
      peer: BOB,
      name: `${id}.pdf`,
      size: 3,
      mediaType: "application/pdf",
      phase,
      bytes: 1,
      at: 5,
    });
    storage.setItem(
      filesKey(OWN),
      writeFiles(
        new Map([
          [outKey("s1"), sent("s1", "offered")],
          [outKey("s2"), sent("s2", "uploading")],
        ]),
        () => undefined,
        1e6,
      ),
    );
    const { wire, files } = page(storage);
    assert.deepEqual(files.transfer(outKey("s2")).value?.failure, {
      kind: "reloaded",
    });
    // From a resource the offer never went to: outcomes match by bare JID.
    wire.deliver(
      from(
        fileOutcomeStanza(OWN, "x1", "s1", { kind: "declined" }),
        `${BOB}/new`,
      ),
    );
    assert.equal(files.transfer(outKey("s1")).value?.phase, "declined");
    files[Symbol.dispose]();
  });

  await t.step("sign-out wipes the copy", () => {
    const storage = new MemoryStorage();
    const { wire, files } = page(storage);
    wire.deliver(offer);
    files[Symbol.dispose]();
    assert.ok(storage.getItem(filesKey(OWN)));
    const again = page(storage);
    again.files.wipeHistory();
    again.files[Symbol.dispose]();
    assert.equal(storage.getItem(filesKey(OWN)), null);
  });
});
