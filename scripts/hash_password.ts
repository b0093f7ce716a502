// Prints the line to put in DESKTOP_CHAT_ADMIN_PASSWORD_HASH:
//   deno run scripts/hash_password.ts                    (asks, without echo)
//   printf %s "$PASSWORD" | deno run scripts/hash_password.ts
// Only the hash goes to stdout, so `$(…)` captures it alone.
import {
  DEFAULT_ITERATIONS,
  hashPassword,
  MAX_PASSWORD_LENGTH,
  PasswordHashError,
} from "../routes/password_hash.ts";

const ETX = 0x03; // Ctrl-C
const EOT = 0x04; // Ctrl-D
const BACKSPACE = [0x08, 0x7f];
const ENTER = [0x0a, 0x0d];

class UsageError extends Error {}

export async function readPassword(): Promise<string> {
  if (!Deno.stdin.isTerminal()) {
    const text = await new Response(Deno.stdin.readable).text();
    return checked(text.replace(/\r?\n$/, ""));
  }
  const first = await promptHidden("Administrator password: ");
  const second = await promptHidden("Repeat the password: ");
  if (first !== second) throw new UsageError("the two passwords differ");
  return checked(first);
}

function checked(password: string): string {
  if (password === "") throw new UsageError("the password is empty");
  if (/[\r\n]/.test(password)) {
    throw new UsageError("the password must be a single line");
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new UsageError(
      `the password is longer than ${MAX_PASSWORD_LENGTH} characters`,
    );
  }
  if (password.length < 12) {
    console.error("warning: a password under 12 characters is easy to guess");
  }
  return password;
}

async function promptHidden(prompt: string): Promise<string> {
  const encoder = new TextEncoder();
  // Raw mode before the prompt, so nothing typed after it is ever echoed.
  Deno.stdin.setRaw(true);
  try {
    await Deno.stderr.write(encoder.encode(prompt));
    const decoder = new TextDecoder();
    const buffer = new Uint8Array(64);
    let password = "";
    for (;;) {
      const count = await Deno.stdin.read(buffer);
      if (count === null) throw new UsageError("no password given");
      for (const byte of buffer.subarray(0, count)) {
        if (byte === ETX) throw new UsageError("cancelled");
        if (byte === EOT && password === "") {
          throw new UsageError("no password given");
        }
        if (ENTER.includes(byte)) {
          await Deno.stderr.write(encoder.encode("\n"));
          return password + decoder.decode();
        }
        if (BACKSPACE.includes(byte)) {
          // Drops one code point, not half of a surrogate pair.
          password = Array.from(password).slice(0, -1).join("");
        } else {
          password += decoder.decode(Uint8Array.of(byte), { stream: true });
        }
      }
    }
  } finally {
    Deno.stdin.setRaw(false);
  }
}

function iterationsFrom(args: readonly string[]): number {
  let iterations = DEFAULT_ITERATIONS;
  for (const arg of args) {
    const match = /^--iterations=(\d+)$/.exec(arg);
    if (!match) {
      throw new UsageError(
        `unknown argument ${JSON.stringify(arg)}; expected --iterations=N`,
      );
    }
    iterations = Number(match[1]);
  }
  return iterations;
}

if (import.meta.main) {
  try {
    const iterations = iterationsFrom(Deno.args);
    const line = await hashPassword(await readPassword(), { iterations });
    console.log(line);
    console.error(
      `Set it in single quotes, as the line contains $:\n  DESKTOP_CHAT_ADMIN_PASSWORD_HASH='${line}'`,
    );
  } catch (error) {
    // Anything but a refused input is a bug, and keeps its stack trace.
    if (
      !(error instanceof UsageError) && !(error instanceof PasswordHashError)
    ) throw error;
    console.error(`hash_password: ${error.message}`);
    Deno.exit(1);
  }
}
