// XEP-0004 data forms as plain data: the parser of what a service sends
// (a form to fill, or a result with <reported/> and <item/>s) and the
// builder of what we submit. Wire data: the parser never throws, returns a
// ParseError for what is not a form, and bounds everything it keeps.
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";

export const NS_DATA = "jabber:x:data";

/** XEP-0004 §3.1: the form types. */
export type FormType = "form" | "submit" | "cancel" | "result";
const FORM_TYPES: ReadonlySet<string> = new Set([
  "form",
  "submit",
  "cancel",
  "result",
]);

export interface FormField {
  readonly var: string;
  /** XEP-0004 §3.3; "text-single" when absent (§3.2: the default). */
  readonly type: string;
  readonly label?: string;
  readonly values: readonly string[];
}

export interface DataForm {
  readonly type: FormType;
  /** XEP-0068 §2: the value of the hidden FORM_TYPE field, if any. */
  readonly formType?: string;
  /** The fields to fill (type form) or of a single result (type result). */
  readonly fields: readonly FormField[];
  /** XEP-0004 §3.4: the columns of a multi-item result, in order. */
  readonly reported: readonly FormField[];
  /** XEP-0004 §3.4: each item's values by field var. */
  readonly items: readonly ReadonlyMap<string, readonly string[]>[];
}

export const DATA_FORM_LIMITS = {
  fields: 64,
  items: 200,
  valuesPerField: 16,
  /** Longer values are cut; the caller cleans what it shows. */
  valueLength: 1024,
  varLength: 128,
} as const;

function attr(element: XmlElement, name: string): string | undefined {
  const value: unknown = element.attrs[name];
  return typeof value === "string" ? value : undefined;
}

/** The concatenated text children, bounded; ltx's text() joins them all. */
function boundedText(element: XmlElement): string {
  let text = "";
  for (const child of element.children) {
    if (typeof child !== "string") continue;
    text += child;
    if (text.length >= DATA_FORM_LIMITS.valueLength) break;
  }
  return text.slice(0, DATA_FORM_LIMITS.valueLength);
}

function isElement(child: XmlElement | string): child is XmlElement {
  return typeof child !== "string";
}

/** XEP-0004 §3.2 <field/>; undefined when it has no usable var. */
function parseField(element: XmlElement): FormField | undefined {
  const name = attr(element, "var");
  if (
    name === undefined || name === "" ||
    name.length > DATA_FORM_LIMITS.varLength
  ) return undefined;
  const values: string[] = [];
  for (const child of element.children) {
    if (values.length === DATA_FORM_LIMITS.valuesPerField) break;
    if (isElement(child) && child.name === "value") {
      values.push(boundedText(child));
    }
  }
  const label = attr(element, "label");
  return {
    var: name,
    type: attr(element, "type") ?? "text-single",
    ...(label === undefined
      ? {}
      : { label: label.slice(0, DATA_FORM_LIMITS.valueLength) }),
    values,
  };
}

function parseFields(parent: XmlElement): FormField[] {
  const fields: FormField[] = [];
  const seen = new Set<string>();
  for (const child of parent.children) {
    if (fields.length === DATA_FORM_LIMITS.fields) break;
    if (!isElement(child) || child.name !== "field") continue;
    const field = parseField(child);
    // XEP-0004 §3.2: a var is unique within a form; the first one counts.
    if (field === undefined || seen.has(field.var)) continue;
    seen.add(field.var);
    fields.push(field);
  }
  return fields;
}

/** Parses `<x xmlns='jabber:x:data'/>`; anything else is a ParseError. */
export function parseDataForm(
  x: XmlElement | undefined,
): DataForm | ParseError {
  if (x === undefined || x.name !== "x" || attr(x, "xmlns") !== NS_DATA) {
    return new ParseError("bad-form", "Not a data form (XEP-0004).");
  }
  const type = attr(x, "type") ?? "";
  if (!FORM_TYPES.has(type)) {
    return new ParseError("bad-form", "The data form has no valid type.");
  }
  const fields = parseFields(x);
  let reported: FormField[] = [];
  const items: Map<string, readonly string[]>[] = [];
  for (const child of x.children) {
    if (!isElement(child)) continue;
    // XEP-0004 §3.4: one <reported/>, before the items.
    if (child.name === "reported" && reported.length === 0) {
      reported = parseFields(child);
    } else if (
      child.name === "item" && items.length < DATA_FORM_LIMITS.items
    ) {
      items.push(
        new Map(parseFields(child).map((field) => [field.var, field.values])),
      );
    }
  }
  const formType = fields.find((field) => field.var === "FORM_TYPE")
    ?.values[0];
  return {
    type: type as FormType,
    ...(formType === undefined ? {} : { formType }),
    fields,
    reported,
    items,
  };
}

/**
 * XEP-0004 §3.1 `submit` form with one value per field; FORM_TYPE first
 * when the service's form had one (XEP-0068 §2).
 */
export function submitForm(
  values: ReadonlyMap<string, string>,
  formType?: string,
): XmlElement {
  const fields = [...values].map(([name, value]) =>
    xml("field", { var: name }, xml("value", {}, value))
  );
  if (formType !== undefined) {
    fields.unshift(
      xml(
        "field",
        { var: "FORM_TYPE", type: "hidden" },
        xml("value", {}, formType),
      ),
    );
  }
  return xml("x", { xmlns: NS_DATA, type: "submit" }, ...fields);
}
