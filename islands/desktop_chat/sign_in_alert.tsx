import type { SignInFailure } from "../../shared/xmpp/session/session_store.ts";
import { blockedService, policyBlocks } from "./policy_blocks.ts";
import {
  certificatePage,
  failureText,
  policyBlockedText,
} from "./sign_in_messages.ts";

export interface SignInAlertProps {
  readonly failure: SignInFailure;
  /** Absent while a sign-in is running. */
  readonly onRetry?: () => void;
}

export function SignInAlert({ failure, onRetry }: SignInAlertProps) {
  const blocked = blockedService(failure, policyBlocks().value);
  const text = blocked === undefined
    ? failureText(failure)
    : policyBlockedText(blocked);
  return (
    <div class="alert" role="alert" id="dc-sign-in-error">
      <strong>{text.title}</strong>
      {text.detail && <p class="alert-detail">{text.detail}</p>}
      {blocked === undefined && failure.kind === "certificate" &&
        failure.service && (
        <p class="alert-detail">
          <a
            href={certificatePage(failure.service)}
            target="_blank"
            rel="noopener noreferrer"
          >
            Open {certificatePage(failure.service)} to accept the certificate
          </a>
        </p>
      )}
      {text.retry && (
        <button
          type="button"
          class="button alert-retry"
          disabled={onRetry === undefined}
          onClick={onRetry}
        >
          Retry
        </button>
      )}
    </div>
  );
}
