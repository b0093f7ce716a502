// The Prosody behind `deno task dev`: BOSH and WebSocket on the well-known
// 127.0.0.1:5280, XEP-0363 file upload at upload.localhost (slot URLs on the
// same origin, http://127.0.0.1:5280/file_share/…), data kept in
// .data/dev-prosody/ between runs, and a small call-centre team to sign in as.

import { fileURLToPath } from "node:url";
import {
  PROSODY_DEFAULT_ITERATIONS,
  type ProsodyServer,
  type RosterItem,
  startProsody,
  type Vcard,
} from "./servers/prosody.ts";
import { defaultSettings } from "../shared/settings/settings_schema.ts";

export type DemoRole = "agent" | "supervisor";

export interface DemoUser {
  readonly username: string;
  readonly password: string;
  readonly name: string;
  readonly role: DemoRole;
}

export interface DevProsody {
  readonly server: ProsodyServer;
  readonly users: readonly DemoUser[];
}

export const DEV_HTTP_PORT = 5280;

export const DEV_DATA_DIR = fileURLToPath(
  new URL("../.data/dev-prosody/", import.meta.url),
);

export const DEMO_USERS: readonly DemoUser[] = [
  {
    username: "alice",
    password: "alice123",
    name: "Alice Anders",
    role: "agent",
  },
  { username: "bob", password: "bob123", name: "Bob Brown", role: "agent" },
  {
    username: "carol",
    password: "carol123",
    name: "Carol Chen",
    role: "agent",
  },
  {
    username: "sam",
    password: "sam123",
    name: "Sam Sullivan",
    role: "supervisor",
  },
];

const GROUP: Record<DemoRole, string> = {
  agent: "Agents",
  supervisor: "Supervisors",
};

/**
 * Accounts are rewritten on every start so the demo passwords always work;
 * rosters and vCards are only written when missing, so contacts changed
 * through the app survive a restart. Delete .data/dev-prosody/ to reset.
 */
export async function startDevProsody(): Promise<DevProsody> {
  assertPortFree(DEV_HTTP_PORT);
  await Deno.mkdir(DEV_DATA_DIR, { recursive: true });
  const server = await startProsody({
    httpPort: DEV_HTTP_PORT,
    dataDir: DEV_DATA_DIR,
    users: DEMO_USERS,
    roster: demoRosters(DEMO_USERS),
    vcards: demoVcards(DEMO_USERS),
    keepExisting: ["roster", "vcard"],
    // Dev runs at Prosody's default cost, as production does; only tests
    // lower it (see TEST_ITERATIONS).
    iterationCount: PROSODY_DEFAULT_ITERATIONS,
    // The server's limit is the settings' default attachment limit; an
    // administrator who raises that in /admin must raise the server's too.
    uploadMaxBytes: defaultSettings().attachments.maxBytes,
  });
  return { server, users: DEMO_USERS };
}

/** Everyone has everyone else, grouped by role, with mutual presence. */
export function demoRosters(
  users: readonly DemoUser[],
): Record<string, RosterItem[]> {
  return Object.fromEntries(users.map((owner) => [
    owner.username,
    users.filter((other) => other !== owner).map((other) => ({
      jid: `${other.username}@localhost`,
      name: other.name,
      groups: [GROUP[other.role]],
      subscription: "both" as const,
    })),
  ]));
}

export function demoVcards(
  users: readonly DemoUser[],
): Record<string, Vcard> {
  return Object.fromEntries(users.map((user) => {
    const [given, ...rest] = user.name.split(" ");
    const vcard: Vcard = {
      fn: user.name,
      nick: user.username,
      given,
      family: rest.join(" "),
      email: `${user.username}@example.com`,
    };
    return [user.username, vcard];
  }));
}

// Prosody keeps running when its port is taken (it only logs an error), so
// check first and say what to do.
function assertPortFree(port: number): void {
  let listener: Deno.TcpListener;
  try {
    listener = Deno.listen({ hostname: "127.0.0.1", port });
  } catch (error) {
    if (!(error instanceof Deno.errors.AddrInUse)) throw error;
    throw new Error(
      `Port ${port} on 127.0.0.1 is already in use; the dev Prosody needs it ` +
        `for BOSH and WebSocket. Stop whatever listens there ` +
        `(see \`ss -ltnp 'sport = :${port}'\`) and run again.`,
      { cause: error },
    );
  }
  listener.close();
}

if (import.meta.main) {
  const { server, users } = await startDevProsody();
  console.log(`Prosody: ${server.boshUrl} and ${server.wsUrl}`);
  console.log(`  file upload (XEP-0363): ${server.uploadJid}`);
  for (const user of users) {
    console.log(
      `  ${user.username}@${server.domain} / ${user.password} (${user.role})`,
    );
  }
  const stopped = Promise.withResolvers<void>();
  const onSignal = () => stopped.resolve();
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  await stopped.promise;
  Deno.removeSignalListener("SIGINT", onSignal);
  Deno.removeSignalListener("SIGTERM", onSignal);
  await server.stop();
}
