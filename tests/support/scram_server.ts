// The server side of SCRAM (RFC 5802 §3, §5) on node:crypto, written apart
// from shared/xmpp/auth (which uses Web Crypto) so that each checks the other:
// the same client-final and server signature from two implementations.
// SHA-512 follows draft-melnikov-scram-sha-512 §3 (RFC 5802 with SHA-512).
import { createHash, createHmac, pbkdf2Sync } from "node:crypto";
import { Buffer } from "node:buffer";

export type ScramServerHash = "SHA-1" | "SHA-256" | "SHA-512";

const NODE_NAMES: Record<ScramServerHash, "sha1" | "sha256" | "sha512"> = {
  "SHA-1": "sha1",
  "SHA-256": "sha256",
  "SHA-512": "sha512",
};
const LENGTHS: Record<ScramServerHash, number> = {
  "SHA-1": 20,
  "SHA-256": 32,
  "SHA-512": 64,
};

export interface ScramKeys {
  readonly clientProof: string;
  readonly serverSignature: string;
}

/** RFC 5802 §3 for one AuthMessage; both results in base64. */
export function scramKeys(
  hash: ScramServerHash,
  password: string,
  salt: Uint8Array,
  iterations: number,
  authMessage: string,
): ScramKeys {
  const name = NODE_NAMES[hash];
  const hmac = (key: Uint8Array, data: string) =>
    createHmac(name, key).update(data, "utf8").digest();
  const salted = pbkdf2Sync(password, salt, iterations, LENGTHS[hash], name);
  const clientKey = hmac(salted, "Client Key");
  const storedKey = createHash(name).update(clientKey).digest();
  const clientSignature = hmac(storedKey, authMessage);
  const proof = Buffer.from(clientKey.map((b, i) => b ^ clientSignature[i]));
  const serverSignature = hmac(hmac(salted, "Server Key"), authMessage);
  return {
    clientProof: proof.toString("base64"),
    serverSignature: serverSignature.toString("base64"),
  };
}

/** A SCRAM server for one exchange, with a random salt and server nonce. */
export class ScramServer {
  readonly salt = crypto.getRandomValues(new Uint8Array(16));
  readonly iterations = 4096;
  username = "";
  #bare = "";
  #serverFirst = "";

  constructor(readonly hash: ScramServerHash, readonly password: string) {}

  /** Takes client-first-message, gives server-first-message. */
  first(clientFirst: string): string {
    if (!clientFirst.startsWith("n,,")) {
      throw new Error(`unexpected gs2 header in ${clientFirst}`);
    }
    this.#bare = clientFirst.slice(3);
    const [n, r] = this.#bare.split(",");
    this.username = n.slice(2).replaceAll("=2C", ",").replaceAll("=3D", "=");
    const serverNonce = Buffer.from(crypto.getRandomValues(new Uint8Array(12)))
      .toString("base64");
    this.#serverFirst = `${r}${serverNonce},` +
      `s=${Buffer.from(this.salt).toString("base64")},i=${this.iterations}`;
    return this.#serverFirst;
  }

  /** server-final-message (`v=`), or null when the proof is wrong. */
  final(clientFinal: string): string | null {
    const cut = clientFinal.lastIndexOf(",p=");
    const withoutProof = clientFinal.slice(0, cut);
    const keys = scramKeys(
      this.hash,
      this.password,
      this.salt,
      this.iterations,
      `${this.#bare},${this.#serverFirst},${withoutProof}`,
    );
    if (clientFinal.slice(cut + 3) !== keys.clientProof) return null;
    return `v=${keys.serverSignature}`;
  }
}
