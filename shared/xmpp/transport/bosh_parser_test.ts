import assert from "node:assert/strict";
import { Element } from "@xmpp/xml";
import { BatchHandoff, BoshParser, type ParserEvent } from "./bosh_parser.ts";
import { ParseError } from "../core/errors.ts";

Deno.test("BoshParser", async (t) => {
  await t.step("emits the events its socket parsed, once", () => {
    const handoff = new BatchHandoff();
    const parser = new BoshParser(handoff);
    const seen: [string, string][] = [];
    for (const event of ["start", "element", "end"]) {
      parser.on(event, (el: Element) => seen.push([event, el.name]));
    }
    const events: ParserEvent[] = [
      ["start", new Element("open")],
      ["element", new Element("message")],
      ["end", new Element("close")],
    ];
    // xmpp.js writes the socket's data to the parser as a string.
    const key = handoff.put(events);
    parser.write(String(key));
    assert.deepEqual(seen, [
      ["start", "open"],
      ["element", "message"],
      ["end", "close"],
    ]);
    assert.equal(handoff.take(key), undefined, "taken once");
  });

  await t.step("data it did not hand over is a ParseError event", () => {
    const parser = new BoshParser(new BatchHandoff());
    let error: unknown;
    parser.on("error", (e: unknown) => (error = e));
    parser.write("<message/>");
    assert.ok(error instanceof ParseError);
  });
});
