// A long chat for the chat bench: messages of varying length sent
// back-to-back over WebSocket by a headless client, as fast as the server
// takes them (how fast the element takes them in is not a figure).
import { xml } from "@xmpp/xml";
import { client } from "../../shared/xmpp/session/client.ts";
import {
  type ChatBenchUser,
  type ChatFixture,
  DOMAIN,
  passwordOf,
} from "./chat_fixture.ts";

const WORDS = [
  "order",
  "refund",
  "account",
  "ticket",
  "customer",
  "invoice",
  "shipping",
  "escalate",
  "callback",
  "thanks",
  "confirmed",
  "tomorrow",
];

/** 3 to 30 words (one to several lines), every tenth with a link. */
function historyBody(i: number): string {
  const words = 3 + (i * 7919) % 28;
  const text = Array.from(
    { length: words },
    (_, k) => WORDS[(i + k * 5) % WORDS.length],
  ).join(" ");
  return i % 10 === 0 ? `${text} https://example.com/tickets/${i}` : text;
}

/** `count` messages `h0`… sent back-to-back over WebSocket. */
export async function fillHistory(
  fixture: ChatFixture,
  from: ChatBenchUser,
  to: string,
  count: number,
): Promise<void> {
  const sender = client({
    service: fixture.prosody.wsUrl,
    domain: DOMAIN,
    username: from.username,
    password: passwordOf(from),
  });
  await sender.start();
  try {
    const sends: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      sends.push(sender.send(
        xml(
          "message",
          { to, type: "chat", id: `h${i}` },
          xml("body", {}, historyBody(i)),
        ),
      ));
    }
    await Promise.all(sends);
  } finally {
    await sender.stop();
  }
}
