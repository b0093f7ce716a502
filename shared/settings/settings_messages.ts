// The administrator's wording for a refused server URL or allowed type
// (settings_rules.ts says only which rule failed): shown by the admin page
// and the service's configuration errors, never needed by the desktop
// element, which only refuses.
import {
  type FileTypeProblem,
  MAX_TYPE_LENGTH,
  MAX_URL_LENGTH,
  type ServerUrlProblem,
} from "./settings_rules.ts";

const EXAMPLE_URL = "https://imp.example.com:5280/http-bind";

export function serverUrlMessage(
  refused: { readonly problem: ServerUrlProblem; readonly scheme?: string },
): string {
  switch (refused.problem) {
    case "too-long":
      return `The URL is too long: at most ${MAX_URL_LENGTH} characters.`;
    case "empty":
      return `Enter a URL such as ${EXAMPLE_URL}.`;
    case "bad-characters":
      return "The URL must not contain spaces, backslashes or control characters.";
    case "no-scheme":
      return `Enter a full URL starting with https://, such as ${EXAMPLE_URL}.`;
    case "scheme":
      return "The URL must start with https:// (or http://, ws://, wss://); " +
        "other schemes such as javascript:, data: or ftp: are not allowed.";
    case "no-slashes":
      return `Write the URL as ${refused.scheme ?? "https"}://host:port/path.`;
    case "credentials":
      return "The URL must not contain a user name or password (user:password@).";
    case "query":
      return "The URL must not contain a query (?…).";
    case "fragment":
      return "The URL must not contain a fragment (#…).";
    case "no-host":
      return "The URL must name the chat server's host.";
    case "port":
      return "The port must be a number from 1 to 65535.";
    case "bad-host":
      return "The URL's host name is not valid.";
  }
}

export function fileTypeMessage(problem: FileTypeProblem): string {
  switch (problem) {
    case "too-long":
      return `An allowed type can be at most ${MAX_TYPE_LENGTH} characters.`;
    case "empty":
      return "An allowed type cannot be empty.";
    case "format":
      return "Use a file extension such as .pdf or a MIME type such as image/png or image/*.";
  }
}
