// Changes the chat server settings of a running service the way an
// administrator's script would: Basic auth, If-Match on the current ETag
// (routes/settings_api.ts).
import {
  type ChatServerSettings,
  defaultSettings,
} from "../../shared/settings/settings_schema.ts";
import { CHAT_SERVER_SETTINGS_PATH } from "../../routes/paths.ts";
import type { RunningService } from "./browser.ts";

export async function putChatServerSettings(
  service: RunningService,
  change: Partial<ChatServerSettings>,
): Promise<void> {
  const url = `${service.origin}${CHAT_SERVER_SETTINGS_PATH}`;
  const current = await fetch(url);
  const etag = current.headers.get("ETag");
  await current.body?.cancel();
  if (etag === null) throw new Error("the settings have no ETag");
  const response = await fetch(url, {
    method: "PUT",
    headers: {
      "Authorization": `Basic ${
        btoa(`${service.username}:${service.password}`)
      }`,
      "Content-Type": "application/json",
      "If-Match": etag,
      "Origin": service.origin,
    },
    body: JSON.stringify({ ...defaultSettings(), ...change }),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`PUT settings answered ${response.status}: ${text}`);
  }
}
