// Above a conversation with someone who imitates a contact (issue 14): the
// warning in full, and where the real contact is, so the agent can compare
// addresses before answering. Nothing for anyone else.
import type { Account } from "../../../shared/xmpp/session/account.ts";
import { WarningIcon } from "./identity_notes.tsx";
import { peopleOf } from "./people.ts";

export interface IdentityBannerProps {
  readonly account: Account;
  readonly jid: string;
}

export function IdentityBanner({ account, jid }: IdentityBannerProps) {
  const person = peopleOf(account).personOf(jid);
  const real = person.looksLike;
  if (real === undefined) return null;
  return (
    <div
      class="identity-banner"
      role="note"
      data-looks-like={real.jid}
    >
      <WarningIcon />
      {/* <bdi>: a right-to-left name keeps the words around it in order. */}
      <p class="identity-banner-text">
        <strong>
          Looks like <bdi>{real.name}</bdi> — check the address.
        </strong>
        <bdi>{real.name}</bdi> in your contacts is {real.jid}; this is{" "}
        {person.jid}.
      </p>
    </div>
  );
}
