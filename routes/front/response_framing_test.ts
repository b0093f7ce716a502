import assert from "node:assert/strict";
import { HeadError, latin1Bytes } from "./http_head.ts";
import { ResponseFraming, type ResponseStep } from "./response_framing.ts";

/** Pushes `text` in pieces of `size` bytes; the steps taken. */
function feed(
  framing: ResponseFraming,
  text: string,
  size: number,
): (ResponseStep | HeadError)[] {
  const bytes = latin1Bytes(text);
  const steps = [];
  for (let i = 0; i < bytes.length; i += size) {
    steps.push(framing.push(bytes.subarray(i, i + size)));
  }
  return steps;
}

function endsAt(
  method: string,
  text: string,
  size: number,
): number | HeadError {
  const framing = new ResponseFraming(method);
  let used = 0;
  for (const step of feed(framing, text, size)) {
    if (step instanceof HeadError) return step;
    used += step.used;
    if (step.done) return used;
  }
  return -1;
}

const HEAD_200 = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n";

Deno.test("ResponseFraming ends a Content-Length response at its last byte, in any split", () => {
  const response = `${HEAD_200}Content-Length: 5\r\n\r\nhello`;
  for (const size of [1, 2, 7, 1000]) {
    assert.equal(
      endsAt("GET", `${response}HTTP/1.1 200 OK`, size),
      response.length,
    );
  }
});

Deno.test("ResponseFraming follows chunked bodies with extensions and trailers (RFC 9112 §7.1)", () => {
  const response = `${HEAD_200}Transfer-Encoding: chunked\r\n\r\n` +
    "3;ext=1\r\none\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n";
  for (const size of [1, 3, 1000]) {
    assert.equal(endsAt("GET", `${response}junk`, size), response.length);
  }
});

Deno.test("ResponseFraming: HEAD, 204 and 304 have no body; 1xx come before the final answer", () => {
  const length = "Content-Length: 10\r\n\r\n";
  assert.equal(
    endsAt("HEAD", `${HEAD_200}${length}`, 1000),
    HEAD_200.length + length.length,
  );
  assert.equal(endsAt("GET", "HTTP/1.1 204 No Content\r\n\r\n", 1000), 27);
  const interim = "HTTP/1.1 100 Continue\r\n\r\n";
  const final = `${HEAD_200}Content-Length: 2\r\n\r\nok`;
  assert.equal(
    endsAt("POST", interim + final, 4),
    interim.length + final.length,
  );
});

Deno.test("ResponseFraming: a body without length runs until close and ends persistence", () => {
  const framing = new ResponseFraming("GET");
  const steps = feed(framing, `${HEAD_200}\r\nsome bytes`, 1000);
  assert.deepEqual(steps, [{ used: HEAD_200.length + 12, done: false }]);
  assert.equal(framing.keepAlive, false);
  assert.equal(framing.end(), true);
  assert.equal(
    new ResponseFraming("GET").end(),
    false,
    "a truncated head is not a response",
  );
});

Deno.test("ResponseFraming reads Connection: close and the status", () => {
  const framing = new ResponseFraming("GET");
  feed(
    framing,
    "HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
    1000,
  );
  assert.equal(framing.status, 404);
  assert.equal(framing.keepAlive, false);
});

Deno.test("ResponseFraming refuses what it cannot frame", () => {
  const cases = [
    "HTTP/1.1 200\r\nContent-Length: x\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
    "HTTP/1.1 101 Switching Protocols\r\n\r\n",
    "HTTX/1.1 200 OK\r\n\r\n",
    `${HEAD_200}Transfer-Encoding: chunked\r\n\r\nzz\r\n`,
    `${HEAD_200}Transfer-Encoding: chunked\r\n\r\n1\r\nab\r\n`,
  ];
  for (const text of cases) {
    assert.ok(
      endsAt("GET", text, 1000) instanceof HeadError,
      JSON.stringify(text),
    );
  }
});
