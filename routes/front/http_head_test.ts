import assert from "node:assert/strict";
import {
  findHeadEnd,
  HeadError,
  latin1Bytes,
  leadingEmptyLines,
  parseRequestHead,
  type RequestHead,
  serializeRequestHead,
} from "./http_head.ts";

const LIMITS = { maxBodyBytes: 1000 };

function parse(text: string): RequestHead | HeadError {
  return parseRequestHead(latin1Bytes(text), LIMITS);
}

function refused(text: string): number {
  const result = parse(text);
  assert.ok(
    result instanceof HeadError,
    `expected a refusal for ${JSON.stringify(text)}`,
  );
  return result.status;
}

Deno.test("parseRequestHead reads the request-line, fields, length and persistence", () => {
  const head = parse(
    "POST /api/x?y=1 HTTP/1.1\r\nHost: a.example:8000\r\nX-Note:  caf\xe9 \t\r\n" +
      "Content-Length: 12\r\nConnection: keep-alive\r\n\r\n",
  );
  assert.deepEqual(head, {
    method: "POST",
    target: "/api/x?y=1",
    version: "HTTP/1.1",
    fields: [
      { name: "Host", value: "a.example:8000" },
      { name: "X-Note", value: "caf\xe9" },
      { name: "Content-Length", value: "12" },
      { name: "Connection", value: "keep-alive" },
    ],
    contentLength: 12,
    keepAlive: true,
  });
});

Deno.test("parseRequestHead: persistence follows RFC 9112 §9.3", () => {
  const keep = (text: string) => (parse(text) as RequestHead).keepAlive;
  assert.equal(
    keep("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"),
    false,
  );
  assert.equal(keep("GET / HTTP/1.0\r\n\r\n"), false);
  assert.equal(keep("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"), true);
});

Deno.test("parseRequestHead takes equal duplicate Content-Length values as one (RFC 9110 §8.6)", () => {
  const head = parse(
    "PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\ncontent-length: 5, 5\r\n\r\n",
  );
  assert.equal((head as RequestHead).contentLength, 5);
});

Deno.test("parseRequestHead refuses bad framing with the status the front answers", () => {
  const host = "Host: a\r\n";
  const cases: [string, number][] = [
    [`POST / HTTP/1.1\r\n${host}Transfer-Encoding: chunked\r\n\r\n`, 411],
    [
      `POST / HTTP/1.1\r\n${host}Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n`,
      400,
    ],
    [`POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n`, 400],
    [
      `POST / HTTP/1.1\r\n${host}Content-Length: 1\r\nContent-Length: 2\r\n\r\n`,
      400,
    ],
    [`POST / HTTP/1.1\r\n${host}Content-Length: 1, 2\r\n\r\n`, 400],
    [`POST / HTTP/1.1\r\n${host}Content-Length: -1\r\n\r\n`, 400],
    [`POST / HTTP/1.1\r\n${host}Content-Length: 0x10\r\n\r\n`, 400],
    [`POST / HTTP/1.1\r\n${host}Content-Length: 1001\r\n\r\n`, 413],
    [
      `GET / HTTP/1.1\r\n${host}Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
      501,
    ],
    [`CONNECT a:443 HTTP/1.1\r\n${host}\r\n`, 501],
    [`GET / HTTP/2.0\r\n${host}\r\n`, 505],
    [`GET / HTTP/1.1\r\n\r\n`, 400],
    [`GET / HTTP/1.1\r\n${host}${host}\r\n`, 400],
    [`GET / HTTP/1.1\r\n${host}X-A: 1\r\n  folded\r\n\r\n`, 400],
    [`GET / HTTP/1.1\r\n${host}X-A : 1\r\n\r\n`, 400],
    [`GET / HTTP/1.1\r\n${host}X-A: a\x00b\r\n\r\n`, 400],
    [`GET / HTTP/1.1\r\n${host}X-A: a\rb\r\n\r\n`, 400],
    [`GET / HTTP/1.1\n${host}\r\n`, 400],
    [`GET  / HTTP/1.1\r\n${host}\r\n`, 400],
    [`GET /a b HTTP/1.1\r\n${host}\r\n`, 400],
    [`GET a HTTP/1.1\r\n${host}\r\n`, 400],
    [`GET * HTTP/1.1\r\n${host}\r\n`, 400],
    [`G(T / HTTP/1.1\r\n${host}\r\n`, 400],
    [`GET / HTTP/1.1\r\n${host}`, 400],
  ];
  for (const [text, status] of cases) {
    assert.equal(refused(text), status, JSON.stringify(text));
  }
});

Deno.test("parseRequestHead accepts absolute-form and OPTIONS *", () => {
  assert.ok(
    !(parse("GET http://a/x HTTP/1.1\r\nHost: a\r\n\r\n") instanceof HeadError),
  );
  assert.ok(
    !(parse("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n") instanceof HeadError),
  );
});

Deno.test("findHeadEnd finds CRLF CRLF across scans and stops at a bare LF", () => {
  const bytes = latin1Bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n{}");
  assert.equal(findHeadEnd(bytes), bytes.length - 2);
  assert.equal(findHeadEnd(bytes.subarray(0, 26)), -1);
  assert.equal(findHeadEnd(bytes, 26), bytes.length - 2);
  assert.equal(findHeadEnd(latin1Bytes("GET / HTTP/1.1\nHost")), 15);
});

Deno.test("leadingEmptyLines counts whole CRLF pairs only", () => {
  assert.equal(leadingEmptyLines(latin1Bytes("\r\n\r\nGET")), 4);
  assert.equal(leadingEmptyLines(latin1Bytes("\r\n\r")), 2);
  assert.equal(leadingEmptyLines(latin1Bytes("GET")), 0);
});

Deno.test("serializeRequestHead drops named fields, normalizes Content-Length and appends extras", () => {
  const head = parse(
    "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nX-Peer: forged\r\ncontent-length: 2\r\n\r\n",
  ) as RequestHead;
  const text = new TextDecoder().decode(
    serializeRequestHead(head, new Set(["x-peer"]), [{
      name: "X-Peer",
      value: "0 1.2.3.4",
    }]),
  );
  assert.equal(
    text,
    "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nX-Peer: 0 1.2.3.4\r\n\r\n",
  );
});
