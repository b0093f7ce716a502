// "Send a file" beside the typing area (seed: "Attachments": click Send a
// file and pick the file). Hidden when the administrator turned
// attachments off; disabled with the reason when the server has no upload
// service or the contact is signed out; a file the policy refuses is
// explained here and nothing is requested of the server.
import { useRef, useState } from "preact/hooks";
import type { FilesModel } from "../../../../shared/xmpp/files/file_transfers_api.ts";
import { checkAgainstPolicy } from "../../../../shared/xmpp/files/file_policy.ts";
import { sanitizeFileName } from "../../../../shared/xmpp/files/file_name.ts";
import { policyText, sendBlock } from "./file_messages.ts";

export interface SendFileButtonProps {
  readonly files: FilesModel;
  /** Bare JID of the contact. */
  readonly jid: string;
  /** The composer's reason messages cannot go now (contact signed out). */
  readonly blocked: string | undefined;
}

export function SendFileButton({ files, jid, blocked }: SendFileButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  const [refusal, setRefusal] = useState<string | undefined>(undefined);
  const policy = files.policy.value;
  const reason = sendBlock(files.uploadService.value, blocked);
  if (!policy.enabled) return null;
  // The contact's reason is already on the composer's reason line
  // (composer.tsx): point at it rather than show it twice.
  const ownReason = blocked === undefined && reason !== undefined;
  const reasonId = ownReason
    ? `send-file-reason-${jid}`
    : `composer-reason-${jid}`;

  function picked(file: File | undefined): void {
    if (file === undefined) return;
    const name = sanitizeFileName(file.name);
    const decision = checkAgainstPolicy(policy, {
      name,
      size: file.size,
      mediaType: file.type,
    });
    const refused = policyText(decision, name, file.size);
    setRefusal(refused);
    if (refused !== undefined) return;
    files.send(jid, { name: file.name, type: file.type, data: file });
  }

  return (
    <div class="send-file">
      <button
        type="button"
        class="icon-button send-file-button"
        aria-label="Send a file"
        title={reason ?? "Send a file"}
        aria-describedby={reason === undefined ? undefined : reasonId}
        // aria-disabled, not disabled: the button stays in the tab order,
        // so a keyboard user reaches it and reads why (WAI-ARIA 1.2
        // aria-disabled; the reason shows on focus as on hover).
        aria-disabled={reason === undefined ? undefined : "true"}
        onClick={() => {
          if (reason === undefined) input.current?.click();
        }}
      >
        <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
          <path d="M10.5 4.5l-5 5a1.4 1.4 0 002 2l5.5-5.5a2.8 2.8 0 00-4-4L3.5 7.5a4.2 4.2 0 006 6l4-4" />
        </svg>
      </button>
      <input
        ref={input}
        type="file"
        class="send-file-input"
        tabIndex={-1}
        aria-hidden="true"
        onChange={(event) => {
          const element = event.currentTarget;
          picked(element.files?.[0]);
          // The same file picked again must fire change again.
          element.value = "";
        }}
      />
      {ownReason && (
        <span id={reasonId} class="send-file-reason" role="tooltip">
          {reason}
        </span>
      )}
      {refusal !== undefined && (
        <p class="send-file-refusal" role="alert">
          <span>{refusal}</span>
          <button
            type="button"
            class="icon-button"
            aria-label="Dismiss"
            onClick={() => setRefusal(undefined)}
          >
            ×
          </button>
        </p>
      )}
    </div>
  );
}
