// The "skeleton" of a name or an address (after UTS #39 §4): two strings
// with the same skeleton look alike to a person reading them, whatever code
// points they are made of. Used to flag names that imitate a contact's.
// Pure and total: any string, lone surrogates included, gives a skeleton.
import { CONFUSABLE_LETTERS, CONFUSABLE_SEQUENCES } from "./confusables.ts";

// Invisible in a name: UTS #39 §4 drops Default_Ignorable_Code_Point
// (zero-width space and joiners, soft hyphen, variation selectors, the bidi
// controls U+200E/F, U+202A–E, U+2066–9, U+061C); format characters (Cf)
// are dropped too, and every combining mark: "Sạm" reads as "Sam" at a
// glance, which is all an impersonator needs.
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{M}]/gu;
// Spaces and the separators of an address's local part read as nothing:
// "sam.sullivan" and "Sam  Sullivan" both imitate "Sam Sullivan".
const SEPARATORS = /[\s\p{Z}._\-·‧•]+/gu;
/**
 * A skeleton must be a fixpoint (the same name, checked twice, gives the
 * same answer); case folding after NFKD can leave what a second pass
 * changes, so passes repeat until nothing does.
 */
const MAX_PASSES = 4;

function pass(text: string): string {
  // NFKD, not NFKC: the marks come apart from their letters so they can be
  // dropped; NFKC's compatibility folding (fullwidth, ligatures, math
  // letters) is the same in both.
  let out = "";
  for (
    const char of text.normalize("NFKD").replace(INVISIBLE, "").toLowerCase()
  ) {
    out += CONFUSABLE_LETTERS.get(char) ?? char;
  }
  // Separators go before the pairs: "r.n" reads as "rn", then as "m".
  out = out.replace(SEPARATORS, "");
  for (const [pattern, letter] of CONFUSABLE_SEQUENCES) {
    out = out.replace(pattern, letter);
  }
  return out.normalize("NFC");
}

/** What `text` looks like to a reader; "" when nothing in it is visible. */
export function skeleton(text: string): string {
  let current = text;
  for (let i = 0; i < MAX_PASSES; i++) {
    const next = pass(current);
    if (next === current) return next;
    current = next;
  }
  return current;
}
