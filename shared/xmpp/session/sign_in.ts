// Signing one agent in (seed: "Sign In"): read the administrator's chat
// settings (ahead of the click where possible), find a node that takes the
// credentials (server_discovery.ts), then compose the account and bring it
// up to date. Every outcome is a live session or a typed SignInFailure.
import {
  fetchChatServerSettings,
  type FetchedSettings,
  SettingsFetchError,
} from "../../settings/settings_client.ts";
import { type AccountStore, createAccount } from "./account.ts";
import type { XmppClient } from "./client.ts";
import { connectionFromClient } from "./client_connection.ts";
import { ParseError } from "../core/errors.ts";
import { parseBareJid } from "../core/jid_parse.ts";
import type { NodeStorage } from "../discovery/node_cache.ts";
import type { HistoryStorage } from "../chat/chat_store.ts";
import {
  type Attempt,
  closeClient,
  hostOf,
  signInWithDiscovery,
} from "../discovery/server_discovery.ts";
import { classifyFailure, type SignInFailure } from "./sign_in_failure.ts";
import { xhrUploader } from "../files/transfer/xhr_uploader.ts";

export interface SessionOptions {
  /** GET /api/chat-server-settings of the desktop service. */
  readonly settingsUrl: string;
  /** The XMPP domain of bare usernames; default: the primary server's host. */
  readonly domain?: string;
  /** Where the node that worked is remembered (localStorage). */
  readonly storage: NodeStorage;
  /**
   * Where the chats survive a refresh of the tab (sessionStorage; never
   * localStorage): per account, wiped on sign-out.
   */
  readonly history?: HistoryStorage;
  readonly fetch?: typeof fetch;
}

/** A signed-in agent: the client of its stream and the account on it. */
export interface Live {
  readonly client: XmppClient;
  readonly account: AccountStore;
}

export type Outcome =
  | { readonly live: Live }
  | { readonly failure: SignInFailure };

/**
 * Settings read ahead are used for a minute; an administrator's change
 * reaches the next Sign In after that at the latest.
 */
const PREPARED_SETTINGS_MS = 60_000;

export interface PreparedSettings {
  readonly at: number;
  readonly read: Promise<FetchedSettings | SettingsFetchError>;
}

export function prepareSettings(options: SessionOptions): PreparedSettings {
  return { at: Date.now(), read: readSettingsNow(options) };
}

export function isFresh(prepared: PreparedSettings | undefined): boolean {
  return prepared !== undefined &&
    Date.now() - prepared.at < PREPARED_SETTINGS_MS;
}

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

export async function connect(
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
  const account = createAccount(connectionFromClient(client), {
    service: signedIn.service,
    history: options.history,
    // The administrator's attachments policy as read for this sign-in; the
    // browser's XHR PUT reports upload progress (fetch cannot).
    attachments: settings.attachments,
    uploader: xhrUploader(),
  });
  const current: Live = { client, account };
  try {
    await account.sync();
  } catch (error) {
    await close(current);
    return { failure: classifyFailure(error, []) };
  }
  return { live: current };
}

export interface CloseOptions {
  /** An explicit sign-out: the chats kept for a refresh go too. */
  readonly wipeHistory?: boolean;
}

export async function close(
  current: Live,
  options: CloseOptions = {},
): Promise<void> {
  if (options.wipeHistory) current.account.wipeHistory();
  current.account[Symbol.dispose]();
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
