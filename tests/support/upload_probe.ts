// Raw XEP-0363 HTTP File Upload exchanges for tests that look at what the
// chat servers answer, below the product's own upload code: a reply as it
// came, disco of the upload service (§3), a slot request and its slot (§4),
// and random bytes with their SHA-256.
import assert from "node:assert/strict";
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../../shared/xmpp/core/connection.ts";
import type { XmppClient } from "../../shared/xmpp/session/client.ts";

export const NS_UPLOAD = "urn:xmpp:http:upload:0";
const NS_DISCO_INFO = "http://jabber.org/protocol/disco#info";
const NS_DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
const NS_DATA = "jabber:x:data";

/**
 * Sends `iq` and resolves with the reply, result or error, as it came: the
 * raw error stanza is what the server tests record (the client's own iq()
 * maps it to a typed error).
 */
export function query(xmpp: XmppClient, iq: XmlElement): Promise<XmlElement> {
  const id = crypto.randomUUID();
  (iq.attrs as Record<string, string>).id = id;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      xmpp.removeListener("stanza", onStanza);
      reject(new Error(`no reply to ${iq}`));
    }, 10_000);
    const onStanza = (stanza: XmlElement) => {
      if (!stanza.is("iq") || stanza.attrs.id !== id) return;
      clearTimeout(timer);
      xmpp.removeListener("stanza", onStanza);
      resolve(stanza);
    };
    xmpp.on("stanza", onStanza);
    xmpp.send(iq).catch(reject);
  });
}

export function discoQuery(to: string, xmlns: string): XmlElement {
  return xml("iq", { type: "get", to }, xml("query", { xmlns }));
}

export function slotRequest(
  to: string,
  size: number,
  filename = "report 1.pdf",
  contentType = "application/pdf",
): XmlElement {
  return xml(
    "iq",
    { type: "get", to },
    xml("request", {
      xmlns: NS_UPLOAD,
      filename,
      size: String(size),
      "content-type": contentType,
    }),
  );
}

/** XEP-0363 §3: the item of disco#items whose disco#info has the feature. */
export async function findUploadService(
  xmpp: XmppClient,
  domain: string,
): Promise<{ jid: string; info: XmlElement }> {
  const items = await query(xmpp, discoQuery(domain, NS_DISCO_ITEMS));
  const jids = items.getChild("query", NS_DISCO_ITEMS)?.getChildren("item")
    .map((item) => item.attrs.jid ?? "") ?? [];
  for (const jid of jids) {
    const info = await query(xmpp, discoQuery(jid, NS_DISCO_INFO));
    const features = info.getChild("query", NS_DISCO_INFO)
      ?.getChildren("feature").map((feature) => feature.attrs.var) ?? [];
    if (features.includes(NS_UPLOAD)) return { jid, info };
  }
  throw new Error(`no upload service among ${jids.join(", ")}`);
}

/** XEP-0363 §3: `max-file-size` of the form whose FORM_TYPE is the namespace. */
export function uploadFormMaxSize(info: XmlElement): string | undefined {
  const forms = info.getChild("query", NS_DISCO_INFO)
    ?.getChildren("x", NS_DATA) ?? [];
  const fields = (form: XmlElement) => form.getChildren("field");
  const form = forms.find((form) =>
    fields(form).some((field) =>
      field.attrs.var === "FORM_TYPE" &&
      field.getChildText("value") === NS_UPLOAD
    )
  );
  if (form === undefined) return undefined;
  const field = fields(form).find((field) =>
    field.attrs.var === "max-file-size"
  );
  return field?.getChildText("value") ?? undefined;
}

export interface Slot {
  readonly put: string;
  readonly get: string;
  readonly headers: Record<string, string>;
}

/** XEP-0363 §4: the slot of a result. */
export function slotOf(reply: XmlElement): Slot {
  assert.equal(reply.attrs.type, "result", String(reply));
  const slot = reply.getChild("slot", NS_UPLOAD);
  const put = slot?.getChild("put");
  const get = slot?.getChild("get")?.attrs.url;
  assert.ok(put?.attrs.url && get, String(reply));
  const headers: Record<string, string> = {};
  for (const header of put.getChildren("header")) {
    headers[header.attrs.name ?? ""] = header.text();
  }
  return { put: put.attrs.url, get, headers };
}

/**
 * What another client does before it sends a link: asks `service` for a
 * slot (§4) and PUTs `bytes` to it (§6). Resolves with the GET URL.
 */
export async function uploadToSlot(
  xmpp: XmppClient,
  service: string,
  bytes: Uint8Array<ArrayBuffer>,
  name: string,
  type = "application/octet-stream",
): Promise<string> {
  const slot = slotOf(
    await query(xmpp, slotRequest(service, bytes.byteLength, name, type)),
  );
  const put = await fetch(slot.put, {
    method: "PUT",
    headers: { ...slot.headers, "Content-Type": type },
    body: bytes,
  });
  await put.body?.cancel();
  assert.equal(put.status, 201, `PUT ${name}`);
  return slot.get;
}

export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  // getRandomValues fills at most 65,536 bytes per call (Web Crypto §10.1.1).
  for (let at = 0; at < length; at += 65_536) {
    crypto.getRandomValues(bytes.subarray(at, at + 65_536));
  }
  return bytes;
}

export async function sha256Hex(
  bytes: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(
    new Uint8Array(digest),
    (byte) => byte.toString(16).padStart(2, "0"),
  ).join("");
}
