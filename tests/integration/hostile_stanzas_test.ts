// The raw-stanza bombs of the hostile-input corpus (issue 14 item 7)
// against ejabberd, the other server the product supports: how it answers
// them, and that it keeps serving. (Prosody's answers are recorded by
// tests/browser/hostile_corpus_test.ts, with the element watching.)
import assert from "node:assert/strict";
import { testUsers } from "../../scripts/servers/prosody.ts";
import { HOSTILE_STANZAS } from "../fixtures/hostile_stanzas.ts";
import {
  pingServer,
  rawPresence,
  rawSignIn,
  throwBombs,
} from "../support/hostile_stream.ts";
import { startServer } from "../support/xmpp_servers.ts";

// Left out: a stanza nested
// 10,000 deep, which makes ejabberd 23.01's node exit once it is delivered
// to an online recipient (see tests/fixtures/hostile_stanzas.ts).
Deno.test("raw XML bombs against ejabberd", async () => {
  await using server = await startServer("ejabberd", {
    users: testUsers(["alice", "bomber"]),
  });
  const target = { wsUrl: server.wsUrl, domain: server.domain };
  const alice = await rawSignIn(target, "alice");
  try {
    alice.send(rawPresence());
    const answers = await throwBombs(
      target,
      "bomber",
      `alice@${server.domain}`,
      HOSTILE_STANZAS.filter((bomb) => bomb.name !== "deep-nesting-10000"),
    );
    console.log(`ejabberd's answers:\n  ${answers.join("\n  ")}`);
    // RFC 6120 §11.1: a stream with a DOCTYPE is refused.
    assert.match(answers[0], /^billion-laughs-stream: stream closed/);
    await pingServer(alice, server.domain);
  } finally {
    alice.socket.close();
  }
});
