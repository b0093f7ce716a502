// What a roster bench signs into: the real service serving the shell page
// with freshly built bundles, a loopback Prosody whose agents have rosters
// of 50 to 5,000 contacts written straight into its storage, and chat-server
// settings saved through the administrator API, as an administrator would.
import { join } from "node:path";
import type { BuildManifest } from "../../routes/bundle_manifest.ts";
import { buildBundles } from "../../scripts/build.ts";
import {
  type RunningService,
  startService,
} from "../../tests/support/browser.ts";
import { putChatServerSettings } from "../../tests/support/chat_settings.ts";
import {
  PROSODY_DEFAULT_ITERATIONS,
  type ProsodyServer,
  type RosterItem,
  startProsody,
} from "../../scripts/servers/prosody.ts";

const GROUPS: readonly string[] = [
  "Billing",
  "Claims",
  "Customer Care",
  "Escalations",
  "Field Service",
  "Finance",
  "Fraud Prevention",
  "Human Resources",
  "IT Help Desk",
  "Logistics",
  "Onboarding",
  "Orders",
  "Quality Assurance",
  "Retention",
  "Returns",
  "Sales East",
  "Sales West",
  "Supervisors",
  "Technical Support",
  "Training",
];

// 60 given names × 89 family names: 89 is prime, so contact i's pair
// (i mod 60, i mod 89) is unique for i < 5,340 (Chinese remainder theorem)
// and every prefix of the roster mixes many names.
const GIVEN = [
  "Aaliyah",
  "Aaron",
  "Abigail",
  "Adam",
  "Aisha",
  "Alejandro",
  "Amelia",
  "Ana",
  "Andrew",
  "Anjali",
  "Benjamin",
  "Camila",
  "Carlos",
  "Charlotte",
  "Chen",
  "Chloe",
  "Daniel",
  "David",
  "Diego",
  "Elena",
  "Elijah",
  "Emily",
  "Emma",
  "Fatima",
  "Gabriel",
  "Grace",
  "Hannah",
  "Hiroshi",
  "Isabella",
  "Ivan",
  "Jacob",
  "James",
  "Jasmine",
  "Jessica",
  "Jose",
  "Julia",
  "Kevin",
  "Layla",
  "Liam",
  "Lucas",
  "Maria",
  "Mateo",
  "Mei",
  "Mia",
  "Michael",
  "Mohammed",
  "Natalia",
  "Noah",
  "Olivia",
  "Omar",
  "Priya",
  "Rahul",
  "Sakura",
  "Samuel",
  "Sofia",
  "Sophie",
  "Thomas",
  "Valentina",
  "William",
  "Zoe",
];

const FAMILY = [
  "Adams",
  "Ahmed",
  "Allen",
  "Alvarez",
  "Anderson",
  "Bailey",
  "Baker",
  "Bennett",
  "Brooks",
  "Brown",
  "Campbell",
  "Carter",
  "Castillo",
  "Chen",
  "Clark",
  "Collins",
  "Cook",
  "Cooper",
  "Cruz",
  "Davis",
  "Diaz",
  "Edwards",
  "Evans",
  "Fischer",
  "Flores",
  "Garcia",
  "Gomez",
  "Gonzalez",
  "Gray",
  "Green",
  "Gupta",
  "Hall",
  "Harris",
  "Hernandez",
  "Hill",
  "Hughes",
  "Ito",
  "Jackson",
  "Johnson",
  "Jones",
  "Kaur",
  "Kelly",
  "Khan",
  "Kim",
  "King",
  "Kowalski",
  "Lee",
  "Lewis",
  "Lopez",
  "Martin",
  "Martinez",
  "Miller",
  "Mitchell",
  "Moore",
  "Morales",
  "Morgan",
  "Murphy",
  "Nakamura",
  "Nelson",
  "Nguyen",
  "Novak",
  "Ortiz",
  "Park",
  "Patel",
  "Perez",
  "Peterson",
  "Phillips",
  "Ramirez",
  "Reed",
  "Reyes",
  "Richardson",
  "Rivera",
  "Roberts",
  "Robinson",
  "Rodriguez",
  "Rossi",
  "Sanchez",
  "Schmidt",
  "Scott",
  "Singh",
  "Smith",
  "Stewart",
  "Taylor",
  "Thompson",
  "Torres",
  "Walker",
  "White",
  "Williams",
  "Wilson",
];

const MAX_CONTACTS = GIVEN.length * FAMILY.length;

/**
 * The first `count` contacts of a deterministic population spread over the
 * 20 GROUPS, each with a display name. They need not be accounts: a roster
 * may name any JID, and the element shows them offline. They get no vCards:
 * the element reads none for contacts, and mod_vjud's directory ("all" mode)
 * lists accounts only.
 */
export function contacts(count: number): RosterItem[] {
  if (count > MAX_CONTACTS) {
    throw new RangeError(`at most ${MAX_CONTACTS} distinct contacts`);
  }
  return Array.from({ length: count }, (_, i) => {
    const given = GIVEN[i % GIVEN.length];
    const family = FAMILY[i % FAMILY.length];
    return {
      // startProsody's domain.
      jid: `${given}.${family}@localhost`.toLowerCase(),
      name: `${given} ${family}`,
      groups: [GROUPS[i % GROUPS.length]],
      subscription: "both",
    };
  });
}

/** An agent whose roster holds the first `contacts` contacts. */
export interface BenchAgent {
  readonly username: string;
  readonly password: string;
  readonly contacts: number;
}

export function benchAgent(contacts: number): BenchAgent {
  return {
    username: `agent${contacts}`,
    password: `agent${contacts}-pw`,
    contacts,
  };
}

export interface RosterFixture extends AsyncDisposable {
  readonly service: RunningService;
  readonly prosody: ProsodyServer;
  /** The bundles the service serves, and their manifest. */
  readonly distDir: string;
  readonly manifest: BuildManifest;
  /** How long writing the accounts and rosters and starting Prosody took. */
  readonly prosodyStartMs: number;
}

/**
 * Builds the bundles once and serves exactly those (so a bench measures the
 * bytes the browser loads), then starts Prosody for `agents` at Prosody's
 * default 10,000 SCRAM iterations (the product must be fast at the default)
 * and points the primary chat server at its BOSH endpoint.
 */
export async function startRosterFixture(
  agents: readonly BenchAgent[],
): Promise<RosterFixture> {
  await using stack = new AsyncDisposableStack();
  const dir = await Deno.makeTempDir({ prefix: "roster-bench-" });
  stack.defer(() => Deno.remove(dir, { recursive: true }));
  const distDir = join(dir, "dist");
  const manifest = await buildBundles({ outDir: distDir });
  const service = await startService({
    config: { build: "never", distDir, xmppDomain: "localhost" },
  });
  stack.defer(() => service.stop());
  const population = contacts(Math.max(...agents.map((a) => a.contacts)));
  const started = performance.now();
  const prosody = await startProsody({
    users: agents.map(({ username, password }) => ({ username, password })),
    roster: Object.fromEntries(
      agents.map((agent) => [
        agent.username,
        population.slice(0, agent.contacts),
      ]),
    ),
    iterationCount: PROSODY_DEFAULT_ITERATIONS,
    corsOrigins: [service.origin],
  });
  const prosodyStartMs = performance.now() - started;
  stack.defer(() => prosody.stop());
  await putChatServerSettings(service, { primary: prosody.boshUrl });
  const owned = stack.move();
  return {
    service,
    prosody,
    distDir,
    manifest,
    prosodyStartMs,
    [Symbol.asyncDispose]: () => owned.disposeAsync(),
  };
}
