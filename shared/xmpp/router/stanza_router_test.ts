import assert from "node:assert/strict";
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { StanzaError } from "../core/errors.ts";
import { answerFromReply, errorReply, NS_STANZAS } from "./iq_reply.ts";
import { createStanzaRouter } from "./stanza_router.ts";

const NS = "urn:example:thing";

function request(type: string, ...payload: XmlElement[]): XmlElement {
  return xml(
    "iq",
    { type, id: "q1", from: "peer@example.com/desk" },
    ...payload,
  );
}

/** Routes one stanza and returns every reply sent for it. */
async function route(
  router: ReturnType<typeof createStanzaRouter>,
  stanza: XmlElement,
): Promise<XmlElement[]> {
  const replies: XmlElement[] = [];
  await router.route(stanza, (reply) => {
    replies.push(reply);
    return Promise.resolve();
  });
  return replies;
}

function conditionOf(reply: XmlElement): string | undefined {
  return reply.getChild("error")?.getChildElements()[0]?.name;
}

Deno.test("stanza router: iq requests", async (t) => {
  await t.step("an async handler's payload is the one result", async () => {
    const router = createStanzaRouter();
    router.iq("get", NS, "thing", async (_iq, payload) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return xml("thing", { xmlns: NS, echo: payload.attrs.n });
    });
    const replies = await route(
      router,
      request("get", xml("thing", { xmlns: NS, n: "7" })),
    );
    assert.equal(replies.length, 1);
    const [reply] = replies;
    assert.deepEqual(reply.attrs, {
      type: "result",
      id: "q1",
      to: "peer@example.com/desk",
    });
    assert.equal(reply.getChild("thing", NS)?.attrs.echo, "7");
  });

  await t.step("nothing returned is an empty result", async () => {
    const router = createStanzaRouter();
    router.iq("set", NS, "thing", () => undefined);
    const [reply] = await route(
      router,
      request("set", xml("thing", { xmlns: NS })),
    );
    assert.equal(reply.attrs.type, "result");
    assert.equal(reply.children.length, 0);
  });

  await t.step("a StanzaError, thrown or returned, is the error", async () => {
    const router = createStanzaRouter();
    router.iq("get", NS, "thing", () => {
      throw new StanzaError("forbidden", "auth", "no", { text: "not you" });
    });
    router.iq(
      "set",
      NS,
      "thing",
      () => new StanzaError("not-acceptable", "modify", "no"),
    );
    const [thrown] = await route(
      router,
      request("get", xml("thing", { xmlns: NS })),
    );
    assert.equal(thrown.attrs.type, "error");
    assert.equal(thrown.attrs.id, "q1");
    assert.equal(thrown.getChild("error")?.attrs.type, "auth");
    assert.equal(conditionOf(thrown), "forbidden");
    assert.equal(
      thrown.getChild("error")?.getChildText("text", NS_STANZAS),
      "not you",
    );
    const [returned] = await route(
      router,
      request("set", xml("thing", { xmlns: NS })),
    );
    assert.equal(conditionOf(returned), "not-acceptable");
  });

  await t.step(
    "any other failure is internal-server-error, reported",
    async () => {
      const reported: unknown[] = [];
      const router = createStanzaRouter({ onError: (e) => reported.push(e) });
      router.iq(
        "get",
        NS,
        "thing",
        () => Promise.reject(new RangeError("bug")),
      );
      const [reply] = await route(
        router,
        request("get", xml("thing", { xmlns: NS })),
      );
      assert.equal(conditionOf(reply), "internal-server-error");
      assert.ok(reported[0] instanceof RangeError);
    },
  );

  await t.step(
    "RFC 6120 §8.4: unhandled get and set get service-unavailable",
    async () => {
      const router = createStanzaRouter();
      router.iq("get", NS, "thing", () => undefined);
      for (
        const stanza of [
          request("set", xml("thing", { xmlns: NS })), // handled for get only
          request("get", xml("thing", { xmlns: "urn:other" })),
          request("get", xml("other", { xmlns: NS })),
        ]
      ) {
        const replies = await route(router, stanza);
        assert.equal(replies.length, 1);
        assert.equal(conditionOf(replies[0]), "service-unavailable");
        assert.equal(replies[0].getChild("error")?.attrs.type, "cancel");
      }
    },
  );

  await t.step(
    "RFC 6120 §8.2.3: no payload or two is bad-request",
    async () => {
      const router = createStanzaRouter();
      router.iq("get", NS, "thing", () => undefined);
      const none = await route(router, request("get"));
      const two = await route(
        router,
        request(
          "get",
          xml("thing", { xmlns: NS }),
          xml("thing", { xmlns: NS }),
        ),
      );
      assert.equal(conditionOf(none[0]), "bad-request");
      assert.equal(conditionOf(two[0]), "bad-request");
    },
  );

  await t.step("replies to our requests are never answered", async () => {
    const router = createStanzaRouter();
    for (const type of ["result", "error"]) {
      assert.deepEqual(
        await route(router, request(type, xml("x", { xmlns: NS }))),
        [],
      );
    }
  });

  await t.step("no from: the reply has no to (RFC 6120 §8.1.2.1)", async () => {
    const router = createStanzaRouter();
    const [reply] = await route(
      router,
      xml(
        "iq",
        { type: "get", id: "s1" },
        xml("ping", { xmlns: "urn:xmpp:ping" }),
      ),
    );
    assert.equal(reply.attrs.to, undefined);
    assert.equal(reply.attrs.id, "s1");
  });

  await t.step(
    "unregister; a second handler for one key is refused",
    async () => {
      const router = createStanzaRouter();
      const off = router.iq("get", NS, "thing", () => undefined);
      assert.throws(
        () => router.iq("get", NS, "thing", () => undefined),
        TypeError,
      );
      off();
      const [reply] = await route(
        router,
        request("get", xml("thing", { xmlns: NS })),
      );
      assert.equal(conditionOf(reply), "service-unavailable");
      router.iq("get", NS, "thing", () => undefined);
    },
  );
});

Deno.test("stanza router: messages and presence", async (t) => {
  const chat = xml(
    "message",
    { type: "chat", from: "bob@example.com/a" },
    xml("body", {}, "hi"),
    xml("active", { xmlns: "http://jabber.org/protocol/chatstates" }),
  );
  const presence = xml("presence", { from: "bob@example.com/a" });

  await t.step("by child namespace, element, predicate, or all", async () => {
    const router = createStanzaRouter();
    const heard: string[] = [];
    router.message(
      { xmlns: "http://jabber.org/protocol/chatstates" },
      () => heard.push("ns"),
    );
    router.message({ name: "body" }, () => heard.push("body"));
    router.message(
      { name: "body", xmlns: "urn:other" },
      () => heard.push("wrong"),
    );
    router.message(
      { test: (s) => s.attrs.type === "chat" },
      () => heard.push("test"),
    );
    router.message({}, () => heard.push("all"));
    router.presence({}, () => heard.push("presence"));
    assert.deepEqual(await route(router, chat), []);
    assert.deepEqual(heard, ["ns", "body", "test", "all"]);
    heard.length = 0;
    await route(router, presence);
    assert.deepEqual(heard, ["presence"]);
  });

  await t.step("handlers have run when route returns", () => {
    const router = createStanzaRouter();
    let heard = 0;
    router.presence({}, () => heard++);
    void router.route(presence, () => Promise.resolve());
    assert.equal(heard, 1);
  });

  await t.step(
    "a failing handler does not keep the stanza from others",
    async () => {
      const reported: unknown[] = [];
      const router = createStanzaRouter({ onError: (e) => reported.push(e) });
      let heard = 0;
      router.message({}, () => {
        throw new Error("boom");
      });
      router.message({}, () => heard++);
      await route(router, chat);
      assert.equal(heard, 1);
      assert.equal(reported.length, 1);
    },
  );

  await t.step("unregister one of two identical registrations", async () => {
    const router = createStanzaRouter();
    let heard = 0;
    const handler = () => heard++;
    const off = router.presence({}, handler);
    router.presence({}, handler);
    off();
    await route(router, presence);
    assert.equal(heard, 1);
  });
});

Deno.test("answerFromReply: a pure handler's reply as the router's answer", () => {
  const iq = request("set", xml("query", { xmlns: "jabber:iq:roster" }));
  assert.equal(
    answerFromReply(xml("iq", { type: "result", id: "q1" })),
    undefined,
  );
  const error = answerFromReply(errorReply(iq, "bad-request", "modify", "why"));
  assert.ok(error instanceof StanzaError);
  assert.equal(error.condition, "bad-request");
  assert.equal(error.type, "modify");
  assert.equal(error.text, "why");
});
