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
    <p class="message-body">
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
