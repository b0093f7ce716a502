// The attachments store through a scripted connection, a recording
// uploader and a scripted fetch: discovery, what goes out (and what never
// does) when sending, offers received, and the outcomes both ways. Real
// servers: tests/integration/file_transfer_test.ts.
import assert from "node:assert/strict";
import { xml } from "@xmpp/xml";
import {
  FakeConnection,
  settle,
} from "../../../tests/support/fake_connection.ts";
import type { XmlElement } from "../core/connection.ts";
import { createFeatureRegistry } from "../features/feature_registry.ts";
import { routeConnection } from "../router/routed_connection.ts";
import type { AttachmentPolicy } from "../../settings/settings_rules.ts";
import { fileOfferStanza, NS_OOB, NS_SFS } from "./file_offer.ts";
import { fetchUploader } from "./transfer/fetch_uploader.ts";
import { fileOutcomeStanza, NS_FILE_OUTCOME } from "./file_outcome.ts";
import { inKey } from "./file_transfer_state.ts";
import { createFiles } from "./file_transfers.ts";
import { sha256Of, toBase64 } from "./transfer/digest.ts";
import type { UploadRequest } from "./transfer/uploader.ts";
import { NS_HTTP_UPLOAD } from "./upload_slot.ts";

const OWN = "agent@example.com";
const BOB = "bob@example.com";
const SERVICE = "upload.example.com";
const NS_DISCO_INFO = "http://jabber.org/protocol/disco#info";
const NS_DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
const POLICY: AttachmentPolicy = {
  enabled: true,
  maxBytes: 1000,
  allowedTypes: [".pdf"],
};

function setup() {
  const wire = new FakeConnection(OWN);
  const features = createFeatureRegistry();
  const puts: UploadRequest[] = [];
  const gets: string[] = [];
  let body = new Uint8Array([1, 2, 3]);
  const errors: string[] = [];
  const files = createFiles(routeConnection(wire), {
    features,
    chatServer: () => "https://chat.example.com/http-bind",
    policy: POLICY,
    uploader: {
      put(request) {
        puts.push(request);
        request.onProgress?.(request.size, request.size);
        return Promise.resolve({ ok: true, status: 201 });
      },
    },
    fetch: (input) => {
      gets.push(String(input));
      return Promise.resolve(new Response(body));
    },
    now: () => 42,
    onError: (error) => errors.push(error.condition),
  });
  return {
    wire,
    features,
    files,
    puts,
    gets,
    errors,
    serve(bytes: Uint8Array<ArrayBuffer>) {
      body = bytes;
    },
  };
}

/** Answers discovery: the domain lists `upload.example.com` with XEP-0363. */
async function discover(
  wire: FakeConnection,
  files: { discover(): Promise<void> },
) {
  const done = files.discover();
  const [items] = wire.takeIqs();
  assert.equal(items.request.getChild("query")?.attrs.xmlns, NS_DISCO_ITEMS);
  items.result(
    xml("query", { xmlns: NS_DISCO_ITEMS }, xml("item", { jid: SERVICE })),
  );
  await settle();
  for (const info of wire.takeIqs()) {
    if (info.request.attrs.to === SERVICE) {
      info.result(
        xml(
          "query",
          { xmlns: NS_DISCO_INFO },
          xml("feature", { var: NS_HTTP_UPLOAD }),
        ),
      );
    } else info.error("service-unavailable");
  }
  await done;
}

function slot(put: string, get: string): XmlElement {
  return xml(
    "slot",
    { xmlns: NS_HTTP_UPLOAD },
    xml("put", { url: put }, xml("header", { name: "Authorization" }, "t")),
    xml("get", { url: get }),
  );
}

function withFrom(stanza: XmlElement, from: string): XmlElement {
  (stanza.attrs as Record<string, string>).from = from;
  return stanza;
}

async function offerFromBob(
  wire: FakeConnection,
  name: string,
  bytes: Uint8Array<ArrayBuffer>,
  id = "offer-1",
) {
  wire.deliver(withFrom(
    fileOfferStanza({
      to: OWN,
      id,
      url: "https://files.example.com/x",
      name,
      size: bytes.byteLength,
      mediaType: "application/pdf",
      sha256: toBase64(await sha256Of(bytes)),
    }),
    `${BOB}/pc`,
  ));
}

function outcomesIn(sent: readonly XmlElement[]) {
  return sent.flatMap((stanza) =>
    stanza.getChildElements().filter((child) =>
      child.attrs.xmlns === NS_FILE_OUTCOME
    ).map((child) => [stanza.attrs.to, child.name, child.attrs.id])
  );
}

Deno.test("files store", async (t) => {
  await t.step("advertises what it understands", () => {
    const { features, files } = setup();
    for (const ns of [NS_SFS, NS_OOB, NS_FILE_OUTCOME]) {
      assert.ok(features.info.value.features.includes(ns), ns);
    }
    files[Symbol.dispose]();
    assert.ok(!features.info.value.features.includes(NS_SFS));
  });

  await t.step("discovery: the service, none, or the failure", async () => {
    const { wire, files, errors } = setup();
    assert.deepEqual(files.uploadService.value, { state: "unknown" });
    await discover(wire, files);
    assert.deepEqual(files.uploadService.value, {
      state: "available",
      service: { jid: SERVICE },
    });
    const none = files.discover();
    wire.takeIqs()[0].result(xml("query", { xmlns: NS_DISCO_ITEMS }));
    await settle();
    for (const info of wire.takeIqs()) info.error("service-unavailable");
    await none;
    assert.deepEqual(files.uploadService.value, { state: "none" });
    const failing = files.discover();
    wire.takeIqs()[0].timeout();
    await failing;
    assert.equal(files.uploadService.value.state, "error");
    assert.deepEqual(errors, ["timeout"]);
  });

  await t.step(
    "discovery without a stream is the lost connection",
    async () => {
      const files = createFiles(routeConnection(), {
        features: createFeatureRegistry(),
        chatServer: () => "",
        policy: POLICY,
        uploader: fetchUploader(),
        onError: () => {},
      });
      await files.discover();
      const status = files.uploadService.value;
      assert.equal(status.state, "error");
      assert.equal(
        status.state === "error" ? status.error.condition : "",
        "connection-lost",
      );
    },
  );

  await t.step("a refused file asks nothing of the server", async () => {
    const { wire, files, puts } = setup();
    await discover(wire, files);
    const big = files.send(BOB, {
      name: "a.pdf",
      type: "application/pdf",
      data: new Uint8Array(1001),
    });
    assert.deepEqual((await big.done).failure, {
      kind: "policy",
      decision: { ok: false, reason: "too-large", maxBytes: 1000 },
    });
    const off = await files.send(
      BOB,
      { name: "a.pdf", type: "", data: new Uint8Array(1) },
      { ...POLICY, enabled: false },
    ).done;
    assert.deepEqual(off.failure, {
      kind: "policy",
      decision: { ok: false, reason: "disabled" },
    });
    assert.deepEqual([wire.iqs.length, wire.sent.length, puts.length], [
      0,
      0,
      0,
    ]);
    assert.throws(() =>
      files.send("not a jid", {
        name: "a.pdf",
        type: "",
        data: new Uint8Array(1),
      })
    );
  });

  await t.step("without an upload service the send fails so", async () => {
    const { files } = setup();
    const done = await files.send(BOB, {
      name: "a.pdf",
      type: "application/pdf",
      data: new Uint8Array(3),
    }).done;
    assert.deepEqual(done.failure, { kind: "no-upload-service" });
  });

  await t.step("slot, PUT, offer; outcomes only from the peer", async () => {
    const { wire, files, puts } = setup();
    await discover(wire, files);
    const bytes = new Uint8Array([9, 8, 7]);
    const handle = files.send(BOB, {
      name: "r.pdf",
      type: "application/pdf",
      data: bytes,
    });
    await settle();
    const [request] = wire.takeIqs();
    assert.equal(request.request.attrs.to, SERVICE);
    assert.deepEqual(request.request.getChild("request")?.attrs, {
      xmlns: NS_HTTP_UPLOAD,
      filename: "r.pdf",
      size: "3",
      "content-type": "application/pdf",
    });
    request.result(
      slot("https://up.example.com/put/r.pdf", "https://up.example.com/r.pdf"),
    );
    const offered = await handle.done;
    assert.equal(offered.phase, "offered");
    assert.equal(offered.peer, BOB);
    assert.equal(puts[0].url, "https://up.example.com/put/r.pdf");
    assert.deepEqual(puts[0].headers, [{ name: "Authorization", value: "t" }]);
    const offer = wire.sent.at(-1)!;
    assert.equal(offer.attrs.to, BOB);
    assert.equal(offer.attrs.id, offered.id);
    assert.equal(offer.getChildText("body"), "https://up.example.com/r.pdf");
    const hash = offer.getChild("file-sharing", NS_SFS)?.getChild("file")
      ?.getChildText("hash", "urn:xmpp:hashes:2");
    assert.equal(hash, toBase64(await sha256Of(bytes)));
    const declined = (from: string) =>
      withFrom(
        fileOutcomeStanza(OWN, "x", offered.id, { kind: "declined" }),
        from,
      );
    wire.deliver(declined("eve@example.com/pc"));
    assert.equal(files.transfer(handle.key).value?.phase, "offered");
    wire.deliver(declined(`${BOB}/phone`));
    assert.equal(files.transfer(handle.key).value?.phase, "declined");
  });

  await t.step("a slot refusal is the slot's reason", async () => {
    const { wire, files } = setup();
    await discover(wire, files);
    const handle = files.send(BOB, {
      name: "r.pdf",
      type: "application/pdf",
      data: new Uint8Array(3),
    });
    await settle();
    wire.takeIqs()[0].error("not-allowed");
    assert.deepEqual((await handle.done).failure, {
      kind: "slot",
      refusal: { reason: "not-allowed" },
    });
  });

  await t.step(
    "an offer: decision, accept, outcomes to who offered",
    async () => {
      const { wire, files, gets, serve } = setup();
      const bytes = new Uint8Array([5, 6, 7, 8]);
      serve(bytes);
      await offerFromBob(wire, "q.pdf", bytes);
      const key = inKey(BOB, "offer-1");
      const offer = files.transfer(key).value;
      assert.deepEqual(
        [offer?.phase, offer?.name, offer?.size, offer?.decision],
        ["offered", "q.pdf", 4, { ok: true }],
      );
      // The same offer again is one transfer.
      await offerFromBob(wire, "q.pdf", bytes);
      assert.equal(files.transfers.value.length, 1);
      const blob = await files.accept(key);
      assert.deepEqual(new Uint8Array(await blob!.arrayBuffer()), bytes);
      assert.deepEqual(gets, ["https://files.example.com/x"]);
      assert.equal(files.transfer(key).value?.phase, "downloaded");
      assert.deepEqual(outcomesIn(wire.sent), [
        [`${BOB}/pc`, "file-accepted", "offer-1"],
        [`${BOB}/pc`, "file-downloaded", "offer-1"],
      ]);
    },
  );

  await t.step("a refused offer has no accept; decline tells", async () => {
    const { wire, files, gets } = setup();
    await offerFromBob(wire, "run.exe", new Uint8Array(4));
    const key = inKey(BOB, "offer-1");
    assert.deepEqual(files.transfer(key).value?.decision, {
      ok: false,
      reason: "type-not-allowed",
    });
    assert.equal(await files.accept(key), undefined);
    assert.deepEqual([gets, wire.sent], [[], []]);
    // A change of policy judges a waiting offer again.
    files.setPolicy({ ...POLICY, allowedTypes: [".exe"] });
    assert.deepEqual(files.transfer(key).value?.decision, { ok: true });
    files.setPolicy(POLICY);
    files.decline(key);
    assert.equal(files.transfer(key).value?.phase, "declined");
    assert.deepEqual(outcomesIn(wire.sent), [
      [`${BOB}/pc`, "file-declined", "offer-1"],
    ]);
  });

  await t.step("a wrong hash fails and the sender is told", async () => {
    const { wire, files, serve } = setup();
    await offerFromBob(wire, "q.pdf", new Uint8Array([1, 1, 1]));
    serve(new Uint8Array([2, 2, 2]));
    const key = inKey(BOB, "offer-1");
    assert.equal(await files.accept(key), undefined);
    assert.deepEqual(files.transfer(key).value?.failure, {
      kind: "transfer",
      reason: "hash-mismatch",
    });
    const failed = wire.sent.at(-1)?.getChild("file-failed", NS_FILE_OUTCOME);
    assert.equal(failed?.attrs.reason, "hash-mismatch");
  });

  await t.step(
    "a bare oob link (as Conversations sends): accepted, bounded, unverified",
    async () => {
      const { wire, files, serve } = setup();
      const link = (id: string) => {
        const url = `https://files.example.com/u/${id}/photo.pdf`;
        wire.deliver(withFrom(
          xml(
            "message",
            { type: "chat", to: OWN, id },
            xml("body", {}, url),
            xml("x", { xmlns: NS_OOB }, xml("url", {}, url)),
          ),
          `${BOB}/phone`,
        ));
        return inKey(BOB, id);
      };
      const key = link("c1");
      const offered = files.transfer(key).value;
      assert.deepEqual(
        [offered?.name, offered?.size, offered?.unverified, offered?.decision],
        ["photo.pdf", undefined, true, { ok: true }],
      );
      const bytes = new Uint8Array([4, 3, 2, 1]);
      serve(bytes);
      const blob = await files.accept(key);
      assert.deepEqual(new Uint8Array(await blob!.arrayBuffer()), bytes);
      // The size is known once the bytes are.
      assert.deepEqual(
        [files.transfer(key).value?.phase, files.transfer(key).value?.size],
        ["downloaded", 4],
      );
      // Past the policy's 1,000 bytes (counted: a Response built here has
      // no Content-Length): too large, and the sender is told.
      serve(new Uint8Array(1001));
      const big = link("c2");
      assert.equal(await files.accept(big), undefined);
      assert.deepEqual(files.transfer(big).value?.failure, {
        kind: "transfer",
        reason: "too-large",
      });
      assert.deepEqual(outcomesIn(wire.sent), [
        [`${BOB}/phone`, "file-accepted", "c1"],
        [`${BOB}/phone`, "file-downloaded", "c1"],
        [`${BOB}/phone`, "file-accepted", "c2"],
        [`${BOB}/phone`, "file-failed", "c2"],
      ]);
      assert.equal(
        wire.sent.at(-1)?.getChild("file-failed", NS_FILE_OUTCOME)?.attrs
          .reason,
        "not-allowed",
      );
    },
  );

  await t.step(
    "an offer from our own account is not ours to take",
    async () => {
      const { wire, files } = setup();
      wire.deliver(withFrom(
        fileOfferStanza({
          to: OWN,
          id: "self",
          url: "https://files.example.com/x",
          name: "q.pdf",
          size: 3,
          mediaType: "application/pdf",
          sha256: toBase64(await sha256Of(new Uint8Array(3))),
        }),
        `${OWN}/phone`,
      ));
      assert.equal(files.transfers.value.length, 0);
    },
  );
});
