import assert from "node:assert/strict";
import type { ChatMessage } from "../../../../shared/xmpp/chat/chat_model.ts";
import type { FileTransfer } from "../../../../shared/xmpp/files/file_transfers_api.ts";
import { buildRows } from "./message_rows.ts";

const local = (d: number, h: number, min = 0) =>
  new Date(2026, 11, d, h, min).getTime();

function msg(
  id: string,
  at: number,
  direction: "in" | "out" = "in",
): ChatMessage {
  return { id, direction, body: id, at, state: "delivered" };
}

Deno.test("message rows", async (t) => {
  await t.step("a day heading before each day's first message", () => {
    const rows = buildRows([
      msg("a", local(3, 9)),
      msg("b", local(3, 23, 59)),
      msg("c", local(4, 0, 0)),
    ]);
    assert.deepEqual(rows.map((row) => row.key), [
      `\u0001day:${local(3, 0)}`,
      "a",
      "b",
      `\u0001day:${local(4, 0)}`,
      "c",
    ]);
  });

  await t.step("an empty chat has no rows", () => {
    assert.deepEqual(buildRows([]), []);
  });

  await t.step("a run: same side, within five minutes, same day", () => {
    const rows = buildRows([
      msg("a", local(3, 9, 0)),
      msg("b", local(3, 9, 4)),
      msg("c", local(3, 9, 5), "out"),
      msg("d", local(3, 9, 20), "out"),
    ]);
    const continued = rows.flatMap((row) =>
      row.kind === "message" ? [row.continued] : []
    );
    assert.deepEqual(continued, [false, true, false, false]);
  });

  await t.step("a clock going back starts a new heading, never a gap", () => {
    const rows = buildRows([msg("a", local(4, 9)), msg("b", local(3, 9))]);
    assert.equal(rows.filter((row) => row.kind === "day").length, 2);
  });
});

Deno.test("file transfers sit among the messages by time", () => {
  const transfer = (key: string, at: number): FileTransfer => ({
    key,
    id: key,
    direction: "in",
    peer: "bob@example.com",
    name: "a.pdf",
    size: 1,
    mediaType: "application/pdf",
    phase: "offered",
    bytes: 0,
    at,
  });
  const rows = buildRows(
    [msg("a", local(3, 9)), msg("b", local(3, 11)), msg("c", local(3, 11, 1))],
    [transfer("in:f1", local(3, 10)), transfer("in:f2", local(4, 8))],
  );
  assert.deepEqual(rows.map((row) => row.key), [
    `\u0001day:${local(3, 0)}`,
    "a",
    "\u0002file:in:f1",
    "b",
    "c",
    `\u0001day:${local(4, 0)}`,
    "\u0002file:in:f2",
  ]);
  // A file card breaks a run: the message after it starts anew.
  const b = rows[3];
  assert.equal(b.kind === "message" && b.continued, false);
});
