/**
 * openapi-typescript 7.13's `tsLiteral`, `tsPropertyIndex` and `oapiRef` (`lib/ts.ts`, MIT) as text: the type of a
 * `const` or `enum` value, a member's name, the type a `$ref` stands for; string literals escaped as TypeScript's
 * printer escapes them. What the printer would not write itself (an identifier with a line break in it) throws
 * Unsupported: the caller then renders the whole file with the library.
 */
import { arrayOf, EMPTY_RECORD, FALSE, Kind, member, NEVER, NULL, TRUE, tuple, type Type, typeLiteral, UNKNOWN, unsupported } from "./api-types-text.ts";
import { parseRef } from "./openapi-typescript-pointers.ts";

const JS_PROPERTY_INDEX_RE = /^[A-Za-z_$][A-Za-z_$0-9]*$/;
/** What computeLineStarts counts as a line break; api-types-print.ts gives up on an identifier holding one. */
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/** tsLiteral: the type of a `const` or `enum` value, made at `level`. */
export function literal(value: unknown, level: number): Type {
  if (typeof value === "string") {
    const text = JSON.stringify(value);
    if (LINE_BREAK.test(text)) unsupported();
    return { kind: Kind.StringLiteral, text };
  }
  if (typeof value === "number") {
    return value < 0 ? { kind: Kind.Negative, text: `-${Math.abs(value)}` } : { kind: Kind.NumericLiteral, text: `${value}` };
  }
  if (typeof value === "boolean") return value ? TRUE : FALSE;
  if (value === null) return NULL;
  if (Array.isArray(value)) {
    if (value.length === 0) return arrayOf(NEVER);
    return tuple(literalItems(value, level + 1), level);
  }
  if (typeof value === "object") {
    let members = "";
    for (const [key, item] of Object.entries(value)) members += member(level + 1, `${propertyName(key)}: ${literal(item, level + 1).text}`);
    return members === "" ? EMPTY_RECORD : typeLiteral(members, level);
  }
  return UNKNOWN;
}

/** Each item's literal type, made at `level` (an index loop: literal's own arrow would allocate on every call). */
function literalItems(items: readonly unknown[], level: number): Type[] {
  const types: Type[] = [];
  for (let i = 0; i < items.length; i++) types.push(literal(items[i], level));
  return types;
}

/** tsPropertyIndex, printed: a numeric literal, an identifier or a string literal. */
export function propertyName(index: unknown): string {
  if (typeof index === "number" && !(index < 0)) return `${index}`;
  if (typeof index === "string") {
    if (String(Number(index)) === index && index[0] !== "-") return index;
    if (JS_PROPERTY_INDEX_RE.test(index)) return index;
  }
  return stringLiteral(String(index));
}

/** `"…"` needs no escaping: printable ASCII without `"` and `\`. */
const PLAIN_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const ESCAPED = /[\\"\u0000-\u001f\u2028\u2029\u0085]/g;
const NON_ASCII = /[^\u0000-\u007F]/g;
const ESCAPES: Record<string, string> = {
  "\t": "\\t",
  "\v": "\\v",
  "\f": "\\f",
  "\b": "\\b",
  "\r": "\\r",
  "\n": "\\n",
  "\\": "\\\\",
  '"': '\\"',
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
  "\u0085": "\\u0085",
};

/** A synthesised string literal as the printer writes it: double quotes, TypeScript's escapeNonAsciiString. */
export function stringLiteral(text: string): string {
  if (PLAIN_STRING.test(text)) return `"${text}"`;
  const escaped = text.replace(ESCAPED, (c: string, offset: number) => {
    if (c === "\0") {
      const next = text.charCodeAt(offset + 1);
      return next >= 48 && next <= 57 ? "\\x00" : "\\0";
    }
    return ESCAPES[c] ?? utf16Escape(c.charCodeAt(0));
  });
  return `"${escaped.replace(NON_ASCII, (c) => utf16Escape(c.charCodeAt(0)))}"`;
}

function utf16Escape(code: number): string {
  return `\\u${`0000${code.toString(16).toUpperCase()}`.slice(-4)}`;
}

/**
 * oapiRef: `components["schemas"]["Pet"]` for `#/components/schemas/Pet`, `properties` segments after the third
 * skipped; a `$ref` to a parameter (given `resolved`) ends with its `in` and `name`.
 */
export function refType(ref: unknown, resolved?: unknown): Type {
  if (typeof ref !== "string") unsupported();
  if (resolved !== undefined) return pointerType(ref, resolved);
  // A function of the ref alone (GitHub's api.ts: 7,309 refs typed, 1,967 distinct). What throws is not kept.
  let type = refTypes.get(ref);
  if (type === undefined) refTypes.set(ref, (type = pointerType(ref, undefined)));
  return type;
}

/** refType's answers without a resolved target, by ref (a Type is never changed once made). */
const refTypes = new Map<string, Type>();

function pointerType(ref: string, resolved: unknown): Type {
  const { pointer } = parseRef(ref);
  if (pointer.length === 0) unsupported(); // the library throws "Error parsing $ref"
  const head = pointer[0]!;
  if (LINE_BREAK.test(head)) unsupported();
  let text = head;
  for (let i = 1; i < 3 && i < pointer.length; i++) text += `[${stringLiteral(pointer[i]!)}]`;
  const parameter = resolved !== null && typeof resolved === "object" && !(resolved as Record<string, unknown>)["$ref"] && (resolved as Record<string, unknown>)["in"];
  for (let i = 3; i < pointer.length; i++) {
    const segment = pointer[i]!;
    if (segment === "properties") continue;
    if (parameter && i === pointer.length - 1) {
      const { in: where, name } = resolved as Record<string, unknown>;
      if (typeof where !== "string" || typeof name !== "string") unsupported();
      text += `[${stringLiteral(where)}][${stringLiteral(name)}]`;
      continue;
    }
    text += `[${stringLiteral(segment)}]`;
  }
  return { kind: pointer.length === 1 ? Kind.TypeReference : Kind.IndexedAccess, text };
}
