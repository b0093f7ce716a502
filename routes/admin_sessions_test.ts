import assert from "node:assert/strict";
import { AdminSessions, randomToken } from "./admin_sessions.ts";

Deno.test("AdminSessions", async (t) => {
  const clock = { now: 0 };
  const sessions = new AdminSessions({
    ttlMs: 1000,
    now: () => clock.now,
    maxSessions: 2,
  });

  await t.step("a token finds its session until it expires", () => {
    const { token, session } = sessions.create("admin");
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(session, { username: "admin", expiresAt: 1000 });
    clock.now = 999;
    assert.equal(sessions.get(token)?.username, "admin");
    clock.now = 1000;
    assert.equal(sessions.get(token), undefined);
  });
  await t.step("delete ends a session", () => {
    const { token } = sessions.create("admin");
    sessions.delete(token);
    assert.equal(sessions.get(token), undefined);
  });
  await t.step("memory is bounded: the oldest session goes first", () => {
    const first = sessions.create("a").token;
    const second = sessions.create("b").token;
    const third = sessions.create("c").token;
    assert.equal(sessions.get(first), undefined);
    assert.equal(sessions.get(second)?.username, "b");
    assert.equal(sessions.get(third)?.username, "c");
  });
  await t.step("tokens do not repeat", () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => randomToken(32)));
    assert.equal(tokens.size, 1000);
  });
});
