// The agent's chat session as a model (seed: "Sign In", "Sign Out"): read the
// administrator's settings, sign in on the right node, load the roster, then
// announce Available. Status is one signal; a failed sign-in is a typed
// `SignInFailure` whose wording the view picks. The password lives only in
// the call to signIn and the client it creates; nothing stores it.
import {
  computed,
  createModel,
  type ReadonlySignal,
  signal,
} from "@preact/signals-core";
import {
  fetchChatServerSettings,
  type FetchedSettings,
  SettingsFetchError,
} from "../../settings/settings_client.ts";
import type { Account } from "./account.ts";
import type { XmppClient } from "./client.ts";
import { connectionFromClient } from "./client_connection.ts";
import { createDirectorySearch } from "../directory/directory_search.ts";
import { AuthError, ParseError, XmppError } from "../core/errors.ts";
import { parseBareJid } from "../core/jid_parse.ts";
import type { NodeStorage } from "../discovery/node_cache.ts";
import { createPresenceStore } from "../presence/presence_store.ts";
import { createRecentChats } from "../chat/recent_chats.ts";
import { createRosterStore } from "../roster/roster_store.ts";
import {
  type Attempt,
  closeClient,
  signInWithDiscovery,
} from "../discovery/server_discovery.ts";

export type SessionStatus = "offline" | "connecting" | "online" | "leaving";

/**
 * - credentials: the server refused the username or password;
 * - certificate: an https node could not be reached, which in a browser is
 *   also what an untrusted (self-signed) certificate looks like: the agent
 *   opens `service` in a tab, accepts the certificate, then retries;
 * - unreachable: no node answered;
 * - settings: the desktop service's chat settings could not be read;
 * - input: the username is not usable;
 * - lost: the connection dropped after sign-in;
 * - server: anything else the server said.
 */
export type SignInFailureKind =
  | "credentials"
  | "certificate"
  | "unreachable"
  | "settings"
  | "input"
  | "lost"
  | "server";

export interface SignInFailure {
  readonly kind: SignInFailureKind;
  readonly error: Error;
  /** The chat server concerned, for the certificate link. */
  readonly service?: string;
}

export interface SessionOptions {
  /** GET /api/chat-server-settings of the desktop service. */
  readonly settingsUrl: string;
  /** The XMPP domain of bare usernames; default: the primary server's host. */
  readonly domain?: string;
  /** Where the node that worked is remembered (localStorage). */
  readonly storage: NodeStorage;
  readonly fetch?: typeof fetch;
}

export interface SessionModel {
  readonly status: ReadonlySignal<SessionStatus>;
  readonly failure: ReadonlySignal<SignInFailure | undefined>;
  /** Set while online. */
  readonly account: ReadonlySignal<Account | undefined>;
  /**
   * Reads the chat-server settings ahead of Sign In (the form calls it when
   * it shows), so the click goes straight to the chat server. A read that
   * fails is not reported here: Sign In reads again and reports that.
   */
  prepare(): void;
  /** "alice" (the configured domain) or "alice@example.com". */
  signIn(username: string, password: string): Promise<void>;
  /** Ends the chat session only; the voice state is not ours to touch. */
  signOut(): Promise<void>;
}

export type SessionStore = SessionModel & Disposable;

interface Live {
  readonly client: XmppClient;
  readonly account: Account;
  readonly dispose: () => void;
}

const Session = createModel((options: SessionOptions): SessionModel => {
  const status = signal<SessionStatus>("offline");
  const failure = signal<SignInFailure | undefined>(undefined);
  const live = signal<Live | undefined>(undefined);
  const account = computed(() => live.value?.account);
  // Bumped by signOut so a sign-in still in progress gives itself up.
  let generation = 0;
  let prepared: PreparedSettings | undefined;

  function prepare(): void {
    if (status.peek() !== "offline" || isFresh(prepared)) return;
    prepared = { at: Date.now(), read: readSettingsNow(options) };
  }

  /** Settings read ahead serve one Sign In; a retry reads them again. */
  function takePrepared(): PreparedSettings | undefined {
    const taken = prepared;
    prepared = undefined;
    return isFresh(taken) ? taken : undefined;
  }

  async function signIn(username: string, password: string): Promise<void> {
    if (status.peek() !== "offline") return;
    const mine = ++generation;
    status.value = "connecting";
    failure.value = undefined;
    const outcome = await connect(options, username, password, takePrepared());
    if (mine !== generation) {
      if ("live" in outcome) await close(outcome.live);
      return;
    }
    if ("failure" in outcome) {
      failure.value = outcome.failure;
      status.value = "offline";
      return;
    }
    const current = outcome.live;
    // RFC 6120 §4.9 / XEP-0124 §17: the stream is gone; the agent signs in
    // again (automatic recovery is roadmap item 3).
    current.client.on("error", (error: unknown) => {
      if (live.peek() !== current) return;
      generation++;
      current.dispose();
      live.value = undefined;
      failure.value = {
        kind: "lost",
        error: error instanceof Error ? error : new Error(String(error)),
        service: current.account.service,
      };
      status.value = "offline";
    });
    live.value = current;
    status.value = "online";
  }

  async function signOut(): Promise<void> {
    generation++;
    const current = live.peek();
    live.value = undefined;
    failure.value = undefined;
    if (current === undefined) {
      status.value = "offline";
      return;
    }
    status.value = "leaving";
    // RFC 6121 §4.5.1: closing the stream makes the server broadcast our
    // unavailable presence; no separate stanza is needed.
    await close(current);
    status.value = "offline";
  }

  return { status, failure, account, prepare, signIn, signOut };
});

export function createSessionStore(options: SessionOptions): SessionStore {
  return new Session(options);
}

/**
 * Settings read ahead are used for a minute; an administrator's change
 * reaches the next Sign In after that at the latest.
 */
const PREPARED_SETTINGS_MS = 60_000;

interface PreparedSettings {
  readonly at: number;
  readonly read: Promise<FetchedSettings | SettingsFetchError>;
}

function isFresh(prepared: PreparedSettings | undefined): boolean {
  return prepared !== undefined &&
    Date.now() - prepared.at < PREPARED_SETTINGS_MS;
}

type Outcome = { readonly live: Live } | { readonly failure: SignInFailure };

async function readSettings(
  options: SessionOptions,
  prepared: PreparedSettings | undefined,
): Promise<FetchedSettings | SettingsFetchError> {
  const early = await prepared?.read;
  if (early && !(early instanceof SettingsFetchError)) return early;
  // None read ahead, or that read failed: read now and report this one.
  return await readSettingsNow(options);
}

function readSettingsNow(
  options: SessionOptions,
): Promise<FetchedSettings | SettingsFetchError> {
  return fetchChatServerSettings(options.settingsUrl, { fetch: options.fetch });
}

async function connect(
  options: SessionOptions,
  username: string,
  password: string,
  prepared: PreparedSettings | undefined,
): Promise<Outcome> {
  const fetched = await readSettings(options, prepared);
  if (fetched instanceof SettingsFetchError) {
    return { failure: { kind: "settings", error: fetched } };
  }
  const { settings, etag } = fetched;
  const who = splitUsername(
    username,
    options.domain ?? hostOf(settings.primary),
  );
  if (who instanceof ParseError) {
    return { failure: { kind: "input", error: who } };
  }
  const attempts: Attempt[] = [];
  let signedIn;
  try {
    signedIn = await signInWithDiscovery({
      settings,
      settingsVersion: etag,
      username: who.local,
      password,
      domain: who.domain,
      storage: options.storage,
      onAttempt: (attempt) => attempts.push(attempt),
    });
  } catch (error) {
    return { failure: classifyFailure(error, attempts) };
  }
  const { client } = signedIn;
  const connection = connectionFromClient(client);
  const roster = createRosterStore(connection);
  const presence = createPresenceStore(connection, { roster });
  const recent = createRecentChats(connection, { roster });
  const directory = createDirectorySearch(connection);
  const dispose = () => {
    recent[Symbol.dispose]();
    presence[Symbol.dispose]();
    roster[Symbol.dispose]();
  };
  const current: Live = {
    client,
    dispose,
    account: {
      jid: connection.bareJid,
      service: signedIn.service,
      roster,
      presence,
      recent,
      directory,
    },
  };
  // RFC 6121 §2.2: the roster before initial presence, so that the presence
  // our contacts send back finds them in it. A failed roster load is shown
  // by the list (with Retry); the agent is still signed in.
  await roster.load();
  try {
    await presence.setPresence("available");
  } catch (error) {
    await close(current);
    return { failure: classifyFailure(error, []) };
  }
  return { live: current };
}

async function close(current: Live): Promise<void> {
  current.dispose();
  const error = await closeClient(current.client);
  // The agent is signed out either way; a stream that would not close
  // cleanly is worth a line in the console, not an error on the form.
  if (error) console.warn("Desktop Chat: closing the chat session", error);
}

/** The agent's typed username as local part and domain (seed: "Sign In"). */
export function splitUsername(
  input: string,
  defaultDomain: string,
): { local: string; domain: string } | ParseError {
  const typed = input.trim();
  if (typed === "") {
    return new ParseError("jid-malformed", "Enter your username.");
  }
  const full = typed.includes("@") ? typed : `${typed}@${defaultDomain}`;
  const bare = parseBareJid(full);
  if (bare instanceof ParseError) {
    return new ParseError(
      "jid-malformed",
      `“${typed.slice(0, 64)}” is not a valid username.`,
      { cause: bare },
    );
  }
  const at = bare.lastIndexOf("@");
  return { local: bare.slice(0, at), domain: bare.slice(at + 1) };
}

export function classifyFailure(
  error: unknown,
  attempts: readonly Attempt[],
): SignInFailure {
  const err = error instanceof Error ? error : new Error(String(error));
  if (err instanceof AuthError && err.condition === "not-authorized") {
    return { kind: "credentials", error: err };
  }
  if (!(err instanceof XmppError)) return { kind: "server", error: err };
  if (err.kind === "transport" || err.kind === "timeout") {
    // A browser reports a certificate it does not trust as a bare network
    // failure; an https node that failed that way gets the certificate link.
    const unreached = attempts.filter((attempt) =>
      attempt.error?.condition === "unreachable"
    );
    const https = unreached.find((attempt) =>
      attempt.service.startsWith("https:")
    );
    if (https) {
      return { kind: "certificate", error: err, service: https.service };
    }
    if (err.condition === "unreachable" || err.kind === "timeout") {
      return { kind: "unreachable", error: err };
    }
  }
  return { kind: "server", error: err };
}

function hostOf(service: string): string {
  return URL.canParse(service) ? new URL(service).hostname : "";
}
