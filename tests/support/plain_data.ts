// The fuzz properties' "no markup reaches the DOM" check on state: what a
// parser or store hands to the views is plain data (strings, numbers,
// booleans, arrays, Maps, Sets, plain records and typed errors), never an
// XML element the views could render as markup and never a function.
import { Element } from "@xmpp/xml";

/** Throws naming the path of the first value that is not plain data. */
export function assertPlainData(value: unknown, path = "state"): void {
  walk(value, path, new Set());
}

function walk(value: unknown, path: string, seen: Set<object>): void {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
    case "undefined":
      return;
    case "function":
      throw new TypeError(`${path} is a function`);
    case "object":
      break;
    default:
      throw new TypeError(`${path} is a ${typeof value}`);
  }
  if (value === null || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Element || isElementLike(value)) {
    throw new TypeError(`${path} is an XML element`);
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, `${path}[${i}]`, seen));
  } else if (value instanceof Map) {
    for (const [key, item] of value) {
      walk(key, `${path} key`, seen);
      walk(
        item,
        `${path}.get(${JSON.stringify(String(key)).slice(0, 40)})`,
        seen,
      );
    }
  } else if (value instanceof Set) {
    for (const item of value) walk(item, `${path} item`, seen);
  } else if (value instanceof Error) {
    // Typed errors carry wire elements as `cause` at most; their message
    // is what a view shows.
    walk(value.message, `${path}.message`, seen);
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(`${path} is a ${proto?.constructor?.name} instance`);
    }
    for (const [key, item] of Object.entries(value)) {
      walk(item, `${path}.${key}`, seen);
    }
  }
}

function isElementLike(value: object): boolean {
  const record = value as Record<string, unknown>;
  return typeof record.name === "string" && typeof record.attrs === "object" &&
    Array.isArray(record.children);
}
