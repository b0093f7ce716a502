// How a row of the contact list, Recent Chats or the directory starts a chat
// (issue 13, "Starting a chat"): the chat window lives outside the panel,
// so the rows reach it through context instead of props down the tree.
import { createContext } from "preact";
import { useContext } from "preact/hooks";

/** Opens the chat with a bare JID and shows the window (a user gesture). */
export type OpenChat = (jid: string) => void;

export const OpenChatContext = createContext<OpenChat | undefined>(undefined);

/** The opener, or undefined while signed out. */
export function useOpenChat(): OpenChat | undefined {
  return useContext(OpenChatContext);
}

/** Enter without modifiers: the key that starts a chat from a row. */
export function isOpenKey(event: KeyboardEvent): boolean {
  return event.key === "Enter" && !event.altKey && !event.ctrlKey &&
    !event.metaKey && !event.shiftKey;
}
