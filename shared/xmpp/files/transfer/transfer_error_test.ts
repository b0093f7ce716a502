import assert from "node:assert/strict";
import { TransportError, XmppError } from "../../core/errors.ts";
import {
  reasonOfRejection,
  reasonOfStatus,
  TransferError,
} from "./transfer_error.ts";

Deno.test("TransferError is a TransportError whose condition is the reason", () => {
  const error = new TransferError("too-large", { status: 413 });
  assert.ok(error instanceof TransportError);
  assert.ok(error instanceof XmppError);
  assert.equal(error.kind, "transport");
  assert.equal(error.condition, "too-large");
  assert.equal(error.reason, "too-large");
  assert.equal(error.status, 413);
  assert.equal(error.message, "The file is larger than allowed. (HTTP 413)");
});

Deno.test("reasonOfStatus maps HTTP statuses (RFC 9110 §15)", () => {
  assert.equal(reasonOfStatus(413), "too-large");
  assert.equal(reasonOfStatus(401), "refused");
  assert.equal(reasonOfStatus(403), "refused");
  assert.equal(reasonOfStatus(404), "not-found");
  assert.equal(reasonOfStatus(410), "not-found");
  assert.equal(reasonOfStatus(500), "server");
  assert.equal(reasonOfStatus(599), "server");
  assert.equal(reasonOfStatus(400), "http");
  assert.equal(reasonOfStatus(600), "http");
});

Deno.test("reasonOfRejection tells our cancel from the network", () => {
  assert.equal(reasonOfRejection(AbortSignal.abort()), "cancelled");
  assert.equal(reasonOfRejection(new AbortController().signal), "unreachable");
  assert.equal(reasonOfRejection(undefined), "unreachable");
});
