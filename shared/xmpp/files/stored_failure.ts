// A transfer's failure (file_transfer_state.ts TransferFailureReason) read
// back from the session's storage (file_history.ts): untrusted, so only a
// shape we could have written passes, with every reason one the view can
// word; anything else reads as undefined, never a throw.
import { isObject } from "../chat/chat_history.ts";
import { CONDITION } from "../router/iq_reply.ts";
import { FAILURE_REASONS } from "./file_outcome.ts";
import type { TransferFailureReason } from "./file_transfer_state.ts";
import {
  TRANSFER_WORDS,
  type TransferReason,
} from "./transfer/transfer_error.ts";
import type { SlotRefusal } from "./upload_error.ts";

function word(value: unknown): value is string {
  return typeof value === "string" && CONDITION.test(value);
}

export function count(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** `{ key: value }` when `keep`, else nothing: for optional fields. */
export function optional<K extends string, V>(key: K, value: V, keep: boolean) {
  return (keep ? { [key]: value } : {}) as { [key in K]?: V };
}

/**
 * A stored failure, or undefined when it is not one we could have written
 * (what file_messages.ts failureWords words).
 */
export function readFailure(value: unknown): TransferFailureReason | undefined {
  if (!isObject(value)) return undefined;
  const { kind, reason, decision: d, refusal: r } = value;
  switch (kind) {
    case "no-upload-service":
    case "reloaded":
      return { kind };
    case "xmpp":
      return word(value.condition)
        ? { kind, condition: value.condition }
        : undefined;
    case "peer":
      return FAILURE_REASONS.find((known) => known === reason) === undefined
        ? undefined
        : { kind, reason: reason as typeof FAILURE_REASONS[number] };
    case "transfer":
      return typeof reason === "string" && Object.hasOwn(TRANSFER_WORDS, reason)
        ? { kind, reason: reason as TransferReason }
        : undefined;
    case "policy":
      // A reason this build does not know is worded generically by the view.
      if (!isObject(d) || d.ok !== false || !word(d.reason)) return undefined;
      if (d.reason !== "too-large") {
        return { kind, decision: { ok: false, reason: d.reason as "empty" } };
      }
      return count(d.maxBytes)
        ? {
          kind,
          decision: { ok: false, reason: d.reason, maxBytes: d.maxBytes },
        }
        : undefined;
    case "slot": {
      if (!isObject(r)) return undefined;
      const refusal: SlotRefusal | undefined = r.reason === "too-large"
        ? {
          reason: r.reason,
          ...optional("maxBytes", r.maxBytes as number, count(r.maxBytes)),
        }
        : r.reason === "quota" || r.reason === "not-allowed"
        ? { reason: r.reason }
        : word(r.condition)
        ? { reason: "other", condition: r.condition }
        : undefined;
      return refusal && { kind, refusal };
    }
  }
  return undefined;
}
