import assert from "node:assert/strict";
import type { FileTransfer } from "../../../../shared/xmpp/files/file_transfers_api.ts";
import {
  failureWords,
  formatSize,
  phaseText,
  policyText,
  sendBlock,
} from "./file_messages.ts";

const base: FileTransfer = {
  key: "out:1",
  id: "1",
  direction: "out",
  peer: "bob@example.com",
  name: "report.pdf",
  size: 12_000_000,
  mediaType: "application/pdf",
  phase: "offered",
  bytes: 0,
  at: 0,
};

Deno.test("formatSize: bytes, kB and MB in the units of the administrator's limit", () => {
  assert.equal(formatSize(0), "0 bytes");
  assert.equal(formatSize(1), "1 byte");
  assert.equal(formatSize(1023), "1023 bytes");
  assert.equal(formatSize(1536), "1.5 kB");
  // The administrator's "10" MB is stored as 10 × 1024².
  assert.equal(formatSize(10 * 1024 * 1024), "10 MB");
  assert.equal(formatSize(12_000_000), "11 MB");
  assert.equal(formatSize(2.5 * 1024 ** 3), "2.5 GB");
  // A bare XEP-0066 link gives none.
  assert.equal(formatSize(undefined), "size not given");
  assert.equal(formatSize(-1), "size not given");
});

Deno.test("policyText: the size and the limit, or why the type is refused", () => {
  assert.equal(
    policyText(
      { ok: false, reason: "too-large", maxBytes: 10 * 1024 * 1024 },
      "a.pdf",
      12 * 1024 * 1024,
    ),
    "a.pdf is 12 MB; the limit is 10 MB.",
  );
  assert.equal(
    policyText({ ok: false, reason: "type-not-allowed" }, "a.exe", 10),
    "Files of this type are not allowed: a.exe.",
  );
  assert.equal(policyText({ ok: true }, "a.pdf", 1), undefined);
});

Deno.test("sendBlock: the contact's reason first, then the upload service", () => {
  assert.equal(
    sendBlock({ state: "none" }, "Bob is signed out."),
    "Bob is signed out.",
  );
  assert.equal(
    sendBlock({ state: "none" }, undefined),
    "The chat server offers no file upload, so files cannot be sent.",
  );
  assert.equal(
    sendBlock({
      state: "available",
      service: { jid: "upload.example.com" } as never,
    }, undefined),
    undefined,
  );
});

Deno.test("phaseText: each side in plain words", () => {
  assert.equal(phaseText(base, "Bob"), "Offered — waiting for Bob");
  assert.equal(
    phaseText({ ...base, phase: "uploading", bytes: 1536 }, "Bob"),
    "Uploading… 1.5 kB of 11 MB",
  );
  assert.equal(
    phaseText({ ...base, direction: "in" }, "Bob"),
    "Bob offers this file",
  );
  assert.equal(
    phaseText({ ...base, phase: "declined" }, "Bob"),
    "Bob declined the file",
  );
  assert.equal(
    phaseText({ ...base, phase: "cancelled", cancelledBy: "peer" }, "Bob"),
    "Cancelled by Bob",
  );
  assert.equal(
    phaseText({
      ...base,
      phase: "failed",
      failure: {
        kind: "slot",
        refusal: { reason: "too-large", maxBytes: 1024 * 1024 },
      },
    }, "Bob"),
    "Failed: The chat server takes files up to 1 MB.",
  );
  assert.equal(
    failureWords({ kind: "transfer", reason: "hash-mismatch" }, base),
    "the file's checksum does not match the offer",
  );
});
