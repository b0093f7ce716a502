// Tests, benchmarks and `deno task dev` need a real Prosody with the
// community modules (mod_vjud for XEP-0055 search), an ejabberd (the
// integration suite runs against both servers) and a Chromium for browser
// tests. A fresh Debian machine has none of them.

export interface SystemPackage {
  readonly name: string;
  /** A file the Debian package installs, probed to tell whether it is there. */
  readonly probe: string;
}

export const SYSTEM_PACKAGES: readonly SystemPackage[] = [
  { name: "prosody", probe: "/usr/bin/prosody" },
  // prosody-modules installs each module as a directory of its own.
  { name: "prosody-modules", probe: "/usr/lib/prosody/modules/mod_vjud" },
  { name: "chromium", probe: "/usr/bin/chromium" },
  { name: "ejabberd", probe: "/usr/sbin/ejabberdctl" },
];

/**
 * ejabberd without its recommends (no database servers, no TLS tooling the
 * tests never use); tests run private nodes (tests/support/ejabberd.ts).
 */
export const INSTALL_COMMANDS: readonly (readonly string[])[] = [
  ["apt-get", "update"],
  ["apt-get", "install", "-y", "prosody", "prosody-modules", "chromium"],
  ["apt-get", "install", "-y", "--no-install-recommends", "ejabberd"],
];

/**
 * invoke-rc.d asks this script before a package's postinst starts a system
 * service; exit 101 means "not allowed". Without it ejabberd's (and
 * Prosody's) postinst starts a system server on 5222/5269/5280 of every
 * interface, which tests never use and a shared machine should not expose.
 */
export const POLICY_RC_D = "/usr/sbin/policy-rc.d";
export const POLICY_RC_D_SCRIPT =
  "#!/bin/sh\n# ensure_system_packages.ts: no service starts during the install\nexit 101\n";

/** Whether to put our policy-rc.d in place: never over someone else's. */
export function policyRcD(exists: boolean): "create" | "keep" {
  return exists ? "keep" : "create";
}

// apt-get must never stop at a debconf prompt when run unattended.
const INSTALL_ENV = { DEBIAN_FRONTEND: "noninteractive" };

export function missingPackages(
  exists: (path: string) => boolean,
): string[] {
  return SYSTEM_PACKAGES.filter((p) => !exists(p.probe)).map((p) => p.name);
}

export type Plan =
  | { readonly kind: "present" }
  | { readonly kind: "install"; readonly missing: readonly string[] }
  | { readonly kind: "fail"; readonly message: string };

export function plan(missing: readonly string[], isRoot: boolean): Plan {
  if (missing.length === 0) return { kind: "present" };
  if (isRoot) return { kind: "install", missing };
  return {
    kind: "fail",
    message: `Missing system packages: ${missing.join(", ")}.\n` +
      `Install them as root, then run again:\n  ${manualCommand()}`,
  };
}

export function manualCommand(): string {
  const [update, ...installs] = INSTALL_COMMANDS;
  return [
    `printf '#!/bin/sh\\nexit 101\\n' > ${POLICY_RC_D}`,
    `chmod 755 ${POLICY_RC_D}`,
    update.join(" "),
    ...installs.map((install) =>
      `DEBIAN_FRONTEND=noninteractive ${install.join(" ")}`
    ),
    `rm ${POLICY_RC_D}`,
  ].join(" && ");
}

function fileExists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

async function install(): Promise<void> {
  const created = policyRcD(fileExists(POLICY_RC_D)) === "create";
  if (created) {
    await Deno.writeTextFile(POLICY_RC_D, POLICY_RC_D_SCRIPT, { mode: 0o755 });
  }
  try {
    await runInstallCommands();
  } finally {
    if (created) await Deno.remove(POLICY_RC_D);
  }
}

async function runInstallCommands(): Promise<void> {
  for (const [command, ...args] of INSTALL_COMMANDS) {
    const status = await new Deno.Command(command, {
      args,
      env: INSTALL_ENV,
      stdin: "null",
    }).spawn().status;
    if (!status.success) {
      throw new Error(
        `${command} ${args.join(" ")} failed (code ${status.code})`,
      );
    }
  }
}

/** Returns the process exit code; prints one line when all is present. */
export async function ensureSystemPackages(): Promise<number> {
  const first = plan(missingPackages(fileExists), Deno.uid() === 0);
  switch (first.kind) {
    case "present":
      console.log(
        `system packages present: ${
          SYSTEM_PACKAGES.map((p) => p.name).join(", ")
        }`,
      );
      return 0;
    case "fail":
      console.error(first.message);
      return 1;
    case "install": {
      console.log(
        `installing missing system packages: ${first.missing.join(", ")}`,
      );
      await install();
      const still = missingPackages(fileExists);
      if (still.length === 0) return 0;
      console.error(`still missing after apt-get install: ${still.join(", ")}`);
      return 1;
    }
  }
}

if (import.meta.main) {
  Deno.exit(await ensureSystemPackages());
}
