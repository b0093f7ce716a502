import assert from "node:assert/strict";
import { getAvailableMechanisms } from "@xmpp/sasl";
import { xml } from "@xmpp/xml";
import SASLFactory from "saslmechanisms";
import { AuthError } from "../core/errors.ts";
import { isSecureService } from "../transport/secure_service.ts";
import type { MechanismName } from "./mechanism.ts";
import {
  chooseMechanism,
  registerMechanisms,
  SUPPORTED_MECHANISMS,
} from "./mechanism_choice.ts";
import { PlainMechanism } from "./plain_mechanism.ts";
import {
  ScramSha1Mechanism,
  ScramSha256Mechanism,
  ScramSha512Mechanism,
} from "./scram_mechanism.ts";

const NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl";

Deno.test("chooseMechanism takes the strongest offered", async (t) => {
  const all = ["SCRAM-SHA-1", "PLAIN", "SCRAM-SHA-512", "SCRAM-SHA-256"];
  const cases: Array<[string[], boolean, MechanismName | string]> = [
    // ejabberd 23.01's offer.
    [
      ["SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN", "X-OAUTH2"],
      false,
      "SCRAM-SHA-512",
    ],
    [all, true, "SCRAM-SHA-512"],
    [["PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"], false, "SCRAM-SHA-256"],
    [["PLAIN", "SCRAM-SHA-1"], true, "SCRAM-SHA-1"],
    [["PLAIN", "SCRAM-SHA-1"], false, "SCRAM-SHA-1"],
    [["SCRAM-SHA-512"], false, "SCRAM-SHA-512"],
    [["PLAIN"], true, "PLAIN"],
    [["PLAIN"], false, "insecure-plain"],
    [["PLAIN", "ANONYMOUS"], false, "insecure-plain"],
    [["DIGEST-MD5", "ANONYMOUS"], true, "no-mechanism"],
    [["SCRAM-SHA-512-PLUS", "SCRAM-SHA-1-PLUS"], true, "no-mechanism"],
    [[], true, "no-mechanism"],
  ];
  for (const [offered, secure, expected] of cases) {
    await t.step(`[${offered}] secure=${secure} → ${expected}`, () => {
      const chosen = chooseMechanism(offered, secure);
      assert.equal(
        chosen instanceof AuthError ? chosen.condition : chosen,
        expected,
      );
    });
  }

  await t.step("tells the admin to use https", () => {
    const error = chooseMechanism(["PLAIN"], false);
    assert.ok(error instanceof AuthError);
    assert.match(error.message, /https:\/\//);
  });
});

Deno.test("isSecureService decides where PLAIN may go", async (t) => {
  const cases: Array<[string, boolean]> = [
    ["https://chat.example.com/http-bind", true],
    ["wss://chat.example.com/xmpp-websocket", true],
    ["http://chat.example.com:5280/http-bind", false],
    ["ws://chat.example.com:5280/xmpp-websocket", false],
    ["http://localhost:5280/http-bind", true],
    ["http://LOCALHOST:5280/http-bind", true],
    ["http://127.0.0.1:5280/http-bind", true],
    ["ws://127.8.9.10:5280/xmpp-websocket", true],
    ["http://[::1]:5280/http-bind", true],
    ["http://127.0.0.1.example.com/http-bind", false],
    ["http://localhost.example.com/http-bind", false],
    ["http://128.0.0.1/http-bind", false],
    ["xmpp:chat.example.com", false],
    ["not a url", false],
  ];
  for (const [url, secure] of cases) {
    await t.step(`${url} → ${secure}`, () => {
      assert.equal(isSecureService(url), secure);
      const chosen = chooseMechanism(["PLAIN"], isSecureService(url));
      assert.equal(
        chosen instanceof AuthError ? chosen.condition : chosen,
        secure ? "PLAIN" : "insecure-plain",
      );
    });
  }
});

Deno.test("registerMechanisms: what @xmpp/sasl sees of a fresh Factory", () => {
  const factory = new SASLFactory();
  registerMechanisms(factory);
  // What @xmpp/sasl hands onAuthenticate: ours, strongest first, that the
  // server offers (sasl/index.js:11-17).
  const offer = xml(
    "mechanisms",
    { xmlns: NS_SASL },
    ["PLAIN", "SCRAM-SHA-1", "X-OAUTH2", "SCRAM-SHA-512", "SCRAM-SHA-256"]
      .map((name) => xml("mechanism", {}, name)),
  );
  assert.deepEqual(getAvailableMechanisms(offer, NS_SASL, factory), [
    "SCRAM-SHA-512",
    "SCRAM-SHA-256",
    "SCRAM-SHA-1",
    "PLAIN",
  ]);
  assert.deepEqual(SUPPORTED_MECHANISMS, [
    "SCRAM-SHA-512",
    "SCRAM-SHA-256",
    "SCRAM-SHA-1",
    "PLAIN",
  ]);
  // What `authenticate` creates for the name onAuthenticate chose.
  const classes = [
    ScramSha512Mechanism,
    ScramSha256Mechanism,
    ScramSha1Mechanism,
    PlainMechanism,
  ];
  for (const mechanism of classes) {
    const created = factory.create([mechanism.prototype.name]);
    assert.ok(created instanceof mechanism, mechanism.prototype.name);
    assert.equal(created.clientFirst, true);
  }
  assert.ok(
    factory.create(["PLAIN", "SCRAM-SHA-512"]) instanceof ScramSha512Mechanism,
  );
  assert.equal(factory.create(["X-OAUTH2"]), null);
});
