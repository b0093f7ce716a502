// What the sign-in form says for each failure kind (the headless core only
// types the failure; the words are the view's, style.md item 3).
import type { SignInFailure } from "../../shared/xmpp/session/session_store.ts";

export interface FailureText {
  readonly title: string;
  readonly detail: string;
  /** Offer Retry with the same credentials (the cause was not the agent's). */
  readonly retry: boolean;
}

export function failureText(failure: SignInFailure): FailureText {
  switch (failure.kind) {
    case "credentials":
      return {
        title: "Wrong username or password.",
        detail: "Check both and sign in again.",
        retry: false,
      };
    case "certificate":
      return {
        title: "The chat server could not be reached.",
        detail:
          "If it uses a certificate your browser does not trust yet, open the chat server, accept its certificate in the new tab, then come back and select Retry.",
        retry: true,
      };
    case "unreachable":
      return {
        title: "The chat server cannot be reached.",
        detail: failure.error.message,
        retry: true,
      };
    case "settings":
      return {
        title: "The chat settings could not be loaded.",
        detail: failure.error.message,
        retry: true,
      };
    case "input":
      return { title: failure.error.message, detail: "", retry: false };
    case "lost":
      return {
        title:
          "You were signed out: the connection to the chat server was lost.",
        detail: failure.error.message,
        retry: true,
      };
    case "server":
      return {
        title: "The chat server refused the sign-in.",
        detail: failure.error.message,
        retry: true,
      };
  }
}
