// Which precompressed copy of a file to send (RFC 9110 §12.5.3
// Accept-Encoding). The build writes `x.js.br` and `x.js.gz` beside each
// bundle (scripts/precompress.ts); static_files.ts serves one in its place.

/** An HTTP content coding (RFC 9110 §8.4.1) and the suffix of its file. */
export interface Precompressed {
  readonly coding: "br" | "gzip";
  readonly suffix: ".br" | ".gz";
}

/** Best first: the order preferred when the client weighs them alike. */
export const PRECOMPRESSED: readonly Precompressed[] = [
  { coding: "br", suffix: ".br" },
  { coding: "gzip", suffix: ".gz" },
];

// §12.4.2: a weight is 0 to 1 with at most three decimals.
const WEIGHT = /^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/i;

/**
 * The precompressed codings `header` accepts, best first: by the client's
 * weight, then by {@link PRECOMPRESSED}. A coding not listed is refused
 * unless `*` accepts it; weight 0 refuses (§12.5.3). An unreadable member
 * counts as refusing what it names, so a garbled header falls back to the
 * plain file, which every client can read.
 */
export function acceptedCodings(
  header: string | undefined,
): readonly Precompressed[] {
  if (header === undefined) return [];
  const weights = new Map<string, number>();
  for (const member of header.split(",")) {
    const [name, ...parameters] = member.split(";").map((part) => part.trim());
    if (!name) continue;
    const weight = parameters.length === 0
      ? 1
      : parameters.length === 1 && WEIGHT.test(parameters[0])
      ? Number(parameters[0].slice(2))
      : 0;
    weights.set(name.toLowerCase(), weight);
  }
  const weightOf = (coding: string) =>
    weights.get(coding) ?? weights.get("*") ?? 0;
  return PRECOMPRESSED
    .filter((entry) => weightOf(entry.coding) > 0)
    .sort((a, b) => weightOf(b.coding) - weightOf(a.coding));
}
