// Keeps the stanza readers matching children by resolved name and namespace
// (getName/getNS, getChild). ejabberd relays `<cs:active xmlns:cs='…'/>`
// as the sender wrote it, and it is the same element (Namespaces in XML
// §6.2): a reader comparing the literal `attrs.xmlns` or `name` would miss
// it, on ejabberd only (shared/xmpp/core/xml_prefixes_test.ts shows each
// reader seeing through a prefix). The BOSH framing of transport/ is left
// out: its <body/> root is written by the connection manager itself.
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const LITERAL_NAMESPACE =
  /\.attrs\.xmlns\s*[!=]==|[!=]==\s*\w+\.attrs\.xmlns\b/;

async function* readers(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory && entry.name !== "transport") yield* readers(path);
    else if (/\.ts$/.test(entry.name) && !/_test\.ts$/.test(entry.name)) {
      yield path;
    }
  }
}

Deno.test("stanza readers never compare the literal xmlns attribute", async () => {
  const found: string[] = [];
  for await (const path of readers(join(ROOT, "shared", "xmpp"))) {
    (await Deno.readTextFile(path)).split("\n").forEach((line, index) => {
      if (LITERAL_NAMESPACE.test(line.replace(/\/\/.*$/, ""))) {
        found.push(`${relative(ROOT, path)}:${index + 1}`);
      }
    });
  }
  assert.deepEqual(found, []);
});
