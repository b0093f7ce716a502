// The normaliser against the errors xmpp.js and the platform really throw.
import assert from "node:assert/strict";
import { TimeoutError as XmppJsTimeoutError } from "@xmpp/events";
import StreamErrorJs from "@xmpp/connection/lib/StreamError.js";
import SASLErrorJs from "@xmpp/sasl/lib/SASLError.js";
import {
  AuthError,
  StreamError,
  TimeoutError,
  TransportError,
} from "../core/errors.ts";
import { toXmppError } from "./xmpp_error.ts";

const service = "https://chat.example.com/http-bind";

Deno.test("toXmppError", async (t) => {
  await t.step("our errors pass through unchanged", () => {
    const ours = new TransportError("unreachable", "down");
    assert.equal(toXmppError(ours), ours);
  });

  await t.step(
    "xmpp.js's empty TimeoutError gets an actionable message",
    () => {
      const err = toXmppError(new XmppJsTimeoutError(), {
        service,
        timeout: 10_000,
      });
      assert.ok(err instanceof TimeoutError);
      assert.equal(
        err.message,
        `The chat server at ${service} did not answer within 10 s. Check that it is running and reachable, then try again.`,
      );
    },
  );

  await t.step(
    "writing to a closing or gone stream is connection-closed",
    () => {
      for (
        const raw of [
          new Error("Connection is closing"),
          new TypeError("Cannot read properties of null (reading 'write')"),
        ]
      ) {
        const err = toXmppError(raw);
        assert.ok(err instanceof TransportError);
        assert.equal(err.condition, "connection-closed");
        assert.equal(err.cause, raw);
      }
    },
  );

  await t.step("a WebSocket drop ('Unexpected EOF') is connection-lost", () => {
    // What @xmpp/websocket's Socket emits for the DOM error event.
    const raw = Object.assign(new Error("Unexpected EOF"), {
      event: new Event("error"),
      url: "ws://chat.example.com/ws",
    });
    const err = toXmppError(raw);
    assert.ok(err instanceof TransportError);
    assert.equal(err.condition, "connection-lost");
    assert.match(err.message, /ws:\/\/chat\.example\.com\/ws was lost/);
  });

  await t.step("xmpp.js's StreamError on a graceful shutdown is ours", () => {
    const raw = new StreamErrorJs("system-shutdown", "Going down");
    const err = toXmppError(raw);
    assert.ok(err instanceof StreamError);
    assert.equal(err.condition, "system-shutdown");
    assert.equal(err.text, "Going down");
    assert.match(err.message, /shutting down/);
  });

  await t.step("xmpp.js's SASLError is an AuthError", () => {
    const err = toXmppError(new SASLErrorJs("not-authorized"));
    assert.ok(err instanceof AuthError);
    assert.equal(err.condition, "not-authorized");
  });

  await t.step("anything else is a TransportError, never untyped", () => {
    assert.ok(toXmppError("boom") instanceof TransportError);
    const err = toXmppError(new RangeError("odd"));
    assert.ok(err instanceof TransportError);
    assert.equal(err.condition, "undefined-condition");
  });
});
