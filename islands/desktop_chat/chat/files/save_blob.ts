// Hands a downloaded attachment to the browser's downloads (issue 15:
// "the attachments are downloaded in the downloads folder"; "you cannot
// open the attachment from the chat window"): an <a download> click saves
// it (HTML §4.6.5), nothing navigates to it or renders it.

/** How long the blob URL lives after the click, for the download to start. */
const REVOKE_AFTER_MS = 60_000;

/**
 * Saves `blob` as `name` (already sanitised by the core) through a
 * detached anchor in `host` (the chat's shadow root works), then revokes
 * its URL.
 */
export function saveBlob(blob: Blob, name: string, host: Node): void {
  const url = URL.createObjectURL(blob);
  const document = host.ownerDocument ?? globalThis.document;
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.rel = "noopener";
  link.hidden = true;
  const parent = host instanceof ShadowRoot || host instanceof Element
    ? host
    : document.body;
  parent.appendChild(link);
  link.click();
  link.remove();
  // Chromium starts the download from the click, but reads the URL
  // asynchronously: revoking at once can cancel it.
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
