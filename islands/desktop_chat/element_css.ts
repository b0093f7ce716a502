// Everything <desktop-chat> styles, in one sheet for its shadow root.
import { ACCOUNT_HEADER_CSS } from "./account_header_css.ts";
import { CHAT_WINDOW_CSS } from "./chat/chat_window_css.ts";
import { CONVERSATION_CSS } from "./chat/conversation/conversation_css.ts";
import { CONTACTS_CSS } from "./contacts/contacts_css.ts";
import { DIALOGS_CSS } from "./dialogs/dialogs_css.ts";
import { FILES_CSS } from "./chat/files/files_css.ts";
import { IDENTITY_CSS } from "./identity/identity_css.ts";
import { PANEL_CSS } from "./panel_css.ts";
import { REQUESTS_CSS } from "./requests/requests_css.ts";
import { SEARCH_CSS } from "./search/search_css.ts";
import { THEME_CSS } from "./theme_css.ts";

export const ELEMENT_CSS = [
  THEME_CSS,
  PANEL_CSS,
  ACCOUNT_HEADER_CSS,
  REQUESTS_CSS,
  SEARCH_CSS,
  CONTACTS_CSS,
  DIALOGS_CSS,
  CHAT_WINDOW_CSS,
  CONVERSATION_CSS,
  FILES_CSS,
  IDENTITY_CSS,
].join("\n");
