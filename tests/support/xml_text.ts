// Literal stanzas for unit tests: one element from its XML text, parsed by
// the same parser the client uses (@xmpp/xml), as a server's bytes would be.
import assert from "node:assert/strict";
import { Parser } from "@xmpp/xml";
import type { XmlElement } from "../../shared/xmpp/core/connection.ts";

/** The element `text` holds (the last, when it holds several). */
export function parseXml(text: string): XmlElement {
  const parser = new Parser();
  let element: XmlElement | undefined;
  parser.on("element", (el: XmlElement) => (element = el));
  parser.write(`<r>${text}</r>`);
  assert.ok(element, "parsed");
  return element;
}
