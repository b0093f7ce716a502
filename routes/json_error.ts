import type { ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Every error answer of the admin and settings APIs has this body. */
export interface ApiError {
  error: string;
  errors?: Record<string, string>;
}

export interface JsonErrorOptions {
  readonly errors?: Record<string, string>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

/**
 * An HTTPException that carries its own JSON response, so the answer is
 * `{ error }` JSON whichever app's `onError` (or Hono's default) handles it.
 */
export function jsonError(
  status: ContentfulStatusCode,
  error: string,
  options: JsonErrorOptions = {},
): HTTPException {
  const body: ApiError = options.errors
    ? { error, errors: options.errors }
    : { error };
  const res = new Response(JSON.stringify(body), {
    status,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      // Error answers depend on credentials and preconditions: never cache them.
      "Cache-Control": "no-store",
      ...options.headers,
    },
  });
  return new HTTPException(status, {
    res,
    message: error,
    cause: options.cause,
  });
}

/**
 * `onError` for the JSON APIs: HTTP failures keep their status with a JSON
 * body; anything else is logged and answered as a bare 500, never with the
 * error's text or stack.
 */
export const jsonErrors: ErrorHandler = function jsonErrors(error, c) {
  if (error instanceof HTTPException) {
    if (error.res) return error.getResponse();
    return jsonError(error.status, error.message || "Request failed.")
      .getResponse();
  }
  console.error(`${c.req.method} ${c.req.path} failed:`, error);
  return jsonError(500, "Internal error: see the service log.").getResponse();
};
