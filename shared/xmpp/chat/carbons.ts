// XEP-0280 §4: asking the server for carbons of the agent's other clients'
// messages. The copies themselves are read by chat_incoming.ts.
import type { Signal } from "@preact/signals-core";
import { asXmppError } from "../core/connection.ts";
import type { XmppError } from "../core/errors.ts";
import type { RoutedConnection } from "../router/routed_connection.ts";
import { enableCarbonsStanza } from "./chat_stanzas.ts";

/** off: not asked; on: the server copies; unavailable: it refused or failed. */
export type CarbonsStatus = "off" | "enabling" | "on" | "unavailable";

/** Never rejects: without carbons the chat still works. */
export async function enableCarbons(
  connection: RoutedConnection,
  timeoutMs: number,
  status: Signal<CarbonsStatus>,
  onError: (error: XmppError) => void,
): Promise<void> {
  status.value = "enabling";
  try {
    await connection.iq(enableCarbonsStanza(), timeoutMs);
    status.value = "on";
  } catch (error) {
    // XEP-0280 §4: a server without carbons answers with an error; the
    // agent is not bothered with it, the console keeps a line.
    status.value = "unavailable";
    onError(asXmppError(error));
  }
}
