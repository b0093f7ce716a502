import { jsonError } from "./json_error.ts";

/**
 * Reads a JSON request body of at most `maxBytes`, counting the bytes that
 * actually arrive (a `Content-Length` header can lie or be absent), and
 * answers 413 or 400 through {@link jsonError} instead of parsing junk.
 */
export async function readJsonBody(
  request: Request,
  maxBytes: number,
): Promise<unknown> {
  const type = request.headers.get("Content-Type") ?? "";
  // RFC 8259 §11 names application/json; RFC 6839 §3.1 adds the +json suffix.
  if (!/^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw jsonError(
      400,
      "Send the body as JSON with Content-Type: application/json.",
    );
  }
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const bytes = await readAtMost(request, maxBytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    throw jsonError(400, "The body is not valid UTF-8.", { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw jsonError(400, "The body is not valid JSON.", { cause: error });
  }
}

export function tooLarge(maxBytes: number): Error {
  return jsonError(413, `The body is too large: at most ${maxBytes} bytes.`);
}

async function readAtMost(
  request: Request,
  maxBytes: number,
): Promise<Uint8Array> {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await readBody(reader);
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel("body too large");
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * A body stream that fails is a client that went away mid-body (or the
 * TCP front cutting it off at the body timeout, which logs its own line):
 * an expected 400, not a server fault with a stack trace in the log.
 */
async function readBody(
  reader: ReadableStreamDefaultReader<Uint8Array>,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  try {
    return await reader.read();
  } catch (error) {
    throw jsonError(400, "The body did not arrive completely.", {
      cause: error,
    });
  }
}
