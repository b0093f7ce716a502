/**
 * A loopback port nothing listens on right now: the address of a chat server
 * that is down. Bound and released, so it is free unless another process
 * takes it in between, which tests on loopback can live with.
 */
export function unusedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}
