// Socket reads and writes for the TCP front, where a peer going away (or
// the front closing the socket under a pending read when a timeout fires)
// is an expected end of the conversation, not a failure.

const READ_BYTES = 16 * 1024;

/** Errors that only mean the other side (or our own timeout) closed the socket. */
export function isDisconnect(error: unknown): boolean {
  return error instanceof Deno.errors.ConnectionReset ||
    error instanceof Deno.errors.ConnectionAborted ||
    error instanceof Deno.errors.BrokenPipe ||
    error instanceof Deno.errors.NotConnected ||
    error instanceof Deno.errors.UnexpectedEof ||
    error instanceof Deno.errors.BadResource ||
    error instanceof Deno.errors.Interrupted;
}

/** The next bytes, or undefined once the connection is closed either way. */
export async function readChunk(
  conn: Deno.Conn,
): Promise<Uint8Array | undefined> {
  const buffer = new Uint8Array(READ_BYTES);
  try {
    const n = await conn.read(buffer);
    return n === null ? undefined : buffer.subarray(0, n);
  } catch (error) {
    if (isDisconnect(error)) return undefined;
    throw error;
  }
}

/** Writes every byte; false when the connection closed first. */
export async function writeAll(
  conn: Deno.Conn,
  bytes: Uint8Array,
): Promise<boolean> {
  try {
    for (let offset = 0; offset < bytes.length;) {
      offset += await conn.write(bytes.subarray(offset));
    }
    return true;
  } catch (error) {
    if (isDisconnect(error)) return false;
    throw error;
  }
}

/** Closes a socket that may already be closed. */
export function closeConn(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch (error) {
    if (!(error instanceof Deno.errors.BadResource)) throw error;
  }
}

/**
 * Writes a last answer, then half-closes and reads (and drops) what the
 * client still sends for up to `lingerMs`, so the close does not turn into
 * a reset that discards the answer before the client has read it
 * (RFC 9112 §9.6). Closes the socket in every case.
 */
export async function answerAndClose(
  conn: Deno.Conn,
  answer: Uint8Array,
  lingerMs: number,
): Promise<void> {
  const timer = setTimeout(() => closeConn(conn), lingerMs);
  try {
    if (!(await writeAll(conn, answer))) return;
    try {
      await conn.closeWrite();
    } catch (error) {
      if (!isDisconnect(error)) throw error;
      return;
    }
    while (await readChunk(conn) !== undefined) {
      // Dropped: the request is already answered.
    }
  } finally {
    clearTimeout(timer);
    closeConn(conn);
  }
}

/** `a` then `b` in one array (`b` itself when `a` is empty). */
export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
