// How the views say who someone is beyond their name: the imitation flag
// (a warning sign and words), "Not in your contacts" and a stranger's
// claimed name, labelled. Text, not colour alone (WCAG 1.4.1); the sign is
// decorative, the words carry the meaning.
import {
  looksLikeText,
  NOT_IN_CONTACTS,
  type Person,
} from "../../../shared/xmpp/identity/person.ts";

/** A warning triangle, filled with currentColor. */
export function WarningIcon() {
  return (
    <svg
      class="identity-icon"
      viewBox="0 0 16 16"
      width="14"
      height="14"
      aria-hidden="true"
      focusable="false"
    >
      <path d="M8 1.2 15.3 14H.7zM7.1 5.6v4.3h1.8V5.6zm0 5.4v1.8h1.8V11z" />
    </svg>
  );
}

/** "Sam Sullivan in your contacts is sam@…": where the real one is. */
export function realContactText(person: Person): string {
  const real = person.looksLike;
  return real === undefined
    ? ""
    : `${real.name} in your contacts is ${real.jid}; this is ${person.jid}.`;
}

/**
 * The flag with its words, or nothing for someone who imitates no one.
 * `compact` (a 32 px row): "Looks like Sam Sullivan", the rest in the title.
 */
export function IdentityFlag(
  { person, compact = false }: {
    readonly person: Person;
    readonly compact?: boolean;
  },
) {
  if (person.looksLike === undefined) return null;
  const text = looksLikeText(person.looksLike);
  return (
    <span
      class="identity-flag"
      title={`${text}. ${realContactText(person)}`}
    >
      <WarningIcon />
      {/* <bdi>: a right-to-left name keeps the words around it in order. */}
      <span class="identity-text">
        Looks like <bdi>{person.looksLike.name}</bdi>
        {!compact && " — check the address"}
      </span>
    </span>
  );
}

/**
 * The notes under or beside a person's name: the flag, then "Not in your
 * contacts" and a stranger's claim ("Says …") as one line of text. They
 * wrap, except `compact` in a one-line row, which shows the flag alone
 * when there is one.
 */
export function IdentityNotes(
  { person, compact = false }: {
    readonly person: Person;
    readonly compact?: boolean;
  },
) {
  // A one-line row has no room for both: the flag says more, and the
  // row's title and accessible name still say "Not in your contacts".
  const { claim } = person;
  const stranger = !person.contact;
  const words = !(compact && person.looksLike) &&
    (stranger || claim !== undefined);
  if (!words && person.looksLike === undefined) return null;
  return (
    <span class={compact ? "identity-notes compact" : "identity-notes"}>
      <IdentityFlag person={person} compact={compact} />
      {words && (
        <span>
          {stranger && NOT_IN_CONTACTS}
          {stranger && claim !== undefined && " · "}
          {claim !== undefined && (
            // The claim isolated (<bdi>): its own bidi controls and
            // direction stay inside the quotes (UAX #9 §2.7).
            <>
              Says “<bdi>{claim}</bdi>”
            </>
          )}
        </span>
      )}
    </span>
  );
}
