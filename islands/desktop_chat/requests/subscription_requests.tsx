import { useSignal } from "@preact/signals";
import { useId } from "preact/hooks";
import type { Account } from "../../../shared/xmpp/session/account.ts";
import type { PresenceModel } from "../../../shared/xmpp/presence/presence_store.ts";
import type { SubscriptionRequest } from "../../../shared/xmpp/presence/presence_state.ts";
import type { Person } from "../../../shared/xmpp/identity/person.ts";
import { errorMessage } from "../dialogs/dialog_logic.ts";
import { IdentityNotes } from "../identity/identity_notes.tsx";
import { peopleOf } from "../identity/people.ts";

export interface SubscriptionRequestsProps {
  readonly account: Account;
}

/**
 * People asking to see the agent's presence (RFC 6121 §3.1.3), answered
 * here: Accept approves and asks back, Decline refuses (§3.1.4).
 */
export function SubscriptionRequests({ account }: SubscriptionRequestsProps) {
  const requests = account.presence.requests.value;
  const people = peopleOf(account);
  const titleId = useId();
  if (requests.length === 0) return null;
  return (
    <section class="requests" role="region" aria-labelledby={titleId}>
      <h2 class="requests-title" id={titleId}>
        Contact requests ({requests.length})
      </h2>
      <ul class="requests-list">
        {requests.map((request) => (
          <RequestRow
            key={request.jid}
            presence={account.presence}
            request={request}
            person={people.personOf(request.jid, request.nick)}
          />
        ))}
      </ul>
    </section>
  );
}

interface RequestRowProps {
  readonly presence: PresenceModel;
  readonly request: SubscriptionRequest;
  /** Who asks: by address unless a contact, flagged if an imitation. */
  readonly person: Person;
}

function RequestRow({ presence, request, person }: RequestRowProps) {
  const pending = useSignal<"accept" | "decline" | undefined>(undefined);
  const error = useSignal<string | undefined>(undefined);
  const { jid } = request;

  async function answer(kind: "accept" | "decline") {
    if (pending.peek() !== undefined) return;
    pending.value = kind;
    error.value = undefined;
    try {
      await (kind === "accept" ? presence.accept(jid) : presence.decline(jid));
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      pending.value = undefined;
    }
  }

  const busy = pending.value !== undefined;
  return (
    <li class="request" aria-busy={busy}>
      <p class="request-text">
        <strong class="request-name">{person.name}</strong> wants to add you
        {person.name !== jid && <span class="request-jid">{jid}</span>}
      </p>
      {(!person.contact || person.looksLike) && (
        <p class="request-identity" data-looks-like={person.looksLike?.jid}>
          <IdentityNotes person={person} />
        </p>
      )}
      <div class="request-actions">
        <button
          type="button"
          class="button button-primary"
          aria-label={`Accept ${jid}`}
          aria-disabled={busy}
          onClick={() => answer("accept")}
        >
          {pending.value === "accept" ? "Accepting…" : "Accept"}
        </button>
        <button
          type="button"
          class="button"
          aria-label={`Decline ${jid}`}
          aria-disabled={busy}
          onClick={() => answer("decline")}
        >
          {pending.value === "decline" ? "Declining…" : "Decline"}
        </button>
      </div>
      {error.value !== undefined && (
        <p class="field-error" role="alert">{error.value}</p>
      )}
    </li>
  );
}
