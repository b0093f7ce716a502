// URL paths shared by the shell page, the gadget XML and the static routes.
export const STATIC_URL_PATH = "/static";
export const DIST_URL_PATH = "/static/dist";
export const CHAT_SERVER_SETTINGS_PATH = "/api/chat-server-settings";
export const DESKTOP_CHAT_BUNDLE = "desktop-chat.js";
export const DESKTOP_CHAT_SETTINGS_BUNDLE = "desktop-chat-settings.js";
export const ADMIN_PAGE_PATH = "/admin";
