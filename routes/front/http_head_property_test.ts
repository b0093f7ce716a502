// Properties of the front's request framing (issue 14): whatever bytes
// arrive, the parser answers with data or a HeadError and never throws; a
// well-formed head parses back to what was written; and what the front
// forwards frames exactly as what it read, so no request can hide inside
// another on the way to the internal server.
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzzRuns } from "../../tests/support/fuzz.ts";
import {
  findHeadEnd,
  type HeaderField,
  HeadError,
  latin1,
  latin1Bytes,
  parseRequestHead,
  type RequestHead,
  serializeRequestHead,
} from "./http_head.ts";

const LIMITS = { maxBodyBytes: 1_000_000 };

const token = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,12}$/);
const method = token.filter((m) => m !== "CONNECT");
const target = fc.stringMatching(/^\/[\x21-\x7e]{0,40}$/);
const fieldName = fc.stringMatching(/^X-[A-Za-z0-9-]{1,10}$/);
const fieldValue = fc.oneof(
  fc.constant(""),
  fc.stringMatching(
    /^[\x21-\x7e\x80-\xff](?:[\t\x20-\x7e\x80-\xff]{0,20}[\x21-\x7e\x80-\xff])?$/,
  ),
);
const field = fc.tuple(fieldName, fieldValue).map(([name, value]) => ({
  name,
  value,
}));

interface Written {
  readonly method: string;
  readonly target: string;
  readonly version: "HTTP/1.0" | "HTTP/1.1";
  readonly fields: HeaderField[];
  readonly contentLength: number | null;
  readonly close: boolean;
}

const written: fc.Arbitrary<Written> = fc.record({
  method,
  target,
  version: fc.constantFrom("HTTP/1.0" as const, "HTTP/1.1" as const),
  fields: fc.array(field, { maxLength: 8 }),
  contentLength: fc.option(fc.nat(1_000_000)),
  close: fc.boolean(),
});

function render(head: Written): { text: string; fields: HeaderField[] } {
  const fields = [{ name: "Host", value: "chat.example:8000" }, ...head.fields];
  if (head.contentLength !== null) {
    fields.push({ name: "Content-Length", value: String(head.contentLength) });
  }
  if (head.close) fields.push({ name: "Connection", value: "close" });
  const lines = fields.map(({ name, value }) => `${name}: ${value}\r\n`).join(
    "",
  );
  return {
    text: `${head.method} ${head.target} ${head.version}\r\n${lines}\r\n`,
    fields,
  };
}

// Near-HTTP noise: the pieces a head is made of, in any order and number.
const noise = fc.array(
  fc.oneof(
    fc.constantFrom(
      "GET / HTTP/1.1",
      "POST /x HTTP/1.0",
      "\r\n",
      "\n",
      "\r",
      ": ",
      " ",
      "\t",
      "Host: a",
      "Content-Length: ",
      "Content-Length: 5",
      "Transfer-Encoding: chunked",
      "Connection: close",
      ",",
      "\x00",
      "\xff",
    ),
    fc.uint8Array({ maxLength: 6 }).map(latin1),
    fc.nat(99_999_999).map(String),
  ),
  { maxLength: 30 },
).map((parts) => latin1Bytes(parts.join("")));

// A well-formed head with noise spliced in somewhere: mostly near-misses.
const mutated = fc.tuple(written, noise, fc.nat()).map(([head, extra, at]) => {
  const wire = latin1Bytes(render(head).text);
  const cut = at % (wire.length + 1);
  return new Uint8Array([
    ...wire.subarray(0, cut),
    ...extra,
    ...wire.subarray(cut),
  ]);
});

const bytes = fc.oneof(noise, mutated, fc.uint8Array({ maxLength: 300 }));

Deno.test("property: a well-formed head parses back to what was written, body bytes left alone", () => {
  fc.assert(
    fc.property(written, fc.uint8Array({ maxLength: 20 }), (head, body) => {
      const { text, fields } = render(head);
      const wire = new Uint8Array([...latin1Bytes(text), ...body]);
      assert.equal(findHeadEnd(wire), text.length);
      const parsed = parseRequestHead(wire.subarray(0, text.length), LIMITS);
      assert.deepEqual(parsed, {
        method: head.method,
        target: head.target,
        version: head.version,
        fields,
        contentLength: head.contentLength ?? 0,
        keepAlive: !head.close && head.version === "HTTP/1.1",
      });
    }),
    fuzzRuns(14_201),
  );
});

Deno.test("property: any bytes give a head or a HeadError, and a head forwards with the same framing", () => {
  fc.assert(
    fc.property(bytes, (wire) => {
      const end = findHeadEnd(wire);
      assert.ok(end === -1 || (end > 0 && end <= wire.length));
      const parsed = parseRequestHead(
        end === -1 ? wire : wire.subarray(0, end),
        LIMITS,
      );
      if (parsed instanceof HeadError) {
        assert.ok([400, 411, 413, 431, 501, 505].includes(parsed.status));
        return;
      }
      assert.ok(
        Number.isSafeInteger(parsed.contentLength) && parsed.contentLength >= 0,
      );
      assertForwardsTheSame(parsed);
    }),
    fuzzRuns(14_202),
  );
});

Deno.test("property: conflicting lengths or any Transfer-Encoding never reach the backend", () => {
  const conflicting = fc.tuple(fc.nat(1000), fc.nat(1000)).filter(([a, b]) =>
    a !== b
  );
  fc.assert(
    fc.property(written, conflicting, fc.boolean(), (head, [a, b], chunked) => {
      const { text } = render({ ...head, contentLength: null });
      const extra = chunked
        ? `Transfer-Encoding: chunked\r\nContent-Length: ${a}\r\n`
        : `Content-Length: ${a}\r\nContent-Length: ${b}\r\n`;
      const wire = latin1Bytes(text.slice(0, -2) + extra + "\r\n");
      const parsed = parseRequestHead(wire, LIMITS);
      assert.ok(parsed instanceof HeadError);
      assert.equal(parsed.status, 400);
    }),
    fuzzRuns(14_203),
  );
});

/** The forwarded head frames exactly as the one the front read. */
function assertForwardsTheSame(head: RequestHead): void {
  const forwarded = serializeRequestHead(head, new Set(), []);
  assert.equal(findHeadEnd(forwarded), forwarded.length);
  const again = parseRequestHead(forwarded, LIMITS);
  assert.ok(!(again instanceof HeadError), "a forwarded head must parse");
  const withoutLength = (fields: readonly HeaderField[]) =>
    fields.filter((f) => f.name.toLowerCase() !== "content-length");
  assert.deepEqual(
    { ...again, fields: withoutLength(again.fields) },
    { ...head, fields: withoutLength(head.fields) },
  );
}
