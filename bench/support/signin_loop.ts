// Sign in and sign out again and again, as agents do at every shift change,
// and time each (issue 12: 100 in a row over BOSH on each server, all
// online, each sign-in under 1 s and each sign-out under 500 ms). Imports
// only the headless client, so it runs in Deno and bundles for the page.
import { client } from "../../shared/xmpp/session/client.ts";

export interface SignInLoopConfig {
  service: string;
  domain: string;
  username: string;
  password: string;
  runs: number;
}

export interface SignInLoopResult {
  /** Milliseconds from start() to online, per sign-in that came online. */
  signIn: number[];
  /** Milliseconds from stop() to its end, per sign-out. */
  signOut: number[];
  /** The error of each sign-in that did not come online. */
  failures: string[];
}

export async function signInLoop(
  config: SignInLoopConfig,
): Promise<SignInLoopResult> {
  const result: SignInLoopResult = { signIn: [], signOut: [], failures: [] };
  for (let run = 0; run < config.runs; run++) {
    const xmpp = client(config);
    const t0 = performance.now();
    try {
      await xmpp.start();
    } catch (err) {
      result.failures.push(String(err));
      xmpp.abort();
      continue;
    }
    result.signIn.push(performance.now() - t0);
    const t1 = performance.now();
    await xmpp.stop();
    result.signOut.push(performance.now() - t1);
  }
  return result;
}
