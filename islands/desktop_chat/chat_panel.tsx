import type { SessionModel } from "../../shared/xmpp/session/session_store.ts";
import { SignedInView } from "./signed_in_view.tsx";
import { SignInForm } from "./sign_in_form.tsx";

export interface ChatPanelProps {
  readonly session: SessionModel;
}

export function ChatPanel({ session }: ChatPanelProps) {
  const account = session.account.value;
  return (
    <section id="dc-panel" class="panel" aria-label="Desktop Chat">
      {account
        ? <SignedInView key={account.jid} account={account} session={session} />
        : <SignInForm session={session} />}
    </section>
  );
}
