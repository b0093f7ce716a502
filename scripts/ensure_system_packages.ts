// Tests, benchmarks and `deno task dev` need a real Prosody with the
// community modules (mod_vjud for XEP-0055 search) and a Chromium for
// browser tests. A fresh Debian machine has none of them.

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
];

export const INSTALL_COMMANDS: readonly (readonly string[])[] = [
  ["apt-get", "update"],
  ["apt-get", "install", "-y", ...SYSTEM_PACKAGES.map((p) => p.name)],
];

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
  const [update, install] = INSTALL_COMMANDS;
  return `apt-get ${update.slice(1).join(" ")} && ` +
    `DEBIAN_FRONTEND=noninteractive ${install.join(" ")}`;
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
