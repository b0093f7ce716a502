import assert from "node:assert/strict";
import { client, xml } from "@xmpp/client";
import { AuthError } from "../core/errors.ts";
import {
  type Authenticator,
  authErrorFromCondition,
  chooseMechanism,
  createAuthenticator,
  isSecureService,
  type MechanismName,
  PlainMechanism,
  registerMechanisms,
  ScramSha1Mechanism,
  ScramSha256Mechanism,
} from "./sasl_mechanisms.ts";
import { bytesToBase64, type ScramHash } from "./scram.ts";

const NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
const NS_STREAM = "http://etherx.jabber.org/streams";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function utf8ToBase64(text: string): string {
  return bytesToBase64(encoder.encode(text));
}

function base64ToUtf8(text: string): string {
  return decoder.decode(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)));
}

function assertAuthError(value: unknown, condition: string): AuthError {
  assert.ok(value instanceof AuthError, `expected AuthError, got ${value}`);
  assert.equal(value.condition, condition);
  assert.equal(value.kind, "auth");
  return value;
}

Deno.test("chooseMechanism", async (t) => {
  const cases: Array<[string[], boolean, MechanismName | string]> = [
    [["PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"], true, "SCRAM-SHA-256"],
    [["PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"], false, "SCRAM-SHA-256"],
    [["PLAIN", "SCRAM-SHA-1"], true, "SCRAM-SHA-1"],
    [["PLAIN", "SCRAM-SHA-1"], false, "SCRAM-SHA-1"],
    [["SCRAM-SHA-256"], false, "SCRAM-SHA-256"],
    [["PLAIN"], true, "PLAIN"],
    [["PLAIN"], false, "insecure-plain"],
    [["PLAIN", "ANONYMOUS"], false, "insecure-plain"],
    [["DIGEST-MD5", "ANONYMOUS"], true, "no-mechanism"],
    [["SCRAM-SHA-1-PLUS"], true, "no-mechanism"],
    [[], true, "no-mechanism"],
  ];
  for (const [offered, secure, expected] of cases) {
    await t.step(`[${offered}] secure=${secure} → ${expected}`, () => {
      const chosen = chooseMechanism(offered, secure);
      if (chosen instanceof AuthError) {
        assert.equal(chosen.condition, expected);
      } else {
        assert.equal(chosen, expected);
      }
    });
  }

  await t.step("tells the admin to use https", () => {
    const error = assertAuthError(
      chooseMechanism(["PLAIN"], false),
      "insecure-plain",
    );
    assert.match(error.message, /https:\/\//);
  });
});

Deno.test("isSecureService", async (t) => {
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
    });
  }
});

Deno.test("PLAIN depends on the service address", async (t) => {
  await t.step("refused over http to a remote host", () => {
    const url = "http://chat.example.com:5280/http-bind";
    assertAuthError(
      chooseMechanism(["PLAIN"], isSecureService(url)),
      "insecure-plain",
    );
  });
  await t.step("allowed over https and on 127.0.0.1", () => {
    for (
      const url of [
        "https://chat.example.com/http-bind",
        "http://127.0.0.1:5280/http-bind",
      ]
    ) {
      assert.equal(chooseMechanism(["PLAIN"], isSecureService(url)), "PLAIN");
    }
  });
});

Deno.test("registerMechanisms replaces xmpp.js's mechanisms in priority order", () => {
  const xmpp = client({ service: "https://chat.example.com/http-bind" });
  registerMechanisms(xmpp.saslFactory);
  assert.deepEqual(
    xmpp.saslFactory._mechs.map((entry: { name: string }) => entry.name),
    ["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"],
  );
  assert.ok(
    xmpp.saslFactory.create(["PLAIN", "SCRAM-SHA-1"]) instanceof
      ScramSha1Mechanism,
  );
  assert.ok(
    xmpp.saslFactory.create(["SCRAM-SHA-1", "SCRAM-SHA-256"]) instanceof
      ScramSha256Mechanism,
  );
  assert.ok(xmpp.saslFactory.create(["PLAIN"]) instanceof PlainMechanism);
  assert.equal(ScramSha256Mechanism.prototype.clientFirst, true);
});

// Server side of RFC 5802 §5, written apart from scram.ts so that the two
// check each other.
class TestScramServer {
  readonly salt = crypto.getRandomValues(new Uint8Array(16));
  readonly iterations = 4096;
  username = "";
  #bare = "";
  #serverFirst = "";

  constructor(readonly hash: ScramHash, readonly password: string) {}

  first(clientFirst: string): string {
    assert.ok(clientFirst.startsWith("n,,"));
    this.#bare = clientFirst.slice(3);
    const [n, r] = this.#bare.split(",");
    this.username = n.slice(2).replaceAll("=2C", ",").replaceAll("=3D", "=");
    this.#serverFirst =
      `${r}${bytesToBase64(crypto.getRandomValues(new Uint8Array(12)))},` +
      `s=${bytesToBase64(this.salt)},i=${this.iterations}`;
    return this.#serverFirst;
  }

  async final(clientFinal: string): Promise<string | null> {
    const cut = clientFinal.lastIndexOf(",p=");
    const withoutProof = clientFinal.slice(0, cut);
    const proof = Uint8Array.from(
      atob(clientFinal.slice(cut + 3)),
      (c) => c.charCodeAt(0),
    );
    const authMessage = encoder.encode(
      `${this.#bare},${this.#serverFirst},${withoutProof}`,
    );
    const passwordKey = await crypto.subtle.importKey(
      "raw",
      encoder.encode(this.password),
      "PBKDF2",
      false,
      ["deriveBits"],
    );
    const salted = new Uint8Array(
      await crypto.subtle.deriveBits(
        {
          name: "PBKDF2",
          hash: this.hash,
          salt: this.salt,
          iterations: this.iterations,
        },
        passwordKey,
        this.hash === "SHA-1" ? 160 : 256,
      ),
    );
    const hmac = async (
      key: Uint8Array<ArrayBuffer>,
      data: Uint8Array<ArrayBuffer>,
    ) =>
      new Uint8Array(
        await crypto.subtle.sign(
          "HMAC",
          await crypto.subtle.importKey(
            "raw",
            key,
            { name: "HMAC", hash: this.hash },
            false,
            ["sign"],
          ),
          data,
        ),
      );
    const storedKey = new Uint8Array(
      await crypto.subtle.digest(
        this.hash,
        await hmac(salted, encoder.encode("Client Key")),
      ),
    );
    const clientSignature = await hmac(storedKey, authMessage);
    const clientKey = proof.map((byte, i) => byte ^ clientSignature[i]);
    const check = new Uint8Array(
      await crypto.subtle.digest(this.hash, clientKey),
    );
    if (bytesToBase64(check) !== bytesToBase64(storedKey)) return null;
    const serverKey = await hmac(salted, encoder.encode("Server Key"));
    return `v=${bytesToBase64(await hmac(serverKey, authMessage))}`;
  }
}

type Behaviour =
  | "final-in-success"
  | "final-in-challenge"
  | "wrong-signature"
  | "skip-proof"
  | "no-signature";

interface Scenario {
  readonly offered: string[];
  readonly secure: boolean;
  readonly username?: string;
  readonly password?: string;
  readonly serverPassword?: string;
  readonly behaviour?: Behaviour;
}

interface Outcome {
  readonly error: unknown;
  readonly restarted: boolean;
  readonly sent: string[];
  readonly server: TestScramServer | null;
  readonly plain: string | null;
  readonly authenticator: Authenticator;
}

// Runs the real @xmpp/sasl feature of @xmpp/client against an element-level
// fake server: stream features go in, <auth/>/<response/> come out.
async function signIn(scenario: Scenario): Promise<Outcome> {
  const password = scenario.password ?? "pencil";
  const authenticator = createAuthenticator({
    username: scenario.username ?? "user",
    password,
  });
  const xmpp = client({
    service: "https://chat.example.com/http-bind",
    credentials: authenticator.onAuthenticate,
  });
  registerMechanisms(xmpp.saslFactory);
  xmpp.isSecure = () => scenario.secure;

  const behaviour = scenario.behaviour ?? "final-in-success";
  const serverPassword = scenario.serverPassword ?? password;
  const sent: string[] = [];
  let server: TestScramServer | null = null;
  let plain: string | null = null;
  let pendingFinal: string | null = null;

  const reply = (name: string, text = "", child?: string) =>
    xmpp.emit(
      "nonza",
      xml(name, { xmlns: NS_SASL }, child ? xml(child) : text),
    );

  async function respond(
    element: { name: string; attrs: Record<string, string>; text(): string },
  ) {
    const data = base64ToUtf8(element.text());
    if (element.name === "auth" && element.attrs.mechanism === "PLAIN") {
      plain = data;
      return reply("success");
    }
    if (element.name === "auth") {
      const hash = element.attrs.mechanism === "SCRAM-SHA-1"
        ? "SHA-1"
        : "SHA-256";
      server = new TestScramServer(hash, serverPassword);
      const serverFirst = server.first(data);
      return behaviour === "skip-proof"
        ? reply("success")
        : reply("challenge", utf8ToBase64(serverFirst));
    }
    if (pendingFinal !== null) {
      assert.equal(element.text(), "");
      return reply("success");
    }
    assert.ok(server);
    const serverFinal = await server.final(data);
    if (serverFinal === null) return reply("failure", "", "not-authorized");
    if (behaviour === "final-in-challenge") {
      pendingFinal = serverFinal;
      return reply("challenge", utf8ToBase64(serverFinal));
    }
    if (behaviour === "no-signature") return reply("success");
    const signature = behaviour === "wrong-signature"
      ? `v=${utf8ToBase64("x".repeat(20))}`
      : serverFinal;
    return reply("success", utf8ToBase64(signature));
  }

  xmpp.send = (
    element: { name: string; attrs: Record<string, string>; text(): string },
  ) => {
    sent.push(element.name);
    setTimeout(() => void respond(element));
    return Promise.resolve();
  };

  const result = new Promise<{ error: unknown; restarted: boolean }>(
    (resolve) => {
      xmpp.restart = () => {
        resolve({ error: null, restarted: true });
        return Promise.resolve();
      };
      xmpp.on(
        "error",
        (error: unknown) => resolve({ error, restarted: false }),
      );
    },
  );

  xmpp.emit(
    "element",
    xml(
      "stream:features",
      { "xmlns:stream": NS_STREAM },
      xml(
        "mechanisms",
        { xmlns: NS_SASL },
        scenario.offered.map((name) => xml("mechanism", {}, name)),
      ),
    ),
  );
  const { error, restarted } = await result;
  return { error, restarted, sent, server, plain, authenticator };
}

Deno.test("full SCRAM exchange through @xmpp/sasl", async (t) => {
  for (const name of ["SCRAM-SHA-256", "SCRAM-SHA-1"] as const) {
    await t.step(`${name}, server-final in <success/>`, async () => {
      const outcome = await signIn({ offered: [name, "PLAIN"], secure: false });
      assert.equal(outcome.error, null);
      assert.ok(outcome.restarted);
      assert.equal(outcome.authenticator.lastMechanism, name);
      assert.deepEqual(outcome.sent, ["auth", "response"]);
    });

    await t.step(
      `${name}, server-final in a challenge (RFC 6120 §6.3.10)`,
      async () => {
        const outcome = await signIn({
          offered: [name],
          secure: false,
          behaviour: "final-in-challenge",
        });
        assert.equal(outcome.error, null);
        assert.deepEqual(outcome.sent, ["auth", "response", "response"]);
        assert.equal(outcome.authenticator.verifySuccess(""), null);
      },
    );

    await t.step(`${name}, wrong server signature is rejected`, async () => {
      const outcome = await signIn({
        offered: [name],
        secure: true,
        behaviour: "wrong-signature",
      });
      assertAuthError(outcome.error, "server-signature-mismatch");
      assert.equal(outcome.restarted, false);
    });
  }

  await t.step("verifySuccess checks the <success/> text", async () => {
    const outcome = await signIn({ offered: ["SCRAM-SHA-256"], secure: true });
    const { verifySuccess } = outcome.authenticator;
    const wrong = utf8ToBase64(
      "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
    );
    assertAuthError(verifySuccess(wrong), "server-signature-mismatch");
    assertAuthError(
      verifySuccess(utf8ToBase64("e=other-error")),
      "server-error",
    );
    assertAuthError(verifySuccess("!!!"), "incorrect-encoding");
    assert.equal(verifySuccess(""), null);
  });

  await t.step("verifySuccess before any exchange", () => {
    const authenticator = createAuthenticator({ username: "u", password: "p" });
    assertAuthError(authenticator.verifySuccess(""), "incomplete-exchange");
    assert.equal(authenticator.lastMechanism, null);
  });

  await t.step("a server that skips the proof is rejected", async () => {
    const outcome = await signIn({
      offered: ["SCRAM-SHA-256"],
      secure: true,
      behaviour: "skip-proof",
    });
    assertAuthError(outcome.error, "incomplete-exchange");
    assert.equal(outcome.restarted, false);
  });

  await t.step("a server that sends no signature is rejected", async () => {
    const outcome = await signIn({
      offered: ["SCRAM-SHA-1"],
      secure: true,
      behaviour: "no-signature",
    });
    assertAuthError(outcome.error, "server-signature-missing");
  });

  await t.step("wrong password gives not-authorized", async () => {
    const outcome = await signIn({
      offered: ["SCRAM-SHA-256"],
      secure: true,
      serverPassword: "another",
    });
    const error = assertAuthError(outcome.error, "not-authorized");
    assert.equal(error.message, "Wrong username or password.");
  });

  await t.step("non-ASCII and escaped usernames survive the wire", async () => {
    const outcome = await signIn({
      offered: ["SCRAM-SHA-256"],
      secure: false,
      username: "jür,gen=1",
      password: "pässwörd",
    });
    assert.equal(outcome.error, null);
    assert.equal(outcome.server?.username, "jür,gen=1");
  });
});

Deno.test("PLAIN through @xmpp/sasl", async (t) => {
  await t.step("sent on a secure connection", async () => {
    const outcome = await signIn({
      offered: ["PLAIN"],
      secure: true,
      username: "jürgen",
      password: "pässwörd",
    });
    assert.equal(outcome.error, null);
    assert.equal(outcome.plain, "\0jürgen\0pässwörd");
    assert.equal(outcome.authenticator.lastMechanism, "PLAIN");
    assert.equal(outcome.authenticator.verifySuccess(""), null);
  });

  await t.step("never sent on an insecure connection", async () => {
    const outcome = await signIn({ offered: ["PLAIN"], secure: false });
    assertAuthError(outcome.error, "insecure-plain");
    assert.deepEqual(outcome.sent, []);
    assert.equal(outcome.authenticator.lastMechanism, null);
  });
});

Deno.test("mechanisms refuse out-of-order messages", async () => {
  const scram = new ScramSha256Mechanism();
  await assert.rejects(scram.challenge("r=x,s=QQ==,i=4096"), AuthError);
  const plain = new PlainMechanism();
  await assert.rejects(plain.challenge(), AuthError);
  await assert.rejects(
    plain.response({ username: "a\0b", password: "p" }),
    AuthError,
  );
});

Deno.test("authErrorFromCondition", async (t) => {
  const conditions = [
    "aborted",
    "account-disabled",
    "credentials-expired",
    "encryption-required",
    "incorrect-encoding",
    "invalid-authzid",
    "invalid-mechanism",
    "malformed-request",
    "mechanism-too-weak",
    "not-authorized",
    "temporary-auth-failure",
  ];
  for (const condition of conditions) {
    await t.step(condition, () => {
      const error = assertAuthError(
        authErrorFromCondition(condition),
        condition,
      );
      assert.doesNotMatch(error.message, /refused sign-in/);
    });
  }

  await t.step("keeps the server's text", () => {
    const error = authErrorFromCondition("account-disabled", "Call Bob");
    assert.equal(error.text, "Call Bob");
    assert.match(error.message, /disabled.*"Call Bob"/);
  });

  await t.step("names an unknown condition", () => {
    const error = authErrorFromCondition("bad-protocol");
    assert.match(error.message, /bad-protocol/);
  });
});
