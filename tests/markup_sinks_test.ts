// Keeps the code that reaches the browser free of the DOM's markup and code
// sinks. The pages' CSP (require-trusted-types-for 'script', no
// 'unsafe-eval') refuses them at run time; this refuses them at review time,
// so a new view cannot start relying on one and only fail under the policy.
// Text from the wire reaches the DOM as text nodes and attribute values that
// Preact sets, never as markup.
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SCANNED = ["islands", "shared"];

// Trusted Types sinks (W3C Trusted Types §4.1) and string-to-code calls
// (CSP3 §8.4, 'unsafe-eval').
const SINKS: readonly { name: string; pattern: RegExp }[] = [
  { name: "innerHTML", pattern: /\.innerHTML\b/ },
  { name: "outerHTML", pattern: /\.outerHTML\b/ },
  { name: "insertAdjacentHTML", pattern: /\binsertAdjacentHTML\b/ },
  { name: "dangerouslySetInnerHTML", pattern: /\bdangerouslySetInnerHTML\b/ },
  { name: "document.write", pattern: /\bdocument\.write(?:ln)?\b/ },
  { name: "createContextualFragment", pattern: /\bcreateContextualFragment\b/ },
  { name: "srcdoc", pattern: /\bsrcdoc\b/ },
  { name: "eval", pattern: /(?<![\w.])eval\s*\(/ },
  { name: "new Function", pattern: /\bnew\s+Function\s*\(/ },
  { name: "string timer", pattern: /\bset(?:Timeout|Interval)\s*\(\s*["'`]/ },
  { name: "javascript: URL", pattern: /["'`]javascript:/i },
];

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* sourceFiles(path);
    else if (/\.tsx?$/.test(entry.name) && !/_test\.tsx?$/.test(entry.name)) {
      yield path;
    }
  }
}

/** `file:line: sink` for every sink found in `text`; comments are skipped. */
export function findSinks(file: string, text: string): string[] {
  const found: string[] = [];
  text.split("\n").forEach((line, index) => {
    const code = line.replace(/\/\/.*$/, "").replace(/^\s*\*.*$/, "");
    for (const sink of SINKS) {
      if (sink.pattern.test(code)) {
        found.push(`${file}:${index + 1}: ${sink.name}`);
      }
    }
  });
  return found;
}

Deno.test("no markup or code sink in the code that reaches the browser", async () => {
  const found: string[] = [];
  for (const dir of SCANNED) {
    for await (const path of sourceFiles(join(ROOT, dir))) {
      found.push(
        ...findSinks(relative(ROOT, path), await Deno.readTextFile(path)),
      );
    }
  }
  assert.deepEqual(found, []);
});

Deno.test("the sink scan finds each sink it names", () => {
  const samples = [
    "el.innerHTML = text;",
    "el.outerHTML = text;",
    "el.insertAdjacentHTML('beforeend', text);",
    "<div dangerouslySetInnerHTML={{ __html: text }} />",
    "document.write(text);",
    "range.createContextualFragment(text);",
    "frame.srcdoc = text;",
    "eval(text);",
    "new Function('return 1');",
    "setTimeout('alert(1)', 0);",
    "a.href = 'javascript:void 0';",
  ];
  const found = samples.flatMap((sample) => findSinks("x.ts", sample));
  assert.deepEqual(found.length, SINKS.length);
  assert.deepEqual(findSinks("x.ts", "// el.innerHTML = text;"), []);
  assert.deepEqual(findSinks("x.ts", "const evaluated = evaluate(x);"), []);
});
