import { Hono } from "hono";

export interface Health {
  status: "ok";
}

/** Liveness probe for the load balancer: answers while the process serves requests. */
export function healthzRoutes(): Hono {
  return new Hono().get("/healthz", (c) => c.json<Health>({ status: "ok" }));
}
