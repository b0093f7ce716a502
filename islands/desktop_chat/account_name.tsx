import type { Account } from "../../shared/xmpp/session/account.ts";

export interface AccountNameProps {
  readonly account: Account;
}

/** The JID's local part, the name to show when nothing better is known. */
export function localPart(jid: string): string {
  const at = jid.indexOf("@");
  return at > 0 ? jid.slice(0, at) : jid;
}

/**
 * Who is signed in: the agent's own vCard FN (XEP-0054; asked for when
 * this first renders, at sign-in), else the JID's local part; the full
 * JID in the tooltip.
 */
export function AccountName({ account }: AccountNameProps) {
  const name = account.vcards.nameOf(account.jid).value ??
    localPart(account.jid);
  return (
    <span class="account-name" title={`${name} (${account.jid})`}>
      {name}
    </span>
  );
}
