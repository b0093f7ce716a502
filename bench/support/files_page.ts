// The in-page half of files_bench.ts: bundled with esbuild and loaded into
// headless Chromium, one page per side. Each page signs real accounts in
// (the headless core, as the element composes it: account.files with the
// browser's XHR uploader) and the Deno side drives them. The sender's page
// times its steps; the receiver's page accepts every bench offer the moment
// it arrives, so no round trip to Deno sits inside a timed transfer. Times
// are performance.timeOrigin + performance.now(), which Chromium derives in
// every renderer from one system-wide monotonic clock, so a send in one
// context and an arrival in the other compare (files_bench checks it).
import { effect } from "@preact/signals-core";
import {
  type AccountStore,
  createAccount,
} from "../../shared/xmpp/session/account.ts";
import { client, type XmppClient } from "../../shared/xmpp/session/client.ts";
import { connectionFromClient } from "../../shared/xmpp/session/client_connection.ts";
import type { FileTransfer } from "../../shared/xmpp/files/file_transfers.ts";
import { xhrUploader } from "../../shared/xmpp/files/transfer/xhr_uploader.ts";
import { sha256Of } from "../../shared/xmpp/files/transfer/digest.ts";
import type { AttachmentPolicy } from "../../shared/settings/settings_rules.ts";
import {
  benchFileName,
  firstDifference,
  parseBenchFileName,
  seededBytes,
} from "./files_bytes.ts";

export interface FilesAgentConfig {
  /** Names the account in this page (the transport: "bosh", "ws"). */
  label: string;
  service: string;
  domain: string;
  username: string;
  password: string;
}

/** The sender's clock readings of one transfer (absolute milliseconds). */
export interface SentTimes {
  /** The offer message's id: the receiver's transfer has the same. */
  id: string;
  /** Just before account.files.send. */
  start: number;
  /** Hash and slot done: the PUT starts. */
  uploading: number;
  /** The PUT answered; the offer goes to the stream next. */
  offered: number;
}

/** The receiver's clock readings of one transfer (absolute milliseconds). */
export interface ReceivedTimes {
  id: string;
  /** The offer appeared in account.files (Accept called at once). */
  offer: number;
  /** accept() resolved with the Blob: all bytes in, SHA-256 checked. */
  verified: number;
  bytes: number;
  /** The Blob's bytes equal the seed's, compared after `verified`. */
  identical: boolean;
}

export interface FilesPageApi {
  /** Signs in, syncs, waits for the upload service; the full JID. */
  signIn(config: FilesAgentConfig): Promise<string>;
  /** Waits until `contact` is online for account `label`. */
  contactOnline(label: string, contact: string): Promise<void>;
  /** Accept every bench offer to account `label` as it arrives. */
  acceptAll(label: string): void;
  send(
    label: string,
    to: string,
    seed: number,
    size: number,
  ): Promise<SentTimes>;
  received(id: string, timeoutMs: number): Promise<ReceivedTimes>;
  /** Milliseconds of a bare XHR PUT of `size` bytes (files_floor.ts). */
  rawPut(
    url: string,
    headers: Record<string, string>,
    size: number,
  ): Promise<number>;
  /** Milliseconds of a bare fetch GET read to the end; checks the size. */
  rawGet(url: string, size: number): Promise<number>;
  /** Milliseconds this page takes to hash `size` bytes (the receiver's check). */
  hashTime(size: number): Promise<number>;
  stop(): Promise<void>;
}

/** Wide enough for any bench file; only `.bin`, as an admin would list. */
const POLICY: AttachmentPolicy = {
  enabled: true,
  maxBytes: 10_000_000,
  allowedTypes: [".bin"],
};

interface Agent {
  readonly xmpp: XmppClient;
  readonly account: AccountStore;
}

const agents = new Map<string, Agent>();
const arrivals = new Map<string, ReceivedTimes>();
const failures = new Map<string, string>();
const stops: (() => void)[] = [];

function now(): number {
  return performance.timeOrigin + performance.now();
}

function agentOf(label: string): Agent {
  const agent = agents.get(label);
  if (agent === undefined) throw new Error(`no account ${label}`);
  return agent;
}

/**
 * Resolves with `read()` once it is defined, polling every millisecond;
 * rejects when `read` throws or time is up.
 */
function until<T>(read: () => T | undefined, ms: number, what: string) {
  return new Promise<T>((resolve, reject) => {
    const started = performance.now();
    const check = () => {
      let value: T | undefined;
      try {
        value = read();
      } catch (err) {
        return reject(err);
      }
      if (value !== undefined) return resolve(value);
      if (performance.now() - started > ms) {
        return reject(new Error(`not within ${ms} ms: ${what}`));
      }
      setTimeout(check, 1);
    };
    check();
  });
}

async function acceptOne(agent: Agent, transfer: FileTransfer, at: number) {
  const file = parseBenchFileName(transfer.name);
  const blob = await agent.account.files.accept(transfer.key);
  const verified = now();
  if (blob === undefined || file === undefined) {
    const state = agent.account.files.transfer(transfer.key).value;
    failures.set(transfer.id, JSON.stringify(state));
    return;
  }
  const got = new Uint8Array(await blob.arrayBuffer());
  const expected = seededBytes(file.seed, file.size);
  arrivals.set(transfer.id, {
    id: transfer.id,
    offer: at,
    verified,
    bytes: got.byteLength,
    identical: firstDifference(got, expected) === -1,
  });
}

const api: FilesPageApi = {
  async signIn(config) {
    const xmpp = client({
      service: config.service,
      domain: config.domain,
      username: config.username,
      password: config.password,
      resource: `bench-${config.label}`,
    });
    await xmpp.start();
    const account = createAccount(connectionFromClient(xmpp), {
      service: config.service,
      attachments: POLICY,
      uploader: xhrUploader(),
    });
    agents.set(config.label, { xmpp, account });
    await account.sync();
    const status = await until(
      () => {
        const s = account.files.uploadService.value;
        return s.state === "unknown" ? undefined : s;
      },
      10_000,
      "upload service discovery",
    );
    if (status.state !== "available") {
      throw new Error(`no upload service: ${JSON.stringify(status)}`);
    }
    return String(xmpp.jid);
  },
  async contactOnline(label, contact) {
    const presence = agentOf(label).account.presence.presenceOf(contact);
    await until(
      () => presence.value.show !== "unavailable" ? true : undefined,
      10_000,
      `${contact} online`,
    );
  },
  acceptAll(label) {
    const agent = agentOf(label);
    const seen = new Set<string>();
    stops.push(effect(() => {
      for (const t of agent.account.files.transfers.value) {
        if (t.direction !== "in" || t.phase !== "offered" || seen.has(t.key)) {
          continue;
        }
        seen.add(t.key);
        acceptOne(agent, t, now()).catch((err) =>
          failures.set(t.id, String(err))
        );
      }
    }));
  },
  async send(label, to, seed, size) {
    const { files } = agentOf(label).account;
    const data = seededBytes(seed, size);
    const name = benchFileName(seed, size);
    const times = { start: 0, uploading: 0, offered: 0 };
    times.start = now();
    const handle = files.send(to, {
      name,
      type: "application/octet-stream",
      data,
    });
    const stop = files.transfer(handle.key).subscribe((t) => {
      if (t?.phase === "uploading" && times.uploading === 0) {
        times.uploading = now();
      }
      if (t?.phase === "offered" && times.offered === 0) {
        times.offered = now();
      }
    });
    const done = await handle.done;
    stop();
    if (done.phase !== "offered") {
      throw new Error(`send ended ${JSON.stringify(done)}`);
    }
    return { id: done.id, ...times };
  },
  received(id, timeoutMs) {
    return until(
      () => {
        const failure = failures.get(id);
        if (failure !== undefined) {
          throw new Error(`receive failed: ${failure}`);
        }
        return arrivals.get(id);
      },
      timeoutMs,
      `file ${id} verified`,
    );
  },
  rawPut(url, headers, size) {
    // A Blob, as the uploader sends (xhr_uploader.ts) and a picked File is.
    const body = new Blob([seededBytes(size, size)]);
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("PUT", url);
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      for (const [name, value] of Object.entries(headers)) {
        xhr.setRequestHeader(name, value);
      }
      const started = performance.now();
      xhr.onload = () =>
        xhr.status >= 200 && xhr.status < 300
          ? resolve(performance.now() - started)
          : reject(new Error(`PUT answered ${xhr.status}`));
      xhr.onerror = () => reject(new Error("PUT failed"));
      xhr.send(body);
    });
  },
  async rawGet(url, size) {
    const started = performance.now();
    const response = await fetch(url, { credentials: "omit" });
    const got = await response.arrayBuffer();
    const ms = performance.now() - started;
    if (got.byteLength !== size) {
      throw new Error(`GET gave ${got.byteLength} of ${size} bytes`);
    }
    return ms;
  },
  async hashTime(size) {
    const bytes = seededBytes(size, size);
    const started = performance.now();
    await sha256Of(new Blob([bytes]));
    return performance.now() - started;
  },
  async stop() {
    for (const stop of stops.splice(0)) stop();
    for (const { xmpp, account } of agents.values()) {
      account[Symbol.dispose]();
      await xmpp.stop();
    }
    agents.clear();
  },
};

(globalThis as { filesBench?: FilesPageApi }).filesBench = api;
