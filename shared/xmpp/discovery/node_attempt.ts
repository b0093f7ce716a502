// One sign-in attempt on one node, and the client it is made with: the
// attempt is bounded in time, and a failed one is stopped at once (nothing
// of an abandoned attempt is waited for). server_discovery.ts decides which
// node comes next.
import { seeOtherHostError } from "./redirect_policy.ts";
import {
  client,
  type ClientOptions,
  toXmppError,
  type XmppClient,
} from "../session/client.ts";
import type { XmlElement } from "../core/connection.ts";
import { TimeoutError, type XmppError } from "../core/errors.ts";

/** What discovery needs of a client; xmpp.js's Client has it. */
export interface DiscoveryClient {
  readonly status: string;
  /** Resolves once online; rejects with whatever "error" the client emits. */
  start(): Promise<unknown>;
  /** Ends the session gracefully (sign-out). */
  stop(): Promise<unknown>;
  /** Stops at once, without waiting for the server (an abandoned attempt). */
  abort(): void;
  on(event: "error", listener: (error: unknown) => void): unknown;
  removeListener(event: "error", listener: (error: unknown) => void): unknown;
}

export type Connect<C extends DiscoveryClient> = (service: string) => C;

/**
 * client() for each node, with a `see-other-host` stream error reported as
 * the failure of the attempt instead of followed: xmpp.js would follow it
 * itself (@xmpp/connection `_onSeeOtherHost`) without a bound or a check
 * of the host, and for an http(s) service it drops the BOSH path.
 * Discovery follows it, checked (redirect_policy.ts). The error is emitted
 * from the public `element` event, which xmpp.js fires right after it
 * started following: its follow waits for `disconnect` or `error`, so the
 * error ends it before it connects anywhere.
 */
export function connectWithClient(
  options: Omit<ClientOptions, "service">,
): Connect<XmppClient> {
  return function connectNode(service: string): XmppClient {
    const entity = client({ ...options, service });
    entity.on("element", (element: XmlElement) => {
      const redirect = seeOtherHostError(element);
      if (redirect) entity.emit("error", redirect);
    });
    return entity;
  };
}

export type NodeResult<C> =
  | { readonly client: C }
  | { readonly error: XmppError };

export async function attemptNode<C extends DiscoveryClient>(
  connect: Connect<C>,
  service: string,
  timeoutMs: number,
): Promise<NodeResult<C>> {
  let client: C;
  try {
    client = connect(service);
  } catch (error) {
    return { error: toXmppError(error) };
  }
  // start() rejects with each "error" the client emits while signing in; the
  // listener only keeps EventEmitter from throwing those errors instead. An
  // abandoned client keeps it: xmpp.js may still emit after the attempt
  // ended (its see-other-host follow re-emits the error that ended it).
  const onError = () => {};
  client.on("error", onError);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const error = await Promise.race([
    client.start().then(() => undefined, (err: unknown) => toXmppError(err)),
    new Promise<XmppError>((resolve) => {
      timer = setTimeout(
        () =>
          resolve(
            new TimeoutError(
              `The chat server at ${service} did not complete the sign-in within ${timeoutMs} ms.`,
            ),
          ),
        timeoutMs,
      );
    }),
  ]);
  clearTimeout(timer);
  if (error === undefined) {
    client.removeListener("error", onError);
    return { client };
  }
  // Nothing of an abandoned attempt is waited for: no stream close, no
  // BOSH terminate a frozen node would never answer (client_entity.ts).
  client.abort();
  return { error };
}

/** Stops `client` unless it is already down; what stopping threw, if anything. */
export async function closeClient(
  client: DiscoveryClient,
): Promise<XmppError | undefined> {
  if (client.status === "offline" || client.status === "disconnect") {
    return undefined;
  }
  try {
    await client.stop();
  } catch (error) {
    return toXmppError(error);
  }
  return undefined;
}
