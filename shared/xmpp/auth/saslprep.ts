// RFC 4013 SASLprep for SCRAM (RFC 5802 §5.1) and PLAIN (RFC 4616 §2)
// usernames and passwords, partly. Done: §2.1 mapping (non-ASCII spaces,
// RFC 3454 C.1.2, become U+0020; "commonly mapped to nothing", B.1, are
// removed), §2.2 NFKC, §2.3 prohibited output (C.2.1/C.2.2 controls, C.3
// private use, C.4 non-characters, C.5 surrogates, C.6, C.7, C.8, C.9). Not
// done: §2.4 bidi rules, and §2.5 unassigned code points (allowed anyway in
// RFC 4013 "query" strings, which is what a sign-in is); NFKC uses the
// engine's Unicode version, not 3.2, so characters added since may normalize
// differently from a strict server.

import { fail, ok, type ScramResult } from "./scram_result.ts";

const MAP_TO_SPACE = /[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/gu;
const MAP_TO_NOTHING =
  /[\u00AD\u034F\u1806\u180B-\u180D\u200C\u200D\u2060\uFE00-\uFE0F\uFEFF]/gu;
const PROHIBITED =
  /[\p{Cc}\p{Co}\p{Cs}\p{Noncharacter_Code_Point}\u0340\u0341\u06DD\u070F\u180E\u200E\u200F\u2028\u2029\u202A-\u202E\u2061-\u2063\u206A-\u206F\u2FF0-\u2FFB\uFFF9-\uFFFD\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]/u;

export function saslprep(input: string): ScramResult<string> {
  const prepared = input
    .replace(MAP_TO_SPACE, " ")
    .replace(MAP_TO_NOTHING, "")
    .normalize("NFKC");
  if (PROHIBITED.test(prepared)) {
    return fail(
      "invalid-credentials",
      "contains a control or otherwise prohibited character (RFC 4013 §2.3)",
    );
  }
  return ok(prepared);
}
