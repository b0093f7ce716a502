// Message text split into plain text and web links, so the view can render
// each as a text node or an <a>, never as markup. Only absolute http(s)
// URLs become links (RFC 3986 §3 with the WHATWG URL parser as the judge):
// `javascript:`, `data:` and every other scheme stay text.

export type TextToken = { readonly kind: "text"; readonly text: string };
export type LinkToken = {
  readonly kind: "link";
  /** Exactly as written in the message. */
  readonly text: string;
  /** The parsed URL (serialised by the URL parser), http: or https:. */
  readonly href: string;
};
export type Token = TextToken | LinkToken;

// A candidate runs from the scheme to the first whitespace or a character
// RFC 3986 §2 never allows unescaped and that commonly wraps a URL in prose
// (Appendix C: "<>" and quotes delimit URIs in text).
const CANDIDATE = /https?:\/\/[^\s<>"'`\p{Cc}]+/giu;

// Punctuation that ends a sentence rather than the URL (RFC 3986 App. C).
const TRAILING = /[.,;:!?*_~]+$/u;

const CLOSERS: Readonly<Record<string, string>> = {
  ")": "(",
  "]": "[",
  "}": "{",
};

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}

/**
 * Drops sentence punctuation and a closing bracket the URL did not open,
 * as in "(see https://example.com/a)". A balanced one stays, as in
 * "https://en.wikipedia.org/wiki/Mercury_(planet)".
 */
function trimEnd(candidate: string): string {
  let url = candidate;
  for (;;) {
    const trimmed = url.replace(TRAILING, "");
    const last = trimmed.at(-1) ?? "";
    const opener = CLOSERS[last];
    if (opener !== undefined && count(trimmed, last) > count(trimmed, opener)) {
      url = trimmed.slice(0, -1);
      continue;
    }
    return trimmed;
  }
}

/** The http(s) URL `text` names, or undefined when it is not one. */
export function webHref(text: string): string | undefined {
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  // "http://" alone or "https://?x" has no host to go to.
  if (url.hostname === "") return undefined;
  return url.href;
}

function pushText(tokens: Token[], text: string): void {
  if (text === "") return;
  const last = tokens.at(-1);
  if (last?.kind === "text") {
    tokens[tokens.length - 1] = { kind: "text", text: last.text + text };
  } else tokens.push({ kind: "text", text });
}

/**
 * The tokens of `text`, in order; their texts concatenate back to `text`.
 * Never throws.
 */
export function linkify(text: string): Token[] {
  const tokens: Token[] = [];
  let from = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const start = match.index;
    // A scheme glued to a word ("xhttp://…") is not a URL's start.
    if (start > 0 && /[\p{L}\p{N}]/u.test(text[start - 1])) continue;
    const url = trimEnd(match[0]);
    const href = webHref(url);
    if (href === undefined) continue;
    pushText(tokens, text.slice(from, start));
    tokens.push({ kind: "link", text: url, href });
    from = start + url.length;
  }
  pushText(tokens, text.slice(from));
  return tokens;
}
