import assert from "node:assert/strict";
import {
  INSTALL_COMMANDS,
  manualCommand,
  missingPackages,
  plan,
  policyRcD,
  SYSTEM_PACKAGES,
} from "./ensure_system_packages.ts";

Deno.test("missingPackages names the packages whose probe file is absent", () => {
  const present = new Set(["/usr/bin/prosody"]);
  assert.deepEqual(missingPackages((path) => present.has(path)), [
    "prosody-modules",
    "chromium",
    "ejabberd",
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

Deno.test("manualCommand is the unattended apt-get line, no service started", () => {
  assert.equal(
    manualCommand(),
    "printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d && " +
      "chmod 755 /usr/sbin/policy-rc.d && " +
      "apt-get update && DEBIAN_FRONTEND=noninteractive " +
      "apt-get install -y prosody prosody-modules chromium && " +
      "DEBIAN_FRONTEND=noninteractive " +
      "apt-get install -y --no-install-recommends ejabberd && " +
      "rm /usr/sbin/policy-rc.d",
  );
});

Deno.test("every package is installed by a command, ejabberd without recommends", () => {
  const installed = INSTALL_COMMANDS.flatMap((command) => command);
  for (const { name } of SYSTEM_PACKAGES) assert.ok(installed.includes(name));
  assert.ok(
    INSTALL_COMMANDS.some((command) =>
      command.includes("ejabberd") &&
      command.includes("--no-install-recommends")
    ),
  );
});

Deno.test("policyRcD never replaces an existing policy-rc.d", () => {
  assert.equal(policyRcD(false), "create");
  assert.equal(policyRcD(true), "keep");
});
