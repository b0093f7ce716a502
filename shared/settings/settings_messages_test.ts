import assert from "node:assert/strict";
import {
  checkFileType,
  checkServerUrl,
  type FileTypeProblem,
  type ServerUrlProblem,
} from "./settings_rules.ts";
import { fileTypeMessage, serverUrlMessage } from "./settings_messages.ts";

Deno.test("every refused server URL gets its own wording", () => {
  const cases: Record<ServerUrlProblem, string> = {
    "too-long": `https://${"a".repeat(2100)}`,
    "empty": "  ",
    "bad-characters": "https://imp example.com",
    "no-scheme": "imp.example.com:5280/http-bind",
    "scheme": "javascript:alert(1)",
    "no-slashes": "wss:imp.example.com",
    "credentials": "https://user:pw@imp.example.com",
    "query": "https://imp.example.com/?a",
    "fragment": "https://imp.example.com/#a",
    "no-host": "https://:5280/",
    "port": "https://imp.example.com:70000/",
    "bad-host": "https://[::1/",
  };
  const wordings = new Set<string>();
  for (const [problem, url] of Object.entries(cases)) {
    const check = checkServerUrl(url);
    assert.equal(check.ok ? "accepted" : check.problem, problem, url);
    if (!check.ok) wordings.add(serverUrlMessage(check));
  }
  assert.equal(wordings.size, Object.keys(cases).length);
  assert.match(
    serverUrlMessage({ problem: "no-slashes", scheme: "wss" }),
    /wss:\/\/host/,
  );
});

Deno.test("every refused file type gets its own wording", () => {
  const cases: Record<FileTypeProblem, string> = {
    "too-long": "x".repeat(101),
    "empty": " ",
    "format": "image/",
  };
  const wordings = new Set<string>();
  for (const [problem, type] of Object.entries(cases)) {
    const check = checkFileType(type);
    assert.equal(check.ok ? "accepted" : check.problem, problem, type);
    if (!check.ok) wordings.add(fileTypeMessage(check.problem));
  }
  assert.equal(wordings.size, 3);
});
