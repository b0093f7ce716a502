// What to do with the outcome of one HTTP attempt (XEP-0124 §14.3, §17):
// deliver the answer, resend the request under the same rid, or end the
// session. Pure apart from the delay function it is given.
import { type BoshResponse, parseBody } from "./bosh_body.ts";
import {
  httpStatusError,
  terminateError,
  unreachableError,
} from "./bosh_errors.ts";
import type { TransportError } from "../core/errors.ts";
import type { Attempt } from "./bosh_request.ts";

export interface RetryOptions {
  /** Retries of one failed HTTP request before the session fails. */
  maxRetries?: number;
  /** Milliseconds to wait before retry number `attempt` (1-based). */
  retryDelay?: (attempt: number) => number;
}

export type Verdict =
  | { readonly action: "deliver"; readonly response: BoshResponse }
  | { readonly action: "retry"; readonly error: TransportError }
  | { readonly action: "fail"; readonly error: TransportError };

export function defaultRetryDelay(attempt: number): number {
  // Exponential backoff 250 ms, 500 ms, 1 s, 2 s: a blip is ridden out, a
  // dead server is reported within a few seconds.
  return Math.min(250 * 2 ** (attempt - 1), 4000);
}

/** Judges one attempt's outcome. */
export function judge(attempt: Attempt, url: string): Verdict {
  if (!attempt.ok) {
    return { action: "retry", error: unreachableError(url, attempt.cause) };
  }
  const { status, text } = attempt;
  if (status >= 500 || status === 0) {
    return { action: "retry", error: httpStatusError(status, url) };
  }
  // §17.1: the legacy HTTP error codes are fatal.
  if (status >= 400) {
    return { action: "fail", error: httpStatusError(status, url) };
  }
  const parsed = parseBody(text);
  if (!("children" in parsed)) {
    // A garbled reply: the server caches its last responses (§14.3), so
    // asking again under the same rid recovers it.
    return {
      action: "retry",
      error: terminateError("bad-response", { cause: parsed }),
    };
  }
  if (parsed.type === "error") {
    // §17.3 recoverable binding condition: resend the request.
    return {
      action: "retry",
      error: terminateError(parsed.condition ?? "undefined-condition"),
    };
  }
  return { action: "deliver", response: parsed };
}

/**
 * Milliseconds before the next attempt of a request that has been tried
 * `attempts` times, or undefined when retries are used up.
 */
export function retryDelay(
  attempts: number,
  options: RetryOptions,
): number | undefined {
  if (attempts > (options.maxRetries ?? 4)) return undefined;
  return (options.retryDelay ?? defaultRetryDelay)(attempts);
}
