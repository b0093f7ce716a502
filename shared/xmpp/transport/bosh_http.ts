// Reading a connection manager's HTTP answer as soon as it is whole. In
// Chromium, `Response.text()` settles only after the network service reports
// the load complete in a message of its own, 0.5–1 ms after the last byte is
// already in the page; a BOSH answer is one small <body/> with a
// Content-Length (XEP-0124 §7.2 responses are complete documents), so the
// bytes are counted instead and the answer is handed on when all are in.

/**
 * The body of `res` as text, returned once `Content-Length` bytes have been
 * read (or at the end of the stream when that header is absent or does not
 * match, e.g. under a compressing proxy). The rest of the stream is drained in
 * the background so the connection goes back to the pool.
 */
export async function readBoshBody(res: Response): Promise<string> {
  if (!res.body) return "";
  const length = Number(res.headers.get("content-length") ?? Number.NaN);
  const reader = res.body.getReader();
  // `stream: true` keeps a character split across chunks for the next one.
  const decoder = new TextDecoder();
  let text = "";
  let received = 0;
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    received += value.byteLength;
    if (received === length) {
      drain(reader);
      break;
    }
  }
  return text + decoder.decode();
}

function drain(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  reader.read().then(
    ({ done }) => {
      if (!done) drain(reader);
    },
    // A failure after every announced byte arrived (the session was aborted,
    // the connection dropped) leaves nothing to recover: the answer is whole.
    () => reader.releaseLock(),
  );
}
