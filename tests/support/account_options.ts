// What the element passes createAccount from the service's settings and
// the browser (sign_in.ts: the settings' attachments policy, xhrUploader()),
// as a headless client or a unit test has them: attachments off, as the
// settings' defaults are, and the PUT over fetch.
import type { AccountOptions } from "../../shared/xmpp/session/account.ts";
import { fetchUploader } from "../../shared/xmpp/files/transfer/fetch_uploader.ts";
import { defaultSettings } from "../../shared/settings/settings_rules.ts";

export const HEADLESS: Pick<AccountOptions, "attachments" | "uploader"> = {
  attachments: defaultSettings().attachments,
  uploader: fetchUploader(),
};
