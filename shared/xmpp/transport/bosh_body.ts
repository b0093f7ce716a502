// Framing of BOSH <body/> wrappers (XEP-0124 §7, XEP-0206 §5) and parsing of
// the connection manager's responses. Pure: strings in, data or a typed
// ParseError out; hostile or malformed input never throws.
import { Element, escapeXML, Parser } from "@xmpp/xml";
import { ParseError } from "../core/errors.ts";

export const NS_HTTPBIND = "http://jabber.org/protocol/httpbind";
export const NS_XBOSH = "urn:xmpp:xbosh";
export const NS_STREAM_PREFIX = "http://etherx.jabber.org/streams";

export interface SessionRequest {
  rid: number;
  to: string;
  lang?: string;
  wait: number;
  hold: number;
  route?: string;
  from?: string;
}

export interface BodyRequest {
  rid: number;
  sid: string;
  /** XEP-0124 §9.2: highest rid whose response (and all before it) arrived. */
  ack?: number;
  payload?: readonly string[];
  /** XEP-0206 §5: stream restart after SASL success. */
  restart?: { to: string; lang?: string };
  /** XEP-0124 §13: the client ends the session. */
  terminate?: boolean;
}

export interface BoshResponse {
  /** All attributes of the response <body/>. */
  attrs: Readonly<Record<string, string>>;
  type?: "terminate" | "error";
  /** XEP-0124 §17.2 terminal binding condition. */
  condition?: string;
  /** XEP-0124 §17.3 `see-other-uri`: the <uri/> to go to instead. */
  uri?: string;
  /** The stanzas and stream elements carried, in order. */
  children: Element[];
}

function attrs(map: Record<string, string | number | undefined>): string {
  let out = "";
  for (const [name, value] of Object.entries(map)) {
    if (value === undefined) continue;
    out += ` ${name}='${escapeXML(String(value))}'`;
  }
  return out;
}

/** XEP-0124 §7.1 + XEP-0206 §4: the session creation request. */
export function sessionCreationBody(req: SessionRequest): string {
  return `<body${
    attrs({
      content: "text/xml; charset=utf-8",
      rid: req.rid,
      to: req.to,
      "xml:lang": req.lang,
      ver: "1.6",
      wait: req.wait,
      hold: req.hold,
      route: req.route,
      from: req.from,
      // XEP-0124 §9.1: ask the connection manager to acknowledge requests.
      ack: 1,
      "xmpp:version": "1.0",
      xmlns: NS_HTTPBIND,
      "xmlns:xmpp": NS_XBOSH,
    })
  }/>`;
}

export function requestBody(req: BodyRequest): string {
  const head = attrs({
    rid: req.rid,
    sid: req.sid,
    ack: req.ack,
    type: req.terminate ? "terminate" : undefined,
    to: req.restart?.to,
    "xml:lang": req.restart?.lang,
    "xmpp:restart": req.restart ? "true" : undefined,
    xmlns: NS_HTTPBIND,
    "xmlns:xmpp": req.restart ? NS_XBOSH : undefined,
  });
  const payload = req.payload ?? [];
  if (payload.length === 0) return `<body${head}/>`;
  return `<body${head}>${payload.join("")}</body>`;
}

/**
 * Parses a response <body/>. Children that use a prefix declared on <body/>
 * (Prosody declares `xmlns:stream` there) get the declaration copied onto
 * them, so they stay well-formed once lifted out of the wrapper.
 */
export function parseBody(text: string): BoshResponse | ParseError {
  const parser = new Parser();
  let root: Element | undefined;
  let ended = false;
  let failure: unknown;
  const children: Element[] = [];
  parser.on("start", (el: Element) => (root = el));
  parser.on("element", (el: Element) => children.push(el));
  parser.on("end", () => (ended = true));
  parser.on("error", (err: unknown) => (failure ??= err));
  try {
    parser.write(text);
  } catch (err) {
    // ltx throws on some malformed input instead of emitting "error".
    failure ??= err;
  }
  if (failure !== undefined) {
    return new ParseError("bad-format", "The chat server sent malformed XML.", {
      cause: failure,
    });
  }
  if (!root || !ended) {
    return new ParseError(
      "bad-format",
      "The chat server sent an incomplete response.",
    );
  }
  if (root.name !== "body" || root.attrs.xmlns !== NS_HTTPBIND) {
    return new ParseError(
      "bad-format",
      "The chat server did not answer with a BOSH <body/>; check the chat server address.",
    );
  }
  const bodyAttrs: Record<string, string> = {};
  const declarations: Record<string, string> = {};
  for (const [name, value] of Object.entries(root.attrs)) {
    if (typeof value !== "string") continue;
    bodyAttrs[name] = value;
    if (name.startsWith("xmlns:")) declarations[name] = value;
  }
  for (const child of children) {
    const colon = child.name.indexOf(":");
    if (colon > 0) {
      const decl = `xmlns:${child.name.slice(0, colon)}`;
      if (declarations[decl] && child.attrs[decl] === undefined) {
        child.attrs[decl] = declarations[decl];
      }
    }
    child.parent = null;
  }
  const type = bodyAttrs.type === "terminate" || bodyAttrs.type === "error"
    ? bodyAttrs.type
    : undefined;
  const response: BoshResponse = {
    attrs: bodyAttrs,
    type,
    condition: bodyAttrs.condition,
    children,
  };
  if (response.condition === "see-other-uri") {
    const uri = children.find((c) => c.name === "uri");
    return { ...response, uri: uri?.text(), children: [] };
  }
  return response;
}

/** Reads a non-negative integer attribute, or `undefined` if absent/invalid. */
export function intAttr(
  attrs: Readonly<Record<string, string>>,
  name: string,
): number | undefined {
  const raw = attrs[name];
  if (raw === undefined || !/^\d{1,16}$/.test(raw)) return undefined;
  const value = Number(raw);
  return Number.isSafeInteger(value) ? value : undefined;
}
