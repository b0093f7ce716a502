// XEP-0363 §3 discovery on scripted disco answers: the item that lists the
// feature, the domain itself, none, an item that fails, a domain that does.
import assert from "node:assert/strict";
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { StanzaError, TimeoutError } from "../core/errors.ts";
import { findUploadService } from "./upload_lookup.ts";
import { NS_HTTP_UPLOAD } from "./upload_slot.ts";

const NS_DISCO_INFO = "http://jabber.org/protocol/disco#info";
const NS_DISCO_ITEMS = "http://jabber.org/protocol/disco#items";

function items(...jids: string[]): XmlElement {
  return xml(
    "iq",
    { type: "result" },
    xml(
      "query",
      { xmlns: NS_DISCO_ITEMS },
      ...jids.map((jid) => xml("item", { jid })),
    ),
  );
}

function info(...features: string[]): XmlElement {
  return xml(
    "iq",
    { type: "result" },
    xml(
      "query",
      { xmlns: NS_DISCO_INFO },
      ...features.map((ns) => xml("feature", { var: ns })),
    ),
  );
}

/** Answers by (to, namespace); an Error value is thrown. */
function scripted(answers: Record<string, XmlElement | Error>) {
  const asked: string[] = [];
  const ask = (request: XmlElement) => {
    const key = `${request.attrs.to} ${
      request.getChild("query")?.attrs.xmlns === NS_DISCO_ITEMS
        ? "items"
        : "info"
    }`;
    asked.push(key);
    const answer = answers[key] ??
      new StanzaError("service-unavailable", "cancel", "no");
    return answer instanceof Error
      ? Promise.reject(answer)
      : Promise.resolve(answer);
  };
  return { ask, asked };
}

Deno.test("the item listing XEP-0363 is the upload service", async () => {
  const { ask, asked } = scripted({
    "example.com items": items("conference.example.com", "upload.example.com"),
    "example.com info": info("jabber:iq:version"),
    "conference.example.com info": new TimeoutError("slow"),
    "upload.example.com info": info(NS_HTTP_UPLOAD),
  });
  assert.deepEqual(await findUploadService(ask, "example.com"), {
    jid: "upload.example.com",
  });
  assert.deepEqual(asked.sort(), [
    "conference.example.com info",
    "example.com info",
    "example.com items",
    "upload.example.com info",
  ]);
});

Deno.test("a domain that serves uploads itself is found", async () => {
  const { ask } = scripted({
    "example.com items": items(),
    "example.com info": info(NS_HTTP_UPLOAD),
  });
  assert.deepEqual(await findUploadService(ask, "example.com"), {
    jid: "example.com",
  });
});

Deno.test("no service listed is undefined; a failed items query rejects", async () => {
  const none = scripted({
    "example.com items": items("muc.example.com"),
    "muc.example.com info": info("http://jabber.org/protocol/muc"),
  });
  assert.equal(await findUploadService(none.ask, "example.com"), undefined);
  const down = scripted({ "example.com items": new TimeoutError("slow") });
  await assert.rejects(
    findUploadService(down.ask, "example.com"),
    TimeoutError,
  );
});
