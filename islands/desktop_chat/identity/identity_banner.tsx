// Above a conversation with someone who imitates a contact (issue 14): the
// warning in full, and where the real contact is, so the agent can compare
// addresses before answering. Nothing for anyone else.
import { looksLikeText } from "../../../shared/xmpp/identity/person.ts";
import type { Account } from "../../../shared/xmpp/session/account.ts";
import { realContactText, WarningIcon } from "./identity_notes.tsx";
import { peopleOf } from "./people.ts";

export interface IdentityBannerProps {
  readonly account: Account;
  readonly jid: string;
}

export function IdentityBanner({ account, jid }: IdentityBannerProps) {
  const person = peopleOf(account).personOf(jid);
  if (person.looksLike === undefined) return null;
  return (
    <div
      class="identity-banner"
      role="note"
      data-looks-like={person.looksLike.jid}
    >
      <WarningIcon />
      <p class="identity-banner-text">
        <strong>{looksLikeText(person.looksLike)}.</strong>
        {realContactText(person)}
      </p>
    </div>
  );
}
