import assert from "node:assert/strict";
import {
  manualCommand,
  missingPackages,
  plan,
  SYSTEM_PACKAGES,
} from "./ensure_system_packages.ts";

Deno.test("missingPackages names the packages whose probe file is absent", () => {
  const present = new Set(["/usr/bin/prosody"]);
  assert.deepEqual(missingPackages((path) => present.has(path)), [
    "prosody-modules",
    "chromium",
  ]);
  assert.deepEqual(missingPackages(() => true), []);
  assert.deepEqual(
    missingPackages(() => false),
    SYSTEM_PACKAGES.map((p) => p.name),
  );
});

Deno.test("plan installs as root and explains the command otherwise", () => {
  assert.deepEqual(plan([], false), { kind: "present" });
  assert.deepEqual(plan(["chromium"], true), {
    kind: "install",
    missing: ["chromium"],
  });
  const failed = plan(["prosody"], false);
  assert.equal(failed.kind, "fail");
  assert.ok(failed.kind === "fail" && failed.message.includes(manualCommand()));
});

Deno.test("manualCommand is the unattended apt-get line", () => {
  assert.equal(
    manualCommand(),
    "apt-get update && DEBIAN_FRONTEND=noninteractive " +
      "apt-get install -y prosody prosody-modules chromium",
  );
});
