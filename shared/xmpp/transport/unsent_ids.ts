// Naming the stanzas a transport could not send. The transport holds them
// serialized; the layers above know them by their `id` (RFC 6120 §8.1.3,
// every outgoing stanza has one).
import { type Element, Parser } from "@xmpp/xml";

/** The `id` of each serialized stanza that has one, in order. */
export function unsentIds(payloads: readonly string[]): string[] {
  const ids: string[] = [];
  for (const payload of payloads) {
    const id = rootId(payload);
    if (id !== undefined) ids.push(id);
  }
  return ids;
}

function rootId(payload: string): string | undefined {
  // Only the start tag is needed: it ends at the first '>' outside a
  // quoted value, and our serializer escapes '>' inside values anyway.
  let root: Element | undefined;
  const parser = new Parser();
  parser.on("start", (el: Element) => (root = el));
  try {
    parser.write(payload);
  } catch {
    // A payload that is not well-formed XML still names its id if its start
    // tag parsed; otherwise it has none to report.
  }
  const id = root?.attrs.id;
  return typeof id === "string" ? id : undefined;
}
