import assert from "node:assert/strict";
import { failureText } from "./failure_text.ts";

Deno.test("failure text", async (t) => {
  await t.step("a message that never left says so", () => {
    assert.equal(
      failureText({ condition: "connection-lost" }, "Bob"),
      "Not sent: the connection to the chat server was lost.",
    );
    assert.equal(
      failureText(undefined, "Bob"),
      "Not sent: the connection to the chat server was lost.",
    );
  });

  await t.step("a bounce names the contact and the cause", () => {
    assert.equal(
      failureText({ condition: "service-unavailable" }, "Bob Smith"),
      "Not delivered: Bob Smith cannot receive messages now.",
    );
    assert.equal(
      failureText({ condition: "item-not-found" }, "zed@example.com"),
      "Not delivered: there is no account zed@example.com on the server.",
    );
  });

  await t.step("conditions that mean the same are worded the same", () => {
    assert.equal(
      failureText({ condition: "not-allowed" }, "Bob"),
      failureText({ condition: "forbidden" }, "Bob"),
    );
    assert.equal(
      failureText({ condition: "redirect" }, "Bob"),
      "Not delivered: Bob has moved to another address.",
    );
  });

  await t.step("an unknown condition gets the general wording", () => {
    assert.equal(
      failureText({ condition: "undefined-condition" }, "Bob"),
      "Not delivered: the chat server refused the message.",
    );
  });

  await t.step("the server's text follows, quoted", () => {
    assert.equal(
      failureText({ condition: "policy-violation", text: "Too many" }, "Bob"),
      "Not delivered: the server's policy refused it. The server said: “Too many”",
    );
  });

  await t.step("a condition named like an Object property is no reason", () => {
    assert.equal(
      failureText({ condition: "constructor" }, "Bob"),
      "Not delivered: the chat server refused the message.",
    );
  });
});
