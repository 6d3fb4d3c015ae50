/**
 * Reading one value back from the wire by its OpenAPI style (OpenAPI 3.1.1 §4.8.12.4 Style Values and Style
 * Examples; RFC 6570 §3.2.2 simple, §3.2.5 label, §3.2.7 matrix, §3.2.8 form; Swagger 2.0 collectionFormat mapped
 * to styles by raw-spec.ts). Where OpenAPI is silent (nested or list values under deepObject, lists of objects in
 * a form), the bracket convention of brackets.ts. Values come out as text (a string, or lists and members of them);
 * the schema check coerces text to the schema's types afterwards, as a server must.
 *
 * A value is never guessed from what was sampled: only the spec (style, explode, the schema's shapes) and the wire.
 */
import type { Json } from "../raw-spec.ts";
import { assemble, bracketPath, setMember, type Assembled, type BracketEntry } from "./brackets.ts";
import { declaredProperties, isOpenObject, itemsSchema, propertySchema, shapesOf } from "./shapes.ts";
import { DecodeError, percentDecode, type RawPair } from "./wire.ts";

export interface Field {
  /** The name on the wire. */
  readonly name: string;
  readonly style: string;
  readonly explode: boolean;
  readonly schema: Json;
  /** `content: application/json` (OpenAPI 3.x Parameter Object `content`): the value is JSON text. */
  readonly json?: boolean;
}

/** A name/value pair of a query, a cookie header or a form body, decoded, with its raw value kept for splitting. */
export interface Pair {
  readonly name: string;
  readonly value: string;
  readonly raw: string;
  used: boolean;
}

export type Decoded = Assembled | unknown;

/**
 * How pair texts are encoded: `url` in a query or cookie (RFC 3986 percent-encoding, `+` is itself), `form` in an
 * application/x-www-form-urlencoded body (`+` is a space, URL Standard §5.1), `none` in multipart parts (raw text).
 */
export type PairEncoding = "url" | "form" | "none";

export function decodeText(text: string, encoding: PairEncoding): string {
  return encoding === "none" ? text : percentDecode(text, encoding === "form");
}

/** Decodes raw pairs, keeping each raw value for splitting on delimiters. */
export function decodePairs(raw: readonly RawPair[], encoding: PairEncoding): Pair[] {
  return raw.map((pair) => ({
    name: decodeText(pair.name, encoding),
    value: decodeText(pair.value ?? "", encoding),
    raw: pair.value ?? "",
    used: false,
  }));
}

/** List delimiters as they appear in raw text (the space and tab delimiters are percent-encoded, OpenAPI 3.1.1 Style Examples: `blue%20black%20brown`). */
const DELIMITERS: Record<PairEncoding, Record<string, RegExp>> = {
  url: { form: /,/, spaceDelimited: /%20/i, pipeDelimited: /\||%7C/i, tabDelimited: /%09/i },
  form: { form: /,/, spaceDelimited: /%20|\+/i, pipeDelimited: /\||%7C/i, tabDelimited: /%09/i },
  none: { form: /,/, spaceDelimited: / /, pipeDelimited: /\|/, tabDelimited: /\t/ },
};

/**
 * The value of `field` among `pairs` (query, cookie or form fields), marking the pairs it takes as used; undefined
 * when absent. A `form` + `explode` object sends its members as pairs of their own: those are claimed by
 * `decodeSpreadObject`, after every other field has taken its pairs.
 */
export function decodePairField(doc: Json, field: Field, pairs: Pair[], encoding: PairEncoding): Decoded | undefined {
  const exact = pairs.filter((p) => !p.used && p.name === field.name);
  const bracketed = pairs
    .filter((p) => !p.used)
    .map((p) => ({ pair: p, path: bracketPath(p.name, field.name) }))
    .filter((e): e is { pair: Pair; path: string[] } => e.path !== undefined);
  const take = (list: Pair[]): void => list.forEach((p) => (p.used = true));
  if (exact.length > 0 && bracketed.length > 0) {
    throw new DecodeError(`${field.name} is sent both as ${field.name}=… and as ${bracketed[0]!.pair.name}=…`);
  }
  if (field.json) {
    if (bracketed.length > 0) throw new DecodeError(`${field.name} is JSON content but is sent as ${bracketed[0]!.pair.name}=…`);
    if (exact.length > 1) throw new DecodeError(`${field.name} is JSON content but is sent ${exact.length} times`);
    take(exact);
    return exact.length === 0 ? undefined : parseJson(exact[0]!.value, field.name);
  }
  const shapes = shapesOf(doc, field.schema);
  if (bracketed.length > 0) {
    // Brackets: deepObject (OpenAPI 3.1.1 §4.8.12.4: `color[R]=100`), or the convention for nested values.
    take(bracketed.map((e) => e.pair));
    const entries: BracketEntry[] = bracketed.map((e) => ({ path: e.path, value: e.pair.value }));
    if (field.style !== "deepObject" && !isNested(doc, field)) {
      throw new DecodeError(`${field.name} (style ${field.style}) is sent with brackets (${bracketed[0]!.pair.name}=…)`);
    }
    return assemble(entries, field.name);
  }
  if (exact.length === 0) return undefined;
  take(exact);
  const explodedList = field.explode || field.style === "deepObject";
  rejectJsonText(doc, field, exact);
  if (field.style === "deepObject") {
    // OpenAPI defines deepObject for objects; a scalar alternative (Stripe's `created: integer | {gt, …}`) goes plain.
    if (!shapes.has("scalar") || exact.length > 1) {
      throw new DecodeError(`${field.name} (deepObject) is sent as ${field.name}=… instead of ${field.name}[…]=…`);
    }
    return exact[0]!.value;
  }
  if (explodedList) {
    if (exact.length > 1) {
      if (!shapes.has("array")) throw new DecodeError(`${field.name} is sent ${exact.length} times but is not a list`);
      return exact.map((p) => p.value);
    }
    if (shapes.has("object") && !shapes.has("scalar") && !shapes.has("array")) {
      throw new DecodeError(`${field.name} is an object (style ${field.style}, explode) but is sent as ${field.name}=… (expected its members as pairs of their own)`);
    }
    return shapes.has("array") && !shapes.has("scalar") ? [exact[0]!.value] : exact[0]!.value;
  }
  if (exact.length > 1) throw new DecodeError(`${field.name} (explode: false) is sent ${exact.length} times`);
  return splitDelimited(field, exact[0]!.raw, shapes, encoding);
}

/**
 * An object or a list of objects sent as JSON text in a style-serialised place (`X={"a":1}`): a server reading the
 * style gets a string. Said as such, rather than as the schema error it leads to.
 */
function rejectJsonText(doc: Json, field: Field, pairs: readonly Pair[]): void {
  const structured = (schema: Json | undefined): boolean => schema !== undefined && shapesOf(doc, schema).has("object");
  const itemsStructured = structured(itemsSchema(doc, field.schema));
  if (!structured(field.schema) && !itemsStructured) return;
  for (const pair of pairs) {
    if (!/^[[{]/.test(pair.value)) continue;
    try {
      JSON.parse(pair.value);
    } catch {
      continue;
    }
    throw new DecodeError(`${field.name} (style ${field.style}${field.explode ? ", explode" : ""}) is sent as JSON text (${field.name}=${pair.value.slice(0, 30)}…), not as its style or brackets`);
  }
}

/** A form `explode` object: its members, as pairs named after them (OpenAPI 3.1.1 Style Examples: `R=100&G=200`). */
export function decodeSpreadObject(doc: Json, field: Field, pairs: Pair[], encoding: PairEncoding): Record<string, Decoded> | undefined {
  const names = declaredProperties(doc, field.schema);
  const open = isOpenObject(doc, field.schema);
  const out: Record<string, Decoded> = {};
  const members = new Set(pairs.filter((p) => !p.used).map((p) => p.name.replace(/\[.*$/, "")));
  for (const member of members) {
    if (!names.includes(member) && !open) continue;
    const schema = propertySchema(doc, field.schema, member) ?? {};
    const value = decodePairField(doc, { name: member, style: "form", explode: true, schema }, pairs, encoding);
    if (value !== undefined) setMember(out, member, value);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Lists of objects and objects of objects in a form: OpenAPI leaves them undefined, so brackets are accepted. */
function isNested(doc: Json, field: Field): boolean {
  const shapes = shapesOf(doc, field.schema);
  return shapes.has("array") || shapes.has("object");
}

function splitDelimited(field: Field, raw: string, shapes: ReadonlySet<string>, encoding: PairEncoding): Decoded {
  const delimiter = DELIMITERS[encoding][field.style] ?? DELIMITERS[encoding]["form"]!;
  const parts = raw.split(delimiter).map((part) => decodeText(part, encoding));
  const whole = decodeText(raw, encoding);
  const listed = parts.length > 1;
  if (shapes.has("array") && (listed || !shapes.has("scalar"))) return parts;
  if (shapes.has("object") && (listed || !shapes.has("scalar"))) return pairsToObject(parts, field.name);
  return whole;
}

/** `k1,v1,k2,v2` → {k1: v1, k2: v2} (RFC 6570 §2.4.2 non-exploded associative array). */
export function pairsToObject(parts: string[], where: string): Record<string, string> {
  if (parts.length % 2 !== 0) throw new DecodeError(`${where}: an odd number of items cannot be name,value pairs`);
  const out: Record<string, string> = {};
  for (let i = 0; i < parts.length; i += 2) setMember(out, parts[i]!, parts[i + 1]!);
  return out;
}

/** `k1=v1,k2=v2` (exploded associative array). */
export function assignmentsToObject(parts: string[], where: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of parts) {
    const at = part.indexOf("=");
    if (at < 0) throw new DecodeError(`${where}: "${part}" is not name=value`);
    setMember(out, part.slice(0, at), part.slice(at + 1));
  }
  return out;
}

export function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DecodeError(`${where} is not JSON text: ${JSON.stringify(text.slice(0, 60))}`);
  }
}
