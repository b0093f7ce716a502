// Attachments between two headless accounts through real Prosody
// (mod_http_file_share) and ejabberd (mod_http_upload), over BOSH and
// WebSocket: account.files discovers the upload service, sends (policy,
// XEP-0363 slot and PUT, XEP-0447 offer), and the contact accepts,
// declines or cancels; the outcomes travel back in urn:desktop-chat:file:0.
// Two hostile offers come from the agent's own stream by hand: one whose
// server (a local Deno.serve) sends more bytes than offered, one with a
// wrong SHA-256 for a real upload. The contact then sends bare XEP-0066
// links as Conversations does (no size, no hash): one to a real upload the
// agent accepts, others to a server sending more than the policy allows.
import assert from "node:assert/strict";
import type { ReadonlySignal } from "@preact/signals-core";
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../../shared/xmpp/core/connection.ts";
import type { XmppClient } from "../../shared/xmpp/session/client.ts";
import { fileOfferStanza } from "../../shared/xmpp/files/file_offer.ts";
import type {
  FilesModel,
  FileTransfer,
} from "../../shared/xmpp/files/file_transfers.ts";
import { inKey } from "../../shared/xmpp/files/file_transfer_state.ts";
import { sha256Of, toBase64 } from "../../shared/xmpp/files/transfer/digest.ts";
import type { AttachmentPolicy } from "../../shared/settings/settings_rules.ts";
import {
  type AccountSession,
  contactPairSeed,
  signInAccount,
} from "../support/chat_clients.ts";
import {
  NS_UPLOAD,
  randomBytes,
  uploadToSlot,
} from "../support/upload_probe.ts";
import { until } from "../support/until.ts";
import { matrixTest } from "../support/xmpp_servers.ts";

const DOMAIN = "localhost";
const MB = 1024 * 1024;
/** The servers' own limit: below the policy's, so they refuse first. */
const SERVER_MAX = 6 * MB;
const POLICY: AttachmentPolicy = {
  enabled: true,
  maxBytes: 8 * MB,
  allowedTypes: [".bin", ".pdf"],
};

function seed(user: (base: string) => string) {
  return { ...contactPairSeed(user), uploadMaxBytes: SERVER_MAX };
}

function slotRequestsIn(sent: readonly XmlElement[]): number {
  return sent.filter((stanza) => stanza.getChild("request", NS_UPLOAD))
    .length;
}

function file(name: string, bytes: Uint8Array<ArrayBuffer>) {
  return { name, type: "application/octet-stream", data: bytes };
}

/** The receiver's view of `from`'s offer `id`, once it arrived. */
function offerAt(
  files: FilesModel,
  from: string,
  id: string,
): Promise<FileTransfer | undefined> {
  return until(
    files.transfer(inKey(from, id)),
    (t) => t !== undefined,
    `offer ${id} from ${from} received`,
  );
}

function phase(
  transfer: ReadonlySignal<FileTransfer | undefined>,
  wanted: FileTransfer["phase"],
  what: string,
): Promise<FileTransfer | undefined> {
  return until(transfer, (t) => t?.phase === wanted, what, 20_000);
}

/**
 * A loopback server answering every GET with `bytes`: under /declared with
 * its Content-Length, under /streamed in 64 KiB chunks without one.
 */
function hostileServer(bytes: Uint8Array<ArrayBuffer>) {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) => {
      if (new URL(request.url).pathname.startsWith("/declared")) {
        return new Response(bytes);
      }
      let at = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (at >= bytes.byteLength) return controller.close();
          controller.enqueue(bytes.slice(at, at + 65_536));
          at += 65_536;
        },
      });
      return new Response(body);
    },
  );
  return {
    url: (path: string) => `http://127.0.0.1:${server.addr.port}${path}`,
    close: () => server.shutdown(),
  };
}

/**
 * A bare XEP-0066 link as Conversations, Gajim, Dino, Monal and Converse.js
 * send it after an upload: the GET URL as the body and in oob, a receipt
 * request, no size, no hash.
 */
async function sendLink(
  xmpp: XmppClient,
  to: string,
  url: string,
): Promise<string> {
  const id = crypto.randomUUID();
  await xmpp.send(xml(
    "message",
    { type: "chat", to, id },
    xml("body", {}, url),
    xml("x", { xmlns: "jabber:x:oob" }, xml("url", {}, url)),
    xml("request", { xmlns: "urn:xmpp:receipts" }),
  ));
  return id;
}

matrixTest("file transfer between headless clients", {
  seed,
  cellTimeoutMs: 120_000,
}, async (cell, t) => {
  const sessions: AccountSession[] = [];
  try {
    const agent = await signInAccount(cell, "agent", "desk");
    sessions.push(agent);
    const contact = await signInAccount(cell, "contact", "pc");
    sessions.push(contact);
    const mine = agent.account.files;
    const theirs = contact.account.files;
    mine.setPolicy(POLICY);
    theirs.setPolicy(POLICY);
    const agentJid = cell.jid("agent");
    const contactJid = cell.jid("contact");
    const found = await until(
      mine.uploadService,
      (s) => s.state !== "unknown",
      "upload service discovered",
    );
    assert.deepEqual(found, {
      state: "available",
      service: { jid: cell.server.upload?.jid, maxFileSize: SERVER_MAX },
    });
    await until(
      agent.account.presence.presenceOf(contactJid),
      (p) => p.show !== "unavailable",
      "the contact online for the agent",
    );

    await t.step(`${cell.name}: 5 MB arrive byte-identical`, async () => {
      const bytes = randomBytes(5 * 1000 * 1000);
      const sent = mine.send(contactJid, file("random 5MB.bin", bytes));
      const offered = await sent.done;
      assert.equal(offered.phase, "offered", JSON.stringify(offered));
      const offer = await offerAt(theirs, agentJid, offered.id);
      assert.equal(offer?.name, "random 5MB.bin");
      assert.equal(offer?.size, bytes.byteLength);
      assert.deepEqual(offer?.decision, { ok: true });
      const blob = await theirs.accept(offer.key);
      assert.ok(blob, JSON.stringify(theirs.transfer(offer.key).value));
      const got = new Uint8Array(await blob.arrayBuffer());
      assert.equal(got.byteLength, bytes.byteLength);
      assert.equal(
        toBase64(await sha256Of(got)),
        toBase64(await sha256Of(bytes)),
      );
      assert.equal(theirs.transfer(offer.key).value?.phase, "downloaded");
      await phase(mine.transfer(sent.key), "downloaded", "sender: downloaded");
      // The offer is an attachment, not a chat message with a link.
      const chat = contact.account.chats.conversation(agentJid).value;
      assert.equal(chat.messages.length, 0, JSON.stringify(chat.messages));
    });

    await t.step(`${cell.name}: decline reaches the sender`, async () => {
      const sent = mine.send(contactJid, file("no.pdf", randomBytes(1000)));
      const offered = await sent.done;
      const offer = await offerAt(theirs, agentJid, offered.id);
      theirs.decline(offer!.key);
      await phase(mine.transfer(sent.key), "declined", "sender: declined");
      assert.equal(theirs.transfer(offer!.key).value?.phase, "declined");
    });

    await t.step(`${cell.name}: an offer to no one bounces`, async () => {
      const sent = mine.send(
        `nobody-${cell.transport}@${DOMAIN}`,
        file("lost.pdf", randomBytes(1000)),
      );
      assert.equal((await sent.done).phase, "offered");
      const failed = await phase(mine.transfer(sent.key), "failed", "bounce");
      assert.deepEqual(failed?.failure, {
        kind: "xmpp",
        condition: "service-unavailable",
      });
    });

    await t.step(`${cell.name}: the sender cancels`, async () => {
      // Mid-upload: nothing is offered.
      const before = agent.sent.length;
      const uploading = mine.send(contactJid, file("up.bin", randomBytes(MB)));
      await phase(mine.transfer(uploading.key), "uploading", "uploading");
      mine.cancel(uploading.key);
      const stopped = await uploading.done;
      assert.equal(stopped.phase, "cancelled");
      assert.equal(stopped.cancelledBy, "us");
      assert.ok(
        !agent.sent.slice(before).some((s) => s.attrs.id === stopped.id),
        "no offer went out",
      );
      // Offered, then withdrawn: the contact's offer ends.
      const sent = mine.send(contactJid, file("late.bin", randomBytes(1000)));
      const offered = await sent.done;
      const offer = await offerAt(theirs, agentJid, offered.id);
      mine.cancel(sent.key);
      const ended = await phase(
        theirs.transfer(offer!.key),
        "cancelled",
        "contact: cancelled",
      );
      assert.equal(ended?.cancelledBy, "peer");
      assert.equal(await theirs.accept(offer!.key), undefined);
    });

    await t.step(`${cell.name}: the receiver cancels mid-way`, async () => {
      const sent = mine.send(contactJid, file("big.bin", randomBytes(4 * MB)));
      const offered = await sent.done;
      const offer = await offerAt(theirs, agentJid, offered.id);
      const accepting = theirs.accept(offer!.key);
      assert.equal(theirs.transfer(offer!.key).value?.phase, "downloading");
      theirs.cancel(offer!.key);
      assert.equal(await accepting, undefined);
      assert.equal(theirs.transfer(offer!.key).value?.phase, "cancelled");
      const ended = await phase(
        mine.transfer(sent.key),
        "cancelled",
        "sender: cancelled",
      );
      assert.equal(ended?.cancelledBy, "peer");
    });

    await t.step(
      `${cell.name}: over-size and disallowed type refused before any byte`,
      async () => {
        const before = slotRequestsIn(agent.sent);
        const big = await mine.send(
          contactJid,
          file("huge.bin", randomBytes(9 * MB)),
        ).done;
        assert.equal(big.phase, "failed");
        assert.deepEqual(big.failure, {
          kind: "policy",
          decision: { ok: false, reason: "too-large", maxBytes: 8 * MB },
        });
        const exe = await mine.send(contactJid, {
          name: "setup.exe",
          type: "application/octet-stream",
          data: randomBytes(100),
        }).done;
        assert.deepEqual(exe.failure, {
          kind: "policy",
          decision: { ok: false, reason: "type-not-allowed" },
        });
        assert.equal(slotRequestsIn(agent.sent), before, "no slot asked");
      },
    );

    await t.step(
      `${cell.name}: the server's file-too-large, with its limit`,
      async () => {
        const before = slotRequestsIn(agent.sent);
        const refused = await mine.send(
          contactJid,
          file("seven.bin", randomBytes(7 * MB)),
        ).done;
        assert.equal(slotRequestsIn(agent.sent), before + 1);
        assert.equal(refused.phase, "failed");
        assert.equal(refused.failure?.kind, "slot", JSON.stringify(refused));
        assert.ok(refused.failure?.kind === "slot");
        assert.deepEqual(refused.failure.refusal, {
          reason: "too-large",
          maxBytes: SERVER_MAX,
        });
      },
    );

    await t.step(
      `${cell.name}: more bytes than offered are cut off`,
      async () => {
        const offeredBytes = randomBytes(100_000);
        const server = hostileServer(randomBytes(3 * MB));
        try {
          for (
            const path of [
              // Refused on its Content-Length, before the body is read.
              "/declared",
              // Cut while counting the chunks.
              "/streamed",
            ]
          ) {
            const id = crypto.randomUUID();
            await agent.account.connection.send(fileOfferStanza({
              to: contactJid,
              id,
              url: server.url(path),
              name: "report.bin",
              size: offeredBytes.byteLength,
              mediaType: "application/octet-stream",
              sha256: toBase64(await sha256Of(offeredBytes)),
            }));
            const offer = await offerAt(theirs, agentJid, id);
            assert.deepEqual(offer?.decision, { ok: true });
            assert.equal(await theirs.accept(offer!.key), undefined);
            const ended = theirs.transfer(offer!.key).value;
            assert.deepEqual(ended?.failure, {
              kind: "transfer",
              reason: "size-exceeded",
            }, path);
            assert.ok((ended?.bytes ?? 0) <= offeredBytes.byteLength, path);
          }
        } finally {
          await server.close();
        }
      },
    );

    await t.step(`${cell.name}: a wrong hash is reported`, async () => {
      const upload = cell.server.upload!;
      const bytes = randomBytes(50_000);
      const url = await uploadToSlot(agent.xmpp, upload.jid, bytes, "real.bin");
      const id = crypto.randomUUID();
      await agent.account.connection.send(fileOfferStanza({
        to: contactJid,
        id,
        url,
        name: "real.bin",
        size: bytes.byteLength,
        mediaType: "application/octet-stream",
        sha256: toBase64(await sha256Of(randomBytes(10))),
      }));
      const offer = await offerAt(theirs, agentJid, id);
      assert.equal(await theirs.accept(offer!.key), undefined);
      assert.deepEqual(theirs.transfer(offer!.key).value?.failure, {
        kind: "transfer",
        reason: "hash-mismatch",
      });
    });

    await t.step(
      `${cell.name}: a bare oob link (as Conversations sends) is accepted`,
      async () => {
        const upload = cell.server.upload!;
        const bytes = randomBytes(300_000);
        const url = await uploadToSlot(
          contact.xmpp,
          upload.jid,
          bytes,
          "photo.bin",
        );
        const id = await sendLink(contact.xmpp, agentJid, url);
        const offer = await offerAt(mine, contactJid, id);
        // Named by the URL's last segment, judged by the policy, unsized.
        assert.deepEqual(
          [offer?.name, offer?.size, offer?.unverified, offer?.decision],
          ["photo.bin", undefined, true, { ok: true }],
        );
        const blob = await mine.accept(offer!.key);
        assert.ok(blob, JSON.stringify(mine.transfer(offer!.key).value));
        assert.deepEqual(new Uint8Array(await blob.arrayBuffer()), bytes);
        const done = mine.transfer(offer!.key).value;
        assert.deepEqual([done?.phase, done?.size], ["downloaded", 300_000]);
        // Its body only repeats the link: no chat text beside the card.
        const chat = agent.account.chats.conversation(contactJid).value;
        assert.equal(chat.messages.length, 0, JSON.stringify(chat.messages));
      },
    );

    await t.step(
      `${cell.name}: a bare oob link is cut at the policy's limit`,
      async () => {
        mine.setPolicy({ ...POLICY, maxBytes: MB });
        const server = hostileServer(randomBytes(3 * MB));
        try {
          for (
            const path of [
              // Refused on its Content-Length, before the body is read.
              "/declared/big.bin",
              // Cut at the first chunk past the limit.
              "/streamed/big.bin",
            ]
          ) {
            const id = await sendLink(contact.xmpp, agentJid, server.url(path));
            const offer = await offerAt(mine, contactJid, id);
            assert.deepEqual(offer?.decision, { ok: true });
            assert.equal(await mine.accept(offer!.key), undefined);
            const ended = mine.transfer(offer!.key).value;
            assert.deepEqual(ended?.failure, {
              kind: "transfer",
              reason: "too-large",
            }, path);
            assert.ok((ended?.bytes ?? 0) <= MB, path);
          }
        } finally {
          mine.setPolicy(POLICY);
          await server.close();
        }
      },
    );
  } finally {
    for (const session of sessions.reverse()) {
      await session[Symbol.asyncDispose]();
    }
  }
});
