/**
 * The type text api-types-direct.ts writes, as openapi-typescript 7.13's helpers (`lib/ts.mjs`) would build it and
 * api-types-print.ts (TypeScript 5.9's printer, byte for byte) would write it. A type is its text at a known indent
 * level plus the one fact about its node the library or the printer looks at later: its kind (for `tsDedupe`,
 * `tsIsPrimitive`, the factory's parentheses around a union or intersection inside another, or inside an array), and
 * for a type literal its members' text (api.ts's root interfaces take a literal's members).
 *
 * Anything the printer would not write itself (an identifier with a line break in it) throws Unsupported: the caller
 * then renders the whole file with the library.
 */
import { blockComment } from "./api-types-print.ts";
import { parseRef } from "./openapi-typescript-pointers.ts";

/** Thrown for any input the direct emitter does not reproduce exactly: the library renders the file instead. */
export class Unsupported extends Error {}

export function unsupported(): never {
  throw new Unsupported();
}

/** Node kinds that matter; each keyword its own (tsDedupe keys on the SyntaxKind). Primitives first (see isPrimitive). */
export const Kind = {
  String: 0,
  Number: 1,
  Boolean: 2,
  Never: 3,
  Undefined: 4,
  Null: 5,
  Unknown: 6,
  True: 7,
  False: 8,
  /** A numeric literal type: has `text`, so tsDedupe keeps it. */
  NumericLiteral: 9,
  /** `-n`: a prefix unary expression, no `text`, not primitive. */
  Negative: 10,
  /** tsLiteral's string: an identifier whose text is the JSON string (has `text`). */
  StringLiteral: 11,
  TypeReference: 12,
  IndexedAccess: 13,
  Array: 14,
  Tuple: 15,
  TypeLiteral: 16,
  Union: 17,
  Intersection: 18,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

export interface Type {
  kind: Kind;
  text: string;
  /** A type literal's members, each line indented and ending with a line break. */
  members?: string;
}

const keyword = (kind: Kind, text: string): Type => ({ kind, text });
export const STRING = keyword(Kind.String, "string");
export const NUMBER = keyword(Kind.Number, "number");
export const BOOLEAN = keyword(Kind.Boolean, "boolean");
export const NEVER = keyword(Kind.Never, "never");
/** The library's one UNKNOWN node: transformSchemaObject compares with it by identity, and so do we. */
export const UNKNOWN = keyword(Kind.Unknown, "unknown");
export const NULL = keyword(Kind.Null, "null");
const TRUE = keyword(Kind.True, "true");
const FALSE = keyword(Kind.False, "false");
/** tsRecord(STRING, NEVER). */
export const EMPTY_RECORD: Type = { kind: Kind.TypeReference, text: "Record<string, never>" };

const INDENT = "    ";
const indents = [""];
export function indent(level: number): string {
  while (indents.length <= level) indents.push(indents[indents.length - 1] + INDENT);
  return indents[level]!;
}

/** A member line at `level` (api-types-print.ts's `members`): its comment, the member, `;`. */
export function member(level: number, text: string, comment = ""): string {
  return `${comment}${indent(level)}${text};\n`;
}

/** emitTypeLiteral: `{}` when empty, else its members on their own lines and the brace back at `level`. */
export function typeLiteral(members: string, level: number): Type {
  return { kind: Kind.TypeLiteral, text: members === "" ? "{}" : `{\n${members}${indent(level)}}`, members };
}

/** The factory's parenthesizeConstituentTypeOf…/NonArrayTypeOfPostfixType: a union or intersection gets parentheses. */
function operand(type: Type): string {
  return type.kind === Kind.Union || type.kind === Kind.Intersection ? `(${type.text})` : type.text;
}

/** `ts.factory.createUnionTypeNode`: no dedupe (tsNullable, tsOmit). */
export function unionNode(types: readonly Type[]): Type {
  return { kind: Kind.Union, text: types.map(operand).join(" | ") };
}

/** tsUnion: nothing is `never`, one is itself, more are deduped. */
export function union(types: readonly Type[]): Type {
  if (types.length === 0) return NEVER;
  if (types.length === 1) return types[0]!;
  return unionNode(dedupe(types));
}

/** tsIntersection. */
export function intersection(types: readonly Type[]): Type {
  if (types.length === 0) return NEVER;
  if (types.length === 1) return types[0]!;
  return { kind: Kind.Intersection, text: dedupe(types).map(operand).join(" & ") };
}

/** `ts.factory.createArrayTypeNode`. */
export function arrayOf(type: Type): Type {
  return { kind: Kind.Array, text: `${operand(type)}[]` };
}

/** emitTupleType: every element on its own line at `level + 1` (elements are made at that level). */
export function tuple(elements: readonly Type[], level: number): Type {
  const inner = elements.map((element) => indent(level + 1) + element.text).join(",\n");
  return { kind: Kind.Tuple, text: `[\n${inner}${elements.length === 0 ? "" : "\n"}${indent(level)}]` };
}

export function reference(name: string, args: readonly Type[]): Type {
  return { kind: Kind.TypeReference, text: `${name}<${args.map((arg) => arg.text).join(", ")}>` };
}

/** tsIsPrimitive: boolean, never, null, number, string, undefined. */
export function isPrimitive(type: Type): boolean {
  return type.kind <= Kind.Null;
}

/**
 * tsDedupe: a node without `text` (keywords, `null`, `true`/`false`, references, literals…) is dropped when a
 * primitive of its kind came before; nodes with `text` (numeric and string literals) are all kept.
 */
function dedupe(types: readonly Type[]): Type[] {
  let seen = 0;
  const kept: Type[] = [];
  for (const type of types) {
    if (type.kind !== Kind.NumericLiteral && type.kind !== Kind.StringLiteral) {
      const bit = 1 << type.kind;
      if (seen & bit) continue;
      if (isPrimitive(type)) seen |= bit;
    }
    kept.push(type);
  }
  return kept;
}

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
    return tuple(value.map((item) => literal(item, level + 1)), level);
  }
  if (typeof value === "object") {
    let members = "";
    for (const [key, item] of Object.entries(value)) members += member(level + 1, `${propertyName(key)}: ${literal(item, level + 1).text}`);
    return members === "" ? EMPTY_RECORD : typeLiteral(members, level);
  }
  return UNKNOWN;
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

const LB_RE = /\r?\n/g;
const TITLES = ["title", "summary"];
const TAGS = ["description", "default", "example"];
const COMMENT_END = /\*\//g;

/** addJSDocComment's `/** … *\/` for a member at `level`, as the printer writes it (ends with a line break), or "". */
export function docComment(object: unknown, level: number): string {
  if (!object || typeof object !== "object" || Array.isArray(object)) return "";
  const o = object as Record<string, any>;
  const output: string[] = [];
  for (const field of TITLES) {
    if (!o[field]) continue;
    if (typeof o[field] !== "string") unsupported(); // the library calls `.trim()` on it
    output.push(o[field].trim().replace(LB_RE, "\n *     "));
  }
  if (o["format"]) output.push(`Format: ${o["format"]}`);
  if (o["deprecated"]) output.push("@deprecated");
  for (const field of TAGS) {
    const value = o[field];
    if (value === undefined || (value === "" && field === "description")) continue;
    const serialized = typeof value === "object" ? JSON.stringify(value, null, 2) : value;
    output.push(`@${field} ${String(serialized).trim().replace(LB_RE, "\n *     ")}`);
  }
  if (Array.isArray(o["examples"])) {
    for (const example of o["examples"]) {
      const serialized = typeof example === "object" ? JSON.stringify(example, null, 2) : example;
      output.push(`@example ${String(serialized).trim().replace(LB_RE, "\n *     ")}`);
    }
  }
  if ("const" in o) output.push("@constant");
  if (o["enum"]) {
    const type = Array.isArray(o["type"]) ? o["type"].join("|") : typeof o["type"] === "string" ? o["type"] : "unknown";
    output.push(`@enum {${type}${o["nullable"] ? "|null" : ""}}`);
  }
  if (output.length === 0) return "";
  const multiLine = output.some((item) => item.includes("\n"));
  const text = (output.length === 1 && !multiLine ? `* ${output.join("\n")} ` : `*\n * ${output.join("\n * ")}\n `).replace(COMMENT_END, "*\\/");
  const printed = blockComment(`/*${text}*/`, level);
  return printed.endsWith("\n") ? printed : `${printed}\n`;
}
