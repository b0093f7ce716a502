// XEP-0363 §3: an entity is an upload service when its disco#info lists
// urn:xmpp:http:upload:0; its limit, if any, is the max-file-size field of
// the XEP-0128 form whose FORM_TYPE is that namespace. Prosody's
// mod_http_file_share and ejabberd's mod_http_upload answer this from a
// component (upload.<domain>, found in the server's disco#items) or from
// the domain itself; the caller asks, this reads.
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import { parseDataForm } from "../directory/data_form.ts";
import { discoFeatures, NS_DISCO_INFO } from "../directory/search_discovery.ts";
import { NS_HTTP_UPLOAD } from "./upload_slot.ts";

export interface UploadService {
  readonly jid: string;
  /** Bytes; undefined when the service states no limit. */
  readonly maxFileSize?: number;
}

const MAX_FORMS = 8;
const SIZE = /^\d{1,16}$/;

/**
 * `max-file-size` of the upload form (§3: in bytes); undefined when the
 * service gives none, or one that is not a positive whole number.
 */
function maxFileSize(query: XmlElement): number | undefined {
  for (const x of query.getChildren("x", "jabber:x:data").slice(0, MAX_FORMS)) {
    const form = parseDataForm(x);
    if (form instanceof ParseError || form.formType !== NS_HTTP_UPLOAD) {
      continue;
    }
    const value = form.fields.find((field) => field.var === "max-file-size")
      ?.values[0]?.trim();
    if (value === undefined || !SIZE.test(value)) return undefined;
    const size = Number(value);
    return Number.isSafeInteger(size) && size > 0 ? size : undefined;
  }
  return undefined;
}

/**
 * The upload service `jid` answered `info` (a disco#info result): the
 * service and its limit, or a ParseError when it is none.
 */
export function parseUploadService(
  jid: string,
  info: XmlElement,
): UploadService | ParseError {
  const query = info.getChild("query", NS_DISCO_INFO);
  if (query === undefined || !discoFeatures(info).has(NS_HTTP_UPLOAD)) {
    // The lookup only moves on to the next candidate: no sentence needed.
    return new ParseError("no-upload-service");
  }
  const limit = maxFileSize(query);
  return limit === undefined ? { jid } : { jid, maxFileSize: limit };
}
