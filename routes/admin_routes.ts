// The administrator's HTTP surface: the middleware that guards admin writes
// (session cookie or HTTP Basic, RFC 7617) and the login, logout and session
// routes. Credentials, sessions and throttling live in admin_auth.ts.
import { Hono, type MiddlewareHandler } from "hono";
import {
  ADMIN_LOGIN_PATH,
  ADMIN_LOGOUT_PATH,
  ADMIN_SESSION_PATH,
  type AdminAuth,
  type AdminEnv,
  type AdminIdentity,
} from "./admin_auth.ts";
import { readJsonBody } from "./json_body.ts";
import { jsonError, jsonErrors } from "./json_error.ts";
import { MAX_PASSWORD_LENGTH } from "./password_hash.ts";
import {
  originSet,
  refuseCrossSiteWrite,
  sameOriginWrites,
} from "./same_origin.ts";

const LOGIN_BODY_LIMIT = 4 * 1024;
const REALM = "Desktop Chat administration";

/**
 * Lets a request through only for a signed-in administrator (session cookie
 * or Basic credentials). Unsafe methods from another site are refused here
 * too, since the browser attaches the cookie to them: no admin write can
 * forget the CSRF check.
 */
export function requireAdmin(auth: AdminAuth): MiddlewareHandler<AdminEnv> {
  const allowed = originSet(auth.allowedOrigins);
  return async function requireAdmin(c, next) {
    refuseCrossSiteWrite(c, allowed, auth.hosts);
    auth.assertConfigured();
    const session = auth.sessionOf(c);
    if (session !== undefined) {
      c.set("admin", { username: session.username });
      return await next();
    }
    const authorization = c.req.header("Authorization");
    if (authorization !== undefined && /^basic /i.test(authorization)) {
      const { username, password } = parseBasic(authorization);
      c.set(
        "admin",
        await auth.authenticate(c, username, password, BASIC_CHALLENGE),
      );
      return await next();
    }
    throw jsonError(401, "Sign in as the administrator first.", {
      headers: { "WWW-Authenticate": COOKIE_CHALLENGE },
    });
  };
}

// RFC 9110 §11.6.1: a 401 carries a challenge. Basic is offered only to a
// client that sent Basic, since the admin page's fetch() would otherwise pop
// the browser's password dialog; the page is told to use the login form,
// in the style of draft-broyer-http-cookie-auth.
const BASIC_CHALLENGE = `Basic realm="${REALM}", charset="UTF-8"`;
const COOKIE_CHALLENGE =
  `Cookie realm="${REALM}", form-action="${ADMIN_LOGIN_PATH}"`;

function parseBasic(
  authorization: string,
): { username: string; password: string } {
  const encoded = authorization.slice("basic ".length).trim();
  let decoded: string;
  try {
    decoded = new TextDecoder("utf-8", { fatal: true }).decode(
      Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0)),
    );
  } catch (error) {
    throw jsonError(401, "Malformed Basic credentials.", {
      headers: { "WWW-Authenticate": BASIC_CHALLENGE },
      cause: error,
    });
  }
  // RFC 7617 §2: user-id and password are split at the first colon.
  const colon = decoded.indexOf(":");
  if (colon === -1) {
    throw jsonError(401, "Malformed Basic credentials.", {
      headers: { "WWW-Authenticate": BASIC_CHALLENGE },
    });
  }
  return {
    username: decoded.slice(0, colon),
    password: decoded.slice(colon + 1),
  };
}

/** `POST /api/admin/login`, `POST /api/admin/logout`, `GET /api/admin/session`. */
export function adminRoutes(auth: AdminAuth): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.onError(jsonErrors);
  app.use(
    "/api/admin/*",
    sameOriginWrites({
      allowedOrigins: auth.allowedOrigins,
      hosts: auth.hosts,
    }),
    noStore(),
  );
  app.post(ADMIN_LOGIN_PATH, async (c) => {
    auth.assertConfigured();
    const { username, password } = loginBody(
      await readJsonBody(c.req.raw, LOGIN_BODY_LIMIT),
    );
    auth.startSession(
      c,
      await auth.authenticate(c, username, password, COOKIE_CHALLENGE),
    );
    return c.body(null, 204);
  });
  app.post(ADMIN_LOGOUT_PATH, (c) => {
    auth.assertConfigured();
    auth.endSession(c);
    return c.body(null, 204);
  });
  app.get(
    ADMIN_SESSION_PATH,
    requireAdmin(auth),
    (c) => c.json<AdminIdentity>({ username: c.get("admin").username }),
  );
  return app;
}

function loginBody(body: unknown): { username: string; password: string } {
  if (
    typeof body === "object" && body !== null && "username" in body &&
    "password" in body
  ) {
    const { username, password } = body;
    if (
      typeof username === "string" && typeof password === "string" &&
      username.length <= MAX_PASSWORD_LENGTH &&
      password.length <= MAX_PASSWORD_LENGTH
    ) {
      return { username, password };
    }
  }
  throw jsonError(400, 'Send {"username": "…", "password": "…"} as text.');
}

function noStore(): MiddlewareHandler {
  return async function noStore(c, next) {
    await next();
    c.header("Cache-Control", "no-store");
  };
}

// `Deno.serve(app.fetch)` passes its ServeHandlerInfo as Hono's `c.env`.
