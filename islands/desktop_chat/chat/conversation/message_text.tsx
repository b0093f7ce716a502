import { linkify } from "./linkify.ts";

export interface MessageTextProps {
  readonly body: string;
}

/**
 * The body as text nodes and http(s) links. JSX children are text, never
 * markup: nothing from the wire is parsed as HTML. A link opens a new tab
 * that cannot reach back to this page (rel=noopener, HTML §4.6.6.7) and is
 * not told where it came from (noreferrer).
 */
export function MessageText({ body }: MessageTextProps) {
  return (
    // dir=auto: each message takes the direction of its own first strong
    // character (HTML §3.2.6.4), so Arabic or Hebrew reads right to left.
    <p class="message-body" dir="auto">
      {linkify(body).map((token, i) =>
        token.kind === "text" ? token.text : (
          <a
            key={i}
            href={token.href}
            target="_blank"
            rel="noopener noreferrer"
          >
            {token.text}
          </a>
        )
      )}
    </p>
  );
}
