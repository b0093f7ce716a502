// A contact's display name, everywhere the chat shows one (issue 13 DOM
// contract): roster name → vCard FN (XEP-0054) → XEP-0172 nick → the JID's
// local part.

export interface NameSources {
  /** The roster item's name (RFC 6121 §2.1.2.4). */
  readonly rosterName?: string;
  /** The vCard's FN (XEP-0054 §3). */
  readonly vcardName?: string;
  /** The nickname the contact sent (XEP-0172 §4). */
  readonly nick?: string;
}

export function chatName(jid: string, sources: NameSources): string {
  for (const name of [sources.rosterName, sources.vcardName, sources.nick]) {
    const trimmed = name?.trim();
    if (trimmed) return trimmed;
  }
  const at = jid.indexOf("@");
  return at > 0 ? jid.slice(0, at) : jid;
}
