import assert from "node:assert/strict";
import {
  AuthError,
  ParseError,
  StreamError,
  TimeoutError,
  TransportError,
} from "../core/errors.ts";
import { splitUsername } from "./sign_in.ts";
import { createSessionStore } from "./session_store.ts";
import { classifyFailure } from "./sign_in_failure.ts";

Deno.test("splitUsername", async (t) => {
  await t.step("a bare username takes the default domain", () => {
    assert.deepEqual(splitUsername("  Alice ", "example.com"), {
      local: "alice",
      domain: "example.com",
    });
  });
  await t.step("a full address keeps its own domain", () => {
    assert.deepEqual(splitUsername("bob@Other.example", "example.com"), {
      local: "bob",
      domain: "other.example",
    });
  });
  await t.step(
    "empty and malformed input is refused with a readable message",
    () => {
      for (const input of ["", "   ", "a b", "x@", "<script>", "a/b@c"]) {
        const result = splitUsername(input, "example.com");
        assert.ok(result instanceof ParseError, input);
        assert.match(result.message, /username/);
      }
    },
  );
});

Deno.test("classifyFailure", async (t) => {
  const unreachable = (service: string) => ({
    service,
    source: "primary" as const,
    error: new TransportError("unreachable", "cannot be reached"),
  });
  await t.step("a refused password is a credentials failure", () => {
    const failure = classifyFailure(new AuthError("not-authorized", "no"), []);
    assert.equal(failure.kind, "credentials");
  });
  await t.step(
    "an https node that could not be reached offers the certificate",
    () => {
      const failure = classifyFailure(
        new TransportError("unreachable", "down"),
        [unreachable("https://chat.example.com:5281/http-bind")],
      );
      assert.equal(failure.kind, "certificate");
      assert.equal(failure.service, "https://chat.example.com:5281/http-bind");
    },
  );
  await t.step("plain http or a timeout is unreachable", () => {
    assert.equal(
      classifyFailure(new TransportError("unreachable", "down"), [
        unreachable("http://chat.example.com:5280/http-bind"),
      ]).kind,
      "unreachable",
    );
    assert.equal(
      classifyFailure(new TimeoutError("slow"), []).kind,
      "unreachable",
    );
  });
  await t.step("anything else is the server's answer", () => {
    assert.equal(
      classifyFailure(new StreamError("host-unknown", "no"), []).kind,
      "server",
    );
    assert.equal(
      classifyFailure(new AuthError("insecure-plain", "no"), []).kind,
      "server",
    );
    assert.equal(classifyFailure("odd", []).kind, "server");
  });
});

Deno.test("the session store keeps the username, never the password", async () => {
  const store = createSessionStore({
    settingsUrl: "http://desktop.example/api/chat-server-settings",
    storage: {
      getItem: () => null,
      setItem: () => {},
      removeItem: () => {},
    },
    fetch: () => Promise.reject(new TypeError("network down")),
  });
  try {
    assert.equal(store.username.value, "");
    await store.signIn("alice", "secret");
    assert.equal(store.failure.value?.kind, "settings");
    assert.equal(store.username.value, "alice");
    assert.ok(!JSON.stringify(store).includes("secret"));
  } finally {
    store[Symbol.dispose]();
  }
});
