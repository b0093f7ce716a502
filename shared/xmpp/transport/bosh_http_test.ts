import assert from "node:assert/strict";
import { readBoshBody } from "./bosh_http.ts";

/** A response whose body arrives in `chunks`, and stays open until closed. */
function streamed(chunks: Uint8Array[], headers: Record<string, string>) {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      for (const chunk of chunks) c.enqueue(chunk);
    },
  });
  return {
    res: new Response(body, { headers }),
    end: () => controller.close(),
  };
}

const utf8 = (s: string) => new TextEncoder().encode(s);

Deno.test("readBoshBody", async (t) => {
  await t.step("returns once Content-Length bytes are in", async () => {
    const text = "<body xmlns='http://jabber.org/protocol/httpbind'/>";
    const { res, end } = streamed([utf8(text)], {
      "content-length": String(utf8(text).byteLength),
    });
    // The stream is still open: text() would wait for its end.
    assert.equal(await readBoshBody(res), text);
    end();
  });

  await t.step(
    "joins chunks and decodes a character split across them",
    async () => {
      const bytes = utf8("<body>é😀</body>");
      const { res } = streamed(
        [bytes.slice(0, 7), bytes.slice(7, 9), bytes.slice(9)],
        { "content-length": String(bytes.byteLength) },
      );
      assert.equal(await readBoshBody(res), "<body>é😀</body>");
    },
  );

  await t.step("reads to the end without Content-Length", async () => {
    const { res, end } = streamed([utf8("<body>"), utf8("</body>")], {});
    end();
    assert.equal(await readBoshBody(res), "<body></body>");
  });

  await t.step(
    "reads to the end when Content-Length does not match (a compressing proxy)",
    async () => {
      const { res, end } = streamed([utf8("<body>"), utf8("</body>")], {
        "content-length": "5",
      });
      end();
      assert.equal(await readBoshBody(res), "<body></body>");
    },
  );

  await t.step("an answer without a body is empty text", async () => {
    assert.equal(await readBoshBody(new Response(null, { status: 200 })), "");
  });

  await t.step("a body that fails midway rejects", async () => {
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(utf8("<body"));
        c.error(new TypeError("connection reset"));
      },
    });
    await assert.rejects(
      readBoshBody(new Response(body, { headers: { "content-length": "99" } })),
      /connection reset/,
    );
  });
});
