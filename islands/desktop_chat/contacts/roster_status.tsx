import type { RosterModel } from "../../../shared/xmpp/roster/roster_store.ts";

export interface RosterStatusProps {
  readonly roster: RosterModel;
}

/** The roster fetch (RFC 6121 §2.2) in flight, or why it failed. */
export function RosterStatus({ roster }: RosterStatusProps) {
  const status = roster.status.value;
  if (status === "loading") {
    return <p class="contacts-loading" role="status">Loading contacts…</p>;
  }
  if (status !== "failed") return null;
  return (
    <div class="alert contacts-alert" role="alert">
      <strong>Your contacts could not be loaded.</strong>
      <p class="alert-detail">{roster.error.value?.message}</p>
      <button
        type="button"
        class="button alert-retry"
        onClick={() => void roster.load()}
      >
        Retry
      </button>
    </div>
  );
}
