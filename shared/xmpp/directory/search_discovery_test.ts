// Finding the directory through disco (XEP-0030), with scripted answers:
// "no directory" only when every answer says so.
import assert from "node:assert/strict";
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { StanzaError, TimeoutError } from "../core/errors.ts";
import {
  findSearchService,
  NoDirectoryError,
  NS_DISCO_INFO,
  NS_DISCO_ITEMS,
} from "./search_discovery.ts";
import { NS_SEARCH } from "./search_legacy.ts";

type Answer = XmlElement | Error;

/** Answers each disco request from a table keyed by "to xmlns". */
function scripted(table: Record<string, Answer>) {
  const asked: string[] = [];
  const ask = (request: XmlElement) => {
    const query = request.getChildElements()[0];
    const key = `${request.attrs.to} ${query.attrs.xmlns}`;
    asked.push(key);
    const answer = table[key];
    assert.ok(answer, `unexpected request ${key}`);
    return answer instanceof Error
      ? Promise.reject(answer)
      : Promise.resolve(xml("iq", { type: "result" }, answer));
  };
  return { ask, asked };
}

const info = (...features: string[]) =>
  xml(
    "query",
    { xmlns: NS_DISCO_INFO },
    ...features.map((f) => xml("feature", { var: f })),
  );
const items = (...jids: string[]) =>
  xml(
    "query",
    { xmlns: NS_DISCO_ITEMS },
    ...jids.map((jid) => xml("item", { jid })),
  );
const INFO = `x ${NS_DISCO_INFO}`;
const ITEMS = `x ${NS_DISCO_ITEMS}`;

Deno.test("directory discovery", async (t) => {
  await t.step("the host itself (mod_vjud)", async () => {
    const { ask, asked } = scripted({ [INFO]: info(NS_SEARCH) });
    assert.equal(await findSearchService(ask, "x"), "x");
    assert.deepEqual(asked, [INFO]);
  });

  await t.step("an item (vjud.<domain>), after one that errs", async () => {
    const { ask } = scripted({
      [INFO]: info(NS_DISCO_INFO),
      [ITEMS]: items("proxy.x", "vjud.x"),
      [`proxy.x ${NS_DISCO_INFO}`]: new StanzaError(
        "item-not-found",
        "cancel",
        "no",
      ),
      [`vjud.x ${NS_DISCO_INFO}`]: info(NS_SEARCH),
    });
    assert.equal(await findSearchService(ask, "x"), "vjud.x");
  });

  await t.step("every item answered, none searches: no directory", async () => {
    const { ask } = scripted({
      [INFO]: info(NS_DISCO_INFO),
      [ITEMS]: items("proxy.x", "muc.x"),
      [`proxy.x ${NS_DISCO_INFO}`]: new StanzaError(
        "remote-server-not-found",
        "cancel",
        "no",
      ),
      [`muc.x ${NS_DISCO_INFO}`]: info("http://jabber.org/protocol/muc"),
    });
    await assert.rejects(
      findSearchService(ask, "x"),
      (err: unknown) =>
        err instanceof NoDirectoryError &&
        err.condition === "service-unavailable",
    );
  });

  await t.step("an item that did not answer: its failure, worded", async () => {
    const { ask } = scripted({
      [INFO]: info(NS_DISCO_INFO),
      [ITEMS]: items("muc.x", "vjud.x"),
      [`muc.x ${NS_DISCO_INFO}`]: info("http://jabber.org/protocol/muc"),
      [`vjud.x ${NS_DISCO_INFO}`]: new TimeoutError("no answer"),
    });
    await assert.rejects(
      findSearchService(ask, "x"),
      (err: unknown) =>
        err instanceof TimeoutError && !(err instanceof NoDirectoryError) &&
        err.message.includes("vjud.x"),
    );
  });

  await t.step("the host did not answer: a TimeoutError", async () => {
    const { ask } = scripted({ [INFO]: new TimeoutError("no answer") });
    await assert.rejects(
      findSearchService(ask, "x"),
      (err: unknown) =>
        err instanceof TimeoutError && err.message.includes("(x)"),
    );
  });

  await t.step("the host refused disco#items: that error", async () => {
    const { ask } = scripted({
      [INFO]: info(),
      [ITEMS]: new StanzaError("forbidden", "auth", "no"),
    });
    await assert.rejects(
      findSearchService(ask, "x"),
      (err: unknown) =>
        err instanceof StanzaError && !(err instanceof NoDirectoryError) &&
        err.condition === "forbidden",
    );
  });
});
