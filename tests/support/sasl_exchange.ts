// Runs the real @xmpp/sasl feature, with our mechanisms and authenticator,
// against an element-level fake server: stream features go in, <auth/> and
// <response/> come out, and the fake answers as the scenario says. The
// server's SCRAM side is tests/support/scram_server.ts (node:crypto).
import { Client, xml } from "@xmpp/client-core";
import middleware from "@xmpp/middleware";
import sasl from "@xmpp/sasl";
import streamFeatures from "@xmpp/stream-features";
import SASLFactory from "saslmechanisms";
import {
  type Authenticator,
  createAuthenticator,
  registerMechanisms,
} from "../../shared/xmpp/auth/mod.ts";
import { ScramServer, type ScramServerHash } from "./scram_server.ts";

const NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
const NS_STREAM = "http://etherx.jabber.org/streams";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export type Behaviour =
  | "final-in-success"
  | "final-in-challenge"
  | "wrong-signature"
  | "skip-proof"
  | "no-signature"
  | "challenge-not-base64";

export interface Scenario {
  readonly offered: readonly string[];
  readonly secure: boolean;
  readonly username?: string;
  readonly password?: string;
  readonly serverPassword?: string;
  readonly behaviour?: Behaviour;
}

export interface Outcome {
  readonly error: unknown;
  readonly restarted: boolean;
  /** Names of the elements the client sent, in order. */
  readonly sent: readonly string[];
  /** The mechanism attribute of the client's <auth/>. */
  readonly mechanism: string | null;
  readonly server: ScramServer | null;
  /** The decoded PLAIN message, when PLAIN was used. */
  readonly plain: string | null;
  readonly authenticator: Authenticator;
}

export function utf8ToBase64(text: string): string {
  let binary = "";
  for (const byte of encoder.encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function base64ToUtf8(text: string): string {
  return decoder.decode(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)));
}

interface SentElement {
  name: string;
  attrs: Record<string, string>;
  text(): string;
}

export async function signIn(scenario: Scenario): Promise<Outcome> {
  const password = scenario.password ?? "pencil";
  const authenticator = createAuthenticator({
    username: scenario.username ?? "user",
    password,
  });
  const entity = new Client({
    service: "https://chat.example.com/http-bind",
    domain: "chat.example.com",
  });
  const saslFactory = new SASLFactory();
  registerMechanisms(saslFactory);
  sasl(
    {
      streamFeatures: streamFeatures({ middleware: middleware({ entity }) }),
      saslFactory,
    },
    authenticator.onAuthenticate,
  );
  entity.isSecure = () => scenario.secure;

  const behaviour = scenario.behaviour ?? "final-in-success";
  const serverPassword = scenario.serverPassword ?? password;
  const sent: string[] = [];
  let mechanism: string | null = null;
  let server: ScramServer | null = null;
  let plain: string | null = null;
  let finalSent = false;

  const reply = (name: string, text = "", child?: string) =>
    entity.emit(
      "nonza",
      xml(name, { xmlns: NS_SASL }, child ? xml(child) : text),
    );

  function respond(element: SentElement) {
    const data = base64ToUtf8(element.text());
    if (element.name === "auth") {
      mechanism = element.attrs.mechanism;
      if (mechanism === "PLAIN") {
        plain = data;
        return reply("success");
      }
      const hash = mechanism.slice("SCRAM-".length) as ScramServerHash;
      server = new ScramServer(hash, serverPassword);
      const serverFirst = server.first(data);
      if (behaviour === "skip-proof") return reply("success");
      if (behaviour === "challenge-not-base64") {
        return reply("challenge", "not base64!");
      }
      return reply("challenge", utf8ToBase64(serverFirst));
    }
    if (finalSent) return reply("success");
    const serverFinal = server?.final(data) ?? null;
    if (serverFinal === null) return reply("failure", "", "not-authorized");
    if (behaviour === "final-in-challenge") {
      finalSent = true;
      return reply("challenge", utf8ToBase64(serverFinal));
    }
    if (behaviour === "no-signature") return reply("success");
    const signature = behaviour === "wrong-signature"
      ? `v=${utf8ToBase64("x".repeat(64))}`
      : serverFinal;
    return reply("success", utf8ToBase64(signature));
  }

  entity.send = (element: SentElement) => {
    sent.push(element.name);
    setTimeout(() => respond(element));
    return Promise.resolve();
  };

  const result = new Promise<{ error: unknown; restarted: boolean }>(
    (resolve) => {
      entity.restart = () => {
        resolve({ error: null, restarted: true });
        return Promise.resolve();
      };
      entity.on(
        "error",
        (error: unknown) => resolve({ error, restarted: false }),
      );
    },
  );

  entity.emit(
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
  return {
    error,
    restarted,
    sent,
    mechanism,
    server,
    plain,
    authenticator,
  };
}
