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
//   Checked once in Chromium too: a page on http://localhost:<another port>
//   PUTs a slot (with its headers and Content-Type) and reads it back on both.
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
import { startProsody } from "../../scripts/servers/prosody.ts";
import { client } from "../../shared/xmpp/session/client.ts";
import {
  findUploadService,
  NS_UPLOAD,
  query,
  randomBytes,
  sha256Hex,
  slotOf,
  slotRequest,
  uploadFormMaxSize,
} from "../support/upload_probe.ts";
import {
  type Cell,
  cellClient,
  matrixTest,
  type ServerKind,
  testUsers,
} from "../support/xmpp_servers.ts";

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
    assert.equal(uploadFormMaxSize(found.info), String(MAX_BYTES));

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
    assert.equal(await sha256Hex(back), await sha256Hex(bytes));

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

// Refusals only Prosody's mod_http_file_share makes (ejabberd 23.01's
// mod_http_upload has no daily quota: mod_http_upload_quota deletes old
// files instead of refusing, and it sanitises a file name instead of
// refusing it). Observed:
// - past http_file_share_daily_quota: `<error type='wait'>
//   <resource-constraint/><text>Daily quota reached</text></error>`, no
//   XEP-0363 §5 <retry/> element;
// - a file name with `/`: `<error type='modify'><bad-request/>
//   <text>Invalid filename</text></error>`.
Deno.test("Prosody's upload refusals: daily quota and a file name with a slash", async () => {
  const user = { username: "alice", password: "alice-pw" };
  await using server = await startProsody({
    users: [user],
    uploadDailyQuotaBytes: 10,
  });
  const xmpp = client({
    service: server.wsUrl,
    domain: server.domain,
    ...user,
  });
  await xmpp.start();
  try {
    const to = server.uploadJid ?? "";
    slotOf(await query(xmpp, slotRequest(to, 6)));
    const quota = (await query(xmpp, slotRequest(to, 6))).getChild("error");
    assert.equal(quota?.attrs.type, "wait", String(quota));
    assert.ok(quota?.getChild("resource-constraint", NS_STANZAS));
    assert.equal(
      quota?.getChildText("text", NS_STANZAS),
      "Daily quota reached",
    );

    const slash = slotRequest(to, 1, "../etc/passwd", "text/plain");
    const refusal = (await query(xmpp, slash)).getChild("error");
    assert.equal(refusal?.attrs.type, "modify", String(refusal));
    assert.ok(refusal?.getChild("bad-request", NS_STANZAS), String(refusal));
  } finally {
    await xmpp.stop();
  }
});
