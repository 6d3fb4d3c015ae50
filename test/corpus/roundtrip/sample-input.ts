/**
 * Tool arguments sampled from a tool's LISTED input schema (the JSON Schema tools/list serves), the way a model or a
 * validating client would read it, in three deterministic sets:
 *
 * - `required`: only what the schema requires, at every level;
 * - `half`: the required properties plus every other optional one (even positions in schema order), at every level;
 * - `all`: every property (below depth 3 only the required ones, so recursive schemas end).
 *
 * Strings carry characters that need encoding somewhere on the wire (space, `/ & ? # % , ; = [ ] +`, non-ASCII),
 * except where a format, pattern or enum decides the value, and except the characters a caller says the spec gives
 * no way to send in that place (`avoid`: a comma inside a header list, a space inside a spaceDelimited item).
 * Patterns are satisfied with randexp (seeded, so the same every run). Every sample is checked with ajv against the
 * listed schema by the caller; a different `variant` picks other anyOf/oneOf members and enum values.
 */
import RandExp from "randexp";
import type { JsonSchema } from "../../../src/tools/types.ts";
import { deref, isNode, merged, stringList, typeOf, Unsampleable, type Node } from "./listed-schema.ts";

export type ArgumentSet = "required" | "half" | "all";
export const ARGUMENT_SETS: readonly ArgumentSet[] = ["required", "half", "all"];

export { Unsampleable };

export interface SampleOptions {
  set: ArgumentSet;
  /** Characters strings under a top-level key must not contain. */
  avoid?: (key: string) => string;
  /** 0 first; others pick other union members and enum values. */
  variant?: number;
  /** Top-level keys whose object may be sampled empty (a JSON body `{}` is a value; a parameter `{}` is not sent). */
  emptyAllowed?: (key: string) => boolean;
}

interface Walk {
  root: Node;
  set: ArgumentSet;
  depth: number;
  variant: number;
  avoid: string;
  emptyAllowed: boolean;
}

/** Depth below which optional properties are sampled (deeper objects get their required ones only). */
const FULL_DEPTH = 3;
const MAX_DEPTH = 12;
/** Characters that need percent-encoding in some part of a URL, or mean something to a form or a cookie. */
const AWKWARD = "a b/c&d?e#f%g,h;i=j[k]+l~m\"é€";
export const SAMPLE_BASE64 = "aGVsbG8sIHdvcmxk"; // "hello, world"

const FORMATS: Record<string, string> = {
  "date-time": "2024-05-06T07:08:09Z",
  date: "2024-05-06",
  time: "07:08:09Z",
  duration: "P1D",
  uuid: "5f1e0c1a-3b7d-4c2e-9a8b-1c2d3e4f5a6b",
  email: "someone@example.test",
  "idn-email": "someone@example.test",
  uri: "https://example.test/a?b=c",
  url: "https://example.test/a?b=c",
  iri: "https://example.test/a",
  "uri-reference": "/a/b",
  "iri-reference": "/a/b",
  "uri-template": "/a/{b}",
  hostname: "example.test",
  "idn-hostname": "example.test",
  ipv4: "192.0.2.10",
  ipv6: "2001:db8::10",
  "json-pointer": "/a/b",
  "relative-json-pointer": "1/a",
  regex: "^a+$",
  byte: SAMPLE_BASE64,
  binary: SAMPLE_BASE64,
  base64: SAMPLE_BASE64,
};

export function sampleInput(schema: JsonSchema, options: SampleOptions): Record<string, unknown> {
  const root = schema as Node;
  const walk: Walk = { root, set: options.set, depth: 0, variant: options.variant ?? 0, avoid: "", emptyAllowed: false };
  const node = deref(root, root);
  const properties = isNode(node["properties"]) ? node["properties"] : {};
  const required = new Set(stringList(node["required"]));
  const args: Record<string, unknown> = {};
  for (const key of optionalAware(Object.keys(properties), required, walk)) {
    const avoid = options.avoid?.(key) ?? "";
    try {
      args[key] = valueOf(properties[key], { ...walk, depth: 1, avoid, emptyAllowed: options.emptyAllowed?.(key) ?? false });
    } catch (error) {
      if (required.has(key) || !(error instanceof Unsampleable)) throw error;
    }
  }
  return args;
}

/** The property names a set samples, in schema order. */
function optionalAware(names: string[], required: ReadonlySet<string>, walk: Walk): string[] {
  if (walk.set === "all" && walk.depth < FULL_DEPTH) return names;
  if (walk.set === "required" || walk.depth >= FULL_DEPTH) return names.filter((name) => required.has(name));
  let optional = 0;
  return names.filter((name) => required.has(name) || optional++ % 2 === 0);
}

function valueOf(raw: unknown, walk: Walk): unknown {
  if (walk.depth > MAX_DEPTH) throw new Unsampleable("the schema needs a value nested deeper than 12 levels");
  const schema = merged(raw, walk.root);
  if (schema["const"] !== undefined) return schema["const"];
  if (Array.isArray(schema["enum"])) {
    const values = schema["enum"].filter((value) => value !== null && !(typeof value === "string" && hasAny(value, walk.avoid)));
    if (values.length === 0) throw new Unsampleable("no enum value can be sent here");
    return values[walk.variant % values.length];
  }
  for (const keyword of ["anyOf", "oneOf"]) {
    const members = schema[keyword];
    if (!Array.isArray(members)) continue;
    const { [keyword]: _, ...siblings } = schema;
    const choices = members.filter((member) => typeOf(merged(member, walk.root)) !== "null");
    if (choices.length === 0) return null;
    // oneOf must match exactly one member: all of the chosen member's properties make it the likeliest to.
    const set = keyword === "oneOf" ? "all" : walk.set;
    return valueOf({ allOf: [siblings, choices[walk.variant % choices.length]] }, { ...walk, set });
  }
  switch (typeOf(schema)) {
    case "string":
      return stringValue(schema, walk);
    case "integer":
      return numberValue(schema, true, walk);
    case "number":
      // OpenAPI's int32/int64 formats are integers whatever the type says (OpenAPI 3.0.3 §4.7.24.1 Data Types).
      return numberValue(schema, schema["format"] === "int32" || schema["format"] === "int64", walk);
    case "boolean":
      return walk.variant % 2 === 0;
    case "array":
      return arrayValue(schema, walk);
    case "object":
      return objectValue(schema, walk);
    default:
      return null;
  }
}

function stringValue(schema: Node, walk: Walk): string {
  const format = typeof schema["format"] === "string" ? schema["format"] : undefined;
  if (format !== undefined && FORMATS[format] !== undefined) return FORMATS[format];
  if (schema["contentEncoding"] === "base64") return SAMPLE_BASE64;
  const min = typeof schema["minLength"] === "number" ? schema["minLength"] : 1;
  const max = typeof schema["maxLength"] === "number" ? schema["maxLength"] : 40;
  if (typeof schema["pattern"] === "string") return patternValue(schema["pattern"], min, max, walk);
  const text = [...AWKWARD].filter((c) => !walk.avoid.includes(c)).join("") + (walk.variant > 0 ? `-${walk.variant}` : "");
  return fit(text, min, max);
}

/** `text` cut or padded to [min, max] characters (code points), never starting or ending with a space. */
function fit(text: string, min: number, max: number): string {
  let chars = [...text];
  while (chars.length < min) chars.push("x");
  chars = chars.slice(0, Math.max(min, Math.min(max, chars.length)));
  if (chars.at(-1) === " ") chars[chars.length - 1] = "x";
  return chars.join("");
}

function patternValue(pattern: string, min: number, max: number, walk: Walk): string {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, "u");
  } catch {
    regex = new RegExp(pattern);
  }
  for (let seed = 1; seed <= 40; seed++) {
    const generator = new RandExp(regex);
    generator.max = 4;
    generator.randInt = seeded(seed * 7919 + walk.variant);
    const text = generator.gen();
    const length = [...text].length;
    // No space at either end: header values lose it (RFC 9110 §5.5), so such a sample could not come back.
    if (length >= min && length <= max && regex.test(text) && !hasAny(text, walk.avoid) && text.trim() === text) return text;
  }
  throw new Unsampleable(`no sample string of ${min}..${max} characters matches /${pattern}/`);
}

/** A small deterministic generator (LCG) in randexp's randInt shape. */
function seeded(seed: number): (a: number, b: number) => number {
  let state = seed >>> 0;
  return (a, b) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return a + (state % (b - a + 1));
  };
}

function numberValue(schema: Node, integer: boolean, walk: Walk): number {
  const step = integer ? 1 : 0.5;
  let low = -Infinity;
  let high = Infinity;
  if (typeof schema["minimum"] === "number") low = schema["minimum"];
  if (typeof schema["exclusiveMinimum"] === "number") low = Math.max(low, schema["exclusiveMinimum"] + step);
  if (typeof schema["maximum"] === "number") high = schema["maximum"];
  if (typeof schema["exclusiveMaximum"] === "number") high = Math.min(high, schema["exclusiveMaximum"] - step);
  let value = (integer ? 3 : 2.5) + walk.variant;
  value = Math.min(Math.max(value, low), high);
  const multipleOf = schema["multipleOf"];
  if (typeof multipleOf === "number" && multipleOf > 0) {
    value = Math.ceil(value / multipleOf) * multipleOf;
    if (value > high) value -= multipleOf;
  }
  if (integer) value = Math.ceil(value);
  if (value < low || value > high) throw new Unsampleable(`no ${integer ? "integer" : "number"} in [${low}, ${high}]`);
  return value;
}

function arrayValue(schema: Node, walk: Walk): unknown[] {
  // Two items where allowed: one item cannot tell an exploded list from a non-exploded one.
  const min = typeof schema["minItems"] === "number" ? schema["minItems"] : 1;
  const max = typeof schema["maxItems"] === "number" ? schema["maxItems"] : Infinity;
  const count = Math.min(Math.max(2, min), max);
  const items: unknown[] = [];
  const seen = new Set<string>();
  for (let i = 0; items.length < count && i < count + 4; i++) {
    const item = valueOf(schema["items"] ?? {}, { ...walk, depth: walk.depth + 1, variant: walk.variant + i });
    const text = JSON.stringify(item);
    if (schema["uniqueItems"] === true && seen.has(text)) continue;
    seen.add(text);
    items.push(item);
  }
  if (items.length < min) throw new Unsampleable(`cannot make ${min} distinct items`);
  return items;
}

function objectValue(schema: Node, walk: Walk): Record<string, unknown> {
  const properties = isNode(schema["properties"]) ? schema["properties"] : {};
  const required = new Set(stringList(schema["required"]));
  const out: Record<string, unknown> = {};
  // A required name the schema gives no property for takes its additionalProperties schema (or any string).
  const names = [...Object.keys(properties), ...[...required].filter((name) => !(name in properties))];
  const chosen = optionalAware(names, required, walk);
  // An empty object is not sent at all (RFC 6570 §2.3 "undefined"): a nested one gets its first property.
  if (chosen.length === 0 && Object.keys(properties).length > 0 && !walk.emptyAllowed) chosen.push(Object.keys(properties)[0]!);
  // minProperties: more of the named properties, in schema order, until there are enough (Figma's postVariables).
  for (const name of Object.keys(properties)) {
    if (chosen.length >= numberOr(schema["minProperties"], 0)) break;
    if (!chosen.includes(name)) chosen.push(name);
  }
  for (const name of chosen) {
    try {
      const member = name in properties ? properties[name] : isNode(schema["additionalProperties"]) ? schema["additionalProperties"] : { type: "string" };
      out[name] = valueOf(member, { ...walk, depth: walk.depth + 1, variant: 0, emptyAllowed: false });
    } catch (error) {
      if (required.has(name) || !(error instanceof Unsampleable)) throw error;
    }
  }
  // A map (no named properties): one entry, so that the value is not empty (an empty object is not sent at all).
  const additional = schema["additionalProperties"];
  if (names.length === 0 && additional !== false && (walk.set !== "required" || numberOr(schema["minProperties"], 0) > 0)) {
    out["key1"] = isNode(additional) ? valueOf(additional, { ...walk, depth: walk.depth + 1 }) : "value";
  }
  return out;
}

function hasAny(text: string, chars: string): boolean {
  return [...chars].some((c) => text.includes(c));
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === "number" ? value : fallback;
}
