// What the chat bench signs into: the real service serving the shell page
// with freshly built bundles, a bench page holding a bare headless client
// (transport_idle_page.ts: the transport alone, and the senders of bursts),
// and one loopback Prosody that both may call cross-origin. The agents whose
// windows are measured have each other (or their senders) in their rosters,
// so the element shows them online and their names in the chat headers.
import { join } from "node:path";
import { buildBundles } from "../../scripts/build.ts";
import {
  type RunningService,
  startService,
} from "../../tests/support/browser.ts";
import { putChatServerSettings } from "../../tests/support/chat_settings.ts";
import {
  type ProsodyServer,
  type RosterItem,
  startProsody,
  testUsers,
} from "../../scripts/servers/prosody.ts";
import {
  type BenchPageServer,
  classicScript,
  serveBenchPage,
} from "./bench_page.ts";

/** An account of the fixture; its password is `<username>-pw`. */
export interface ChatBenchUser {
  readonly username: string;
  /** The name other agents' rosters give it (the chat header shows it). */
  readonly name: string;
}

const user = (username: string, name: string): ChatBenchUser => ({
  username,
  name,
});

/**
 * message_to_paint: alice types, bob watches. The transport alone: ta → tb
 * on bare clients. Bursts: erin sends to dave; carol fills dave's long chat.
 */
export const USERS = {
  alice: user("alice", "Alice Adams"),
  bob: user("bob", "Bob Brown"),
  ta: user("ta", "Transport A"),
  tb: user("tb", "Transport B"),
  carol: user("carol", "Carol Chen"),
  dave: user("dave", "Dave Diaz"),
  erin: user("erin", "Erin Evans"),
} as const;

export const DOMAIN = "localhost";

export function jidOf(u: ChatBenchUser): string {
  return `${u.username}@${DOMAIN}`;
}

export function passwordOf(u: ChatBenchUser): string {
  return `${u.username}-pw`;
}

function contact(u: ChatBenchUser): RosterItem {
  return {
    jid: jidOf(u),
    name: u.name,
    groups: ["Agents"],
    subscription: "both",
  };
}

export interface ChatFixture extends AsyncDisposable {
  readonly service: RunningService;
  readonly prosody: ProsodyServer;
  /** Serves transport_idle_page.ts (the bare client) and `/clock`. */
  readonly benchPage: BenchPageServer;
  /** chat_probe.ts as one classic script, for addInitScript. */
  readonly probe: string;
}

export interface ChatFixtureOptions {
  /**
   * false: readable function names in traces (chat_profile.ts); the figures
   * are taken on the minified bundles an agent's browser loads.
   */
  readonly minify?: boolean;
}

export async function startChatFixture(
  options: ChatFixtureOptions = {},
): Promise<ChatFixture> {
  await using stack = new AsyncDisposableStack();
  const dir = await Deno.makeTempDir({ prefix: "chat-bench-" });
  stack.defer(() => Deno.remove(dir, { recursive: true }));
  const distDir = join(dir, "dist");
  await buildBundles({ outDir: distDir, minify: options.minify ?? true });
  const probe = await classicScript("bench/support/chat_probe.ts");
  const benchPage = stack.use(
    await serveBenchPage("bench/transport_idle_page.ts"),
  );
  const service = await startService({
    config: { build: "never", distDir, xmppDomain: DOMAIN },
  });
  stack.defer(() => service.stop());
  const { alice, bob, carol, erin } = USERS;
  const prosody = await startProsody({
    users: testUsers(Object.values(USERS).map((u) => u.username)),
    roster: {
      alice: [contact(bob)],
      bob: [contact(alice)],
      dave: [contact(carol), contact(erin)],
    },
    corsOrigins: [service.origin, benchPage.origin],
  });
  stack.defer(() => prosody.stop());
  await putChatServerSettings(service, { primary: prosody.boshUrl });
  const owned = stack.move();
  return {
    service,
    prosody,
    benchPage,
    probe,
    [Symbol.asyncDispose]: () => owned.disposeAsync(),
  };
}
