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
import type { Account } from "./account.ts";
import {
  close,
  connect,
  isFresh,
  type Live,
  type PreparedSettings,
  prepareSettings,
  type SessionOptions,
} from "./sign_in.ts";
import type { SignInFailure } from "./sign_in_failure.ts";

export type { SessionOptions } from "./sign_in.ts";
export type { SignInFailure, SignInFailureKind } from "./sign_in_failure.ts";

export type SessionStatus = "offline" | "connecting" | "online" | "leaving";

export interface SessionModel {
  readonly status: ReadonlySignal<SessionStatus>;
  readonly failure: ReadonlySignal<SignInFailure | undefined>;
  /** Set while online. */
  readonly account: ReadonlySignal<Account | undefined>;
  /**
   * The username of the last sign-in, so the form shows it again after a
   * sign-out or a lost connection (the password is never kept).
   */
  readonly username: ReadonlySignal<string>;
  /**
   * Reads the chat-server settings ahead of Sign In (the form calls it when
   * it shows), so the click goes straight to the chat server. A read that
   * fails is not reported here: Sign In reads again and reports that.
   */
  prepare(): void;
  /** "alice" (the configured domain) or "alice@example.com". */
  signIn(username: string, password: string): Promise<void>;
  /**
   * Ends the chat session only; the voice state is not ours to touch. The
   * chats kept for a refresh are wiped, unless `keepHistory` (the element
   * leaving the page is no sign-out by the agent).
   */
  signOut(options?: { readonly keepHistory?: boolean }): Promise<void>;
}

export type SessionStore = SessionModel & Disposable;

const Session = createModel((options: SessionOptions): SessionModel => {
  const status = signal<SessionStatus>("offline");
  const failure = signal<SignInFailure | undefined>(undefined);
  const live = signal<Live | undefined>(undefined);
  const account = computed(() => live.value?.account);
  const lastUsername = signal("");
  // Bumped by signOut so a sign-in still in progress gives itself up.
  let generation = 0;
  let prepared: PreparedSettings | undefined;

  function prepare(): void {
    if (status.peek() !== "offline" || isFresh(prepared)) return;
    prepared = prepareSettings(options);
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
    lastUsername.value = username;
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
      current.account[Symbol.dispose]();
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

  async function signOut(
    signOutOptions: { readonly keepHistory?: boolean } = {},
  ): Promise<void> {
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
    await close(current, { wipeHistory: !signOutOptions.keepHistory });
    status.value = "offline";
  }

  return {
    status,
    failure,
    account,
    username: lastUsername,
    prepare,
    signIn,
    signOut,
  };
});

export function createSessionStore(options: SessionOptions): SessionStore {
  return new Session(options);
}
