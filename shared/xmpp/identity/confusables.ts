// A curated slice of Unicode's confusables (UTS #39 §4, confusables.txt):
// characters people read as a Latin letter or digit in a name or an
// address, mapped to the lower-case Latin letter they pass for. Not the
// whole table (6,000+ entries): the look-alikes an impersonator in a
// Latin-script company directory reaches for first — Cyrillic, Greek,
// Armenian and Cherokee letters, and digits and signs that pass for
// letters. Fullwidth and mathematical forms need no entry: NFKC folds them
// before this table is read. The skeleton case-folds first, so only lower
// case is listed (Cherokee has look-alikes in upper case only).
//
// UTS #39 keeps case and maps "I" to "l"; a name compared without regard
// to case cannot tell "I" from "i", so i, l, 1 and | are one class here.

/** Single code points → the Latin letter they imitate. */
export const CONFUSABLE_LETTERS: ReadonlyMap<string, string> = new Map([
  // Cyrillic.
  ["а", "a"],
  ["в", "b"],
  ["е", "e"],
  ["к", "k"],
  ["м", "m"],
  ["н", "h"],
  ["о", "o"],
  ["р", "p"],
  ["с", "c"],
  ["т", "t"],
  ["у", "y"],
  ["х", "x"],
  ["ѕ", "s"],
  ["і", "l"],
  ["ј", "j"],
  ["ԛ", "q"],
  ["ԝ", "w"],
  ["ү", "y"],
  ["һ", "h"],
  ["ӏ", "l"],
  ["ԁ", "d"],
  ["ѵ", "v"],
  ["ѡ", "w"],
  ["п", "n"],
  ["г", "r"],
  ["ь", "b"],
  ["ꙇ", "l"],
  // Greek.
  ["α", "a"],
  ["β", "b"],
  ["ε", "e"],
  ["ζ", "z"],
  ["η", "n"],
  ["ι", "l"],
  ["κ", "k"],
  ["μ", "u"],
  ["ν", "v"],
  ["ο", "o"],
  ["ρ", "p"],
  ["τ", "t"],
  ["υ", "u"],
  ["χ", "x"],
  ["ϲ", "c"],
  ["ϳ", "j"],
  ["ς", "c"],
  ["ω", "w"],
  ["σ", "o"],
  ["γ", "y"],
  // Armenian.
  ["օ", "o"],
  ["ս", "u"],
  ["ց", "g"],
  ["հ", "h"],
  ["ո", "n"],
  ["զ", "q"],
  // Cherokee (upper case only: its lower case is a later, rarer block).
  ["Ꭺ", "a"],
  ["Ᏼ", "b"],
  ["Ꮯ", "c"],
  ["Ꭼ", "e"],
  ["Ꮋ", "h"],
  ["Ꮶ", "k"],
  ["Ꮇ", "m"],
  ["Ꮲ", "p"],
  ["Ꮪ", "s"],
  ["Ꭲ", "t"],
  ["Ꮃ", "w"],
  ["Ꮓ", "z"],
  // Latin letters, digits and signs that pass for a letter.
  ["i", "l"],
  ["1", "l"],
  ["|", "l"],
  ["ǀ", "l"],
  ["ı", "l"],
  ["ɩ", "l"],
  ["ł", "l"],
  ["0", "o"],
  ["ø", "o"],
  ["ɑ", "a"],
  ["ɡ", "g"],
  ["ʋ", "u"],
  ["đ", "d"],
  ["ħ", "h"],
  ["ȷ", "j"],
]);

/**
 * Letter pairs that read as one letter in most UI fonts (confusables.txt:
 * "rn" ↔ "m", "vv" ↔ "w"), applied after the single letters so that a pair
 * made of look-alikes folds too.
 */
export const CONFUSABLE_SEQUENCES: readonly (readonly [RegExp, string])[] = [
  [/rn/g, "m"],
  [/vv/g, "w"],
];
