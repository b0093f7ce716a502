// What the chat servers' XEP-0363 HTTP File Upload services answer, in
// every cell of the matrix: the upload service found through disco (§3),
// a slot (§4), the bytes PUT and read back over plain HTTP with the CORS
// headers a page on another origin needs, and the §5 refusal of a file over
// the limit. The client is built to the XEP; the server-specific shapes
// asserted here are the facts it meets (issue 15, item 6).
//
// Observed (Prosody 0.12.3 mod_http_file_share, ejabberd 23.01
// mod_http_upload, as configured by scripts/servers/prosody_config.ts and
// tests/support/ejabberd_config.ts):
// - disco#items of `localhost` lists `upload.localhost` (ejabberd also
//   `vjud.localhost`). Its disco#info: identity store/file "HTTP File
//   Upload", feature urn:xmpp:http:upload:0 and a jabber:x:data result form
//   (FORM_TYPE urn:xmpp:http:upload:0, `max-file-size` the limit in bytes).
//   ejabberd also lists urn:xmpp:http:upload, eu:siacs:conversations:http:upload
//   and vcard-temp, with a second form for the old namespace and a third,
//   empty http://jabber.org/network/serverinfo one.
// - Slot URLs, GET = PUT, on the BOSH origin http://127.0.0.1:<httpPort>:
//   Prosody `/file_share/<24-char slot id>/<filename percent-encoded>` with
//   one PUT header, `Authorization: Bearer <JWT>` (valid 300 s); ejabberd
//   `/upload/<sha1 of the bare JID>/<40 alphanumerics>/<filename, spaces as
//   underscores, percent-encoded>` with no header.
// - CORS, Origin of another port: Prosody echoes the Origin in
//   Access-Control-Allow-Origin, Allow-Methods GET, PUT, OPTIONS,
//   Allow-Headers Authorization, Content-Type, Max-Age 7200, on the OPTIONS
//   preflight (200, empty) and on PUT and GET. ejabberd sends no CORS header
//   of its own (OPTIONS: 200 with `Allow: OPTIONS, HEAD, GET, PUT` only); the
//   harness's `custom_headers` add Allow-Origin `*`, Allow-Methods
//   GET, HEAD, PUT, OPTIONS and Allow-Headers Content-Type to every response.
// - PUT: 201 on both (ejabberd's body "Upload successful."). A body of
//   another length than the slot's: 413 on both; a second PUT of a used
//   slot: Prosody 409, ejabberd 403.
// - GET: 200 with the bytes, Content-Length, Content-Type (Prosody: the
//   slot's content-type; ejabberd: guessed from the file extension) and
//   Content-Disposition `attachment` for a PDF (not exposed to a
//   cross-origin page; the client must not rely on it).
// - Over the limit, the iq error (both `modify`/`not-acceptable` with the
//   §5 application element, in a different order):
//   Prosody `<not-acceptable/><text>File too large</text><file-too-large
//   xmlns='urn:xmpp:http:upload:0'><max-file-size>N</max-file-size>
//   </file-too-large>`; ejabberd `<file-too-large …><max-file-size>N
//   </max-file-size></file-too-large><not-acceptable/><text xml:lang='en'>
//   File larger than N bytes</text>`.
import assert from "node:assert/strict";
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../../shared/xmpp/core/connection.ts";
import type { XmppClient } from "../../shared/xmpp/session/client.ts";
import {
  type Cell,
  cellClient,
  matrixTest,
  type ServerKind,
  testUsers,
} from "../support/xmpp_servers.ts";

const NS_UPLOAD = "urn:xmpp:http:upload:0";
const NS_DISCO_INFO = "http://jabber.org/protocol/disco#info";
const NS_DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
const NS_DATA = "jabber:x:data";
const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

/** Room for the 5 MB file, and a limit neither server has by default. */
const MAX_BYTES = 6 * 1024 * 1024;
const FILE_BYTES = 5 * 1024 * 1024;
/** The desktop service's page: another port than the chat server's. */
const PAGE_ORIGIN = "http://127.0.0.1:8000";

/** The server-specific facts of the header comment, as assertions. */
const EXPECTED: Record<ServerKind, {
  readonly path: RegExp;
  readonly putHeaders: readonly string[];
  readonly allowOrigin: string;
}> = {
  prosody: {
    path: /^\/file_share\/[\w-]+\/report%201\.pdf$/,
    putHeaders: ["Authorization"],
    allowOrigin: PAGE_ORIGIN,
  },
  ejabberd: {
    path: /^\/upload\/[0-9a-f]{40}\/[A-Za-z0-9]+\/report_1\.pdf$/,
    putHeaders: [],
    allowOrigin: "*",
  },
};

/**
 * Sends `iq` and resolves with the reply, result or error, as it came: the
 * raw error stanza is what this test records (the client's own iq() maps it
 * to a typed error).
 */
function query(xmpp: XmppClient, iq: XmlElement): Promise<XmlElement> {
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

function discoQuery(to: string, xmlns: string): XmlElement {
  return xml("iq", { type: "get", to }, xml("query", { xmlns }));
}

function slotRequest(to: string, size: number): XmlElement {
  return xml(
    "iq",
    { type: "get", to },
    xml("request", {
      xmlns: NS_UPLOAD,
      filename: "report 1.pdf",
      size: String(size),
      "content-type": "application/pdf",
    }),
  );
}

/** XEP-0363 §3: the item of disco#items whose disco#info has the feature. */
async function findUploadService(
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
function maxFileSize(info: XmlElement): string | undefined {
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

interface Slot {
  readonly put: string;
  readonly get: string;
  readonly headers: Record<string, string>;
}

/** XEP-0363 §4: the slot of a result. */
function slotOf(reply: XmlElement): Slot {
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

function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  // getRandomValues fills at most 65,536 bytes per call (Web Crypto §10.1.1).
  for (let at = 0; at < length; at += 65_536) {
    crypto.getRandomValues(bytes.subarray(at, at + 65_536));
  }
  return bytes;
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(
    new Uint8Array(digest),
    (byte) => byte.toString(16).padStart(2, "0"),
  ).join("");
}

/** The CORS response headers a cross-origin page's fetch depends on. */
function assertCors(response: Response, kind: ServerKind, what: string) {
  assert.equal(
    response.headers.get("access-control-allow-origin"),
    EXPECTED[kind].allowOrigin,
    `${what}: Access-Control-Allow-Origin`,
  );
}

/** Names in a comma-separated header, lower-case (Fetch: case-insensitive). */
function names(header: string | null): string[] {
  return (header ?? "").split(",").map((name) => name.trim().toLowerCase());
}

matrixTest("XEP-0363 upload service of the chat server", {
  seed: (user) => ({
    users: testUsers([user("alice")]),
    uploadMaxBytes: MAX_BYTES,
  }),
}, async (cell: Cell) => {
  const kind = cell.server.kind;
  const service = cell.server.upload;
  assert.ok(service, "the harness starts an upload service by default");
  const xmpp = cellClient(cell, "alice");
  await xmpp.start();
  try {
    const found = await findUploadService(xmpp, cell.server.domain);
    assert.equal(found.jid, service.jid);
    assert.equal(maxFileSize(found.info), String(MAX_BYTES));

    const slot = slotOf(
      await query(xmpp, slotRequest(service.jid, FILE_BYTES)),
    );
    for (const url of [slot.put, slot.get]) {
      assert.equal(new URL(url).origin, service.origin, url);
      assert.match(new URL(url).pathname, EXPECTED[kind].path);
    }
    assert.deepEqual(Object.keys(slot.headers), EXPECTED[kind].putHeaders);

    // The browser's preflight for a PUT carrying the slot's headers and the
    // file's Content-Type (Fetch standard, CORS-preflight request).
    const preflight = await fetch(slot.put, {
      method: "OPTIONS",
      headers: {
        Origin: PAGE_ORIGIN,
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": [...Object.keys(slot.headers)]
          .concat("content-type").join(",").toLowerCase(),
      },
    });
    await preflight.body?.cancel();
    assert.equal(preflight.status, 200);
    assertCors(preflight, kind, "OPTIONS");
    assert.ok(
      names(preflight.headers.get("access-control-allow-methods"))
        .includes("put"),
    );
    const allowed = names(
      preflight.headers.get("access-control-allow-headers"),
    );
    for (const header of [...Object.keys(slot.headers), "Content-Type"]) {
      assert.ok(
        allowed.includes(header.toLowerCase()),
        `${header}: ${allowed}`,
      );
    }

    const bytes = randomBytes(FILE_BYTES);
    const put = await fetch(slot.put, {
      method: "PUT",
      headers: {
        ...slot.headers,
        "Content-Type": "application/pdf",
        Origin: PAGE_ORIGIN,
      },
      body: bytes,
    });
    await put.body?.cancel();
    assert.equal(put.status, 201);
    assertCors(put, kind, "PUT");

    const get = await fetch(slot.get, { headers: { Origin: PAGE_ORIGIN } });
    assert.equal(get.status, 200);
    assertCors(get, kind, "GET");
    assert.equal(get.headers.get("content-length"), String(FILE_BYTES));
    assert.equal(get.headers.get("content-type"), "application/pdf");
    const back = new Uint8Array(await get.arrayBuffer());
    assert.equal(back.length, FILE_BYTES);
    assert.equal(await sha256(back), await sha256(bytes));

    // A body longer than the slot's size never lands.
    const small = slotOf(await query(xmpp, slotRequest(service.jid, 4)));
    const tooLong = await fetch(small.put, {
      method: "PUT",
      headers: small.headers,
      body: new Uint8Array(5),
    });
    await tooLong.body?.cancel();
    assert.equal(tooLong.status, 413);

    // XEP-0363 §5: over the limit, file-too-large with the limit in it.
    const refusal = await query(
      xmpp,
      slotRequest(service.jid, MAX_BYTES + 1),
    );
    assert.equal(refusal.attrs.type, "error", String(refusal));
    const error = refusal.getChild("error");
    assert.equal(error?.attrs.type, "modify", String(refusal));
    assert.ok(error?.getChild("not-acceptable", NS_STANZAS), String(refusal));
    assert.equal(
      error?.getChild("file-too-large", NS_UPLOAD)
        ?.getChildText("max-file-size"),
      String(MAX_BYTES),
      String(refusal),
    );
  } finally {
    await xmpp.stop();
  }
});

matrixTest("a chat server without an upload service", {
  seed: (user) => ({ users: testUsers([user("alice")]), upload: false }),
  transports: ["websocket"],
}, async (cell: Cell) => {
  assert.equal(cell.server.upload, undefined);
  const xmpp = cellClient(cell, "alice");
  await xmpp.start();
  try {
    await assert.rejects(
      findUploadService(xmpp, cell.server.domain),
      /no upload service/,
    );
  } finally {
    await xmpp.stop();
  }
});
