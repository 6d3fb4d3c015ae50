/**
 * Tool arguments made from the RAW spec (not from the generator's model), and the HTTP request those arguments
 * must produce, also worked out from the raw spec with OpenAPI's serialisation rules. The dry-run test feeds the
 * arguments to the generated tool and compares what the request builder makes with this expectation.
 *
 * Values: an example (when it fits the schema), else `const`/`enum`/`default`, else a value of the schema's type
 * within its constraints. Strings carry characters that need encoding (space, `/`, `&`, `?`, `#`, `%`, `,`, `;`, `=`)
 * unless a format or pattern rules them out, so the expected request also checks the encoding.
 */
import { isObject, resolve, type Json, type RawParameter } from "./raw-spec.ts";

/** The schema admits no value this builder can make (e.g. `allOf` of a string and an integer). */
export class Unsatisfiable extends Error {}

/** A string that needs percent-encoding almost everywhere. */
const AWKWARD = "a b/c&d?e#f%g,h;i=j";
/** base64 of "hello, world" (binary values travel as base64 in tool arguments). */
export const SAMPLE_BASE64 = "aGVsbG8sIHdvcmxk";

const FORMATS: Record<string, string> = {
  "date-time": "2024-05-06T07:08:09Z",
  date: "2024-05-06",
  time: "07:08:09Z",
  uuid: "5f1e0c1a-3b7d-4c2e-9a8b-1c2d3e4f5a6b",
  email: "someone@example.test",
  uri: "https://example.test/resource?x=1",
  url: "https://example.test/resource?x=1",
  "uri-reference": "/resource",
  hostname: "example.test",
  ipv4: "192.0.2.10",
  ipv6: "2001:db8::10",
  byte: SAMPLE_BASE64,
  binary: SAMPLE_BASE64,
  base64: SAMPLE_BASE64,
};

/** Candidates tried, in order, against a `pattern`. */
const PATTERN_CANDIDATES = [
  "abc", "ABC", "abc123", "abc-def", "a_b.c-d", "123", "1.2.3", "v1", "a", "A1", "2024-05-06", "ab:cd",
  "someone@example.test", "file.json", `sha256:${"a".repeat(64)}`, "0a1b2c3d", "AB12", "aaaaaaaa",
  "0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef01234567",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample", "/versions/1.0/categories/guides/page",
];

/**
 * A spec's pattern can backtrack catastrophically: 3.1/readme.json's `(([a-z0-9-_ ]|[^…])+.(json|yaml|yml))` doubles
 * its time with every character of a string it does not match (50 ms at 26, minutes at 40). Strings longer than
 * this are only tested against patterns without a quantified group.
 */
const SAFE_LENGTH = 20;

function testPattern(pattern: string, text: string): boolean {
  if (text.length > SAFE_LENGTH && /\)(?:[*+]|\{\d+,)/.test(pattern)) return false;
  return compile(pattern).test(text);
}

interface Walk {
  doc: Json;
  /** Distinguishes the items of an array (uniqueItems) and the two values of one schema. */
  variant: number;
  depth: number;
  /** Top-level objects (a parameter, the body) get all their properties; nested ones their required ones. */
  allProperties: boolean;
  /** Whether the top-level value may be `null`. */
  allowNull: boolean;
}

/** A value for `schema` (a raw Schema Object, 2.0 parameter or 3.x), preferring `examples` given beside it. */
export function sampleValue(doc: Json, schema: unknown, examples: unknown[] = [], allProperties = true, allowNull = true): unknown {
  const walk: Walk = { doc, variant: 0, depth: 0, allProperties, allowNull };
  for (const example of examples) {
    if (example !== undefined && (allowNull || example !== null) && conforms(doc, example, schema)) return example;
  }
  return valueOf(schema, walk);
}

/** A parameter's value: its own `example`/`examples` first, then its schema's. */
export function parameterValue(doc: Json, parameter: RawParameter): unknown {
  const examples: unknown[] = [parameter.node["example"]];
  if (isObject(parameter.node["examples"])) {
    for (const example of Object.values(parameter.node["examples"])) examples.push(resolve(doc, example)?.["value"]);
  }
  return sampleValue(doc, parameter.schema, examples);
}

function valueOf(raw: unknown, walk: Walk): unknown {
  if (walk.depth > 8) throw new Unsatisfiable("schema recursion requires a value deeper than 8 levels");
  const schema = merged(walk.doc, raw);
  for (const example of schemaExamples(schema)) {
    if ((example !== null || walk.allowNull || walk.depth > 0) && conforms(walk.doc, example, schema)) return example;
  }
  if (schema["const"] !== undefined) return schema["const"];
  if (Array.isArray(schema["enum"])) {
    const values = schema["enum"].filter((v) => v !== null);
    if (values.length > 0) return values[walk.variant % values.length];
  }
  if (schema["default"] !== undefined && schema["default"] !== null && conforms(walk.doc, schema["default"], schema)) {
    return schema["default"];
  }
  for (const keyword of ["oneOf", "anyOf"]) {
    if (Array.isArray(schema[keyword])) {
      const { [keyword]: members, ...siblings } = schema;
      const member = (members as unknown[]).find((m) => resolve(walk.doc, m)?.["type"] !== "null") ?? (members as unknown[])[0];
      return valueOf(combine(walk.doc, [siblings, member]), walk);
    }
  }
  const type = typeOf(schema);
  switch (type) {
    case "string":
      return stringValue(schema, walk);
    case "integer":
    case "number":
      return numberValue(schema, type, walk);
    case "boolean":
      return walk.variant % 2 === 0;
    case "null":
      return null;
    case "array":
      return arrayValue(schema, walk);
    case "object":
      return objectValue(schema, walk);
    case "file":
      return SAMPLE_BASE64;
    default:
      throw new Unsatisfiable(`no value for type ${JSON.stringify(schema["type"])}`);
  }
}

function schemaExamples(schema: Json): unknown[] {
  const examples: unknown[] = [];
  if (schema["example"] !== undefined) examples.push(schema["example"]);
  if (Array.isArray(schema["examples"])) examples.push(...schema["examples"]);
  return examples;
}

/** One type: the first non-null one listed, else what the keywords imply, else string. */
function typeOf(schema: Json): string {
  const type = schema["type"];
  if (typeof type === "string") return type;
  if (Array.isArray(type)) return (type.find((t) => t !== "null") as string | undefined) ?? "null";
  if (isObject(schema["properties"]) || isObject(schema["additionalProperties"])) return "object";
  if (schema["items"] !== undefined) return "array";
  return "string";
}

function stringValue(schema: Json, walk: Walk): string {
  const format = typeof schema["format"] === "string" ? schema["format"] : undefined;
  if (format && FORMATS[format] !== undefined) return FORMATS[format];
  if (schema["contentEncoding"] === "base64") return SAMPLE_BASE64;
  const min = typeof schema["minLength"] === "number" ? schema["minLength"] : 0;
  const max = typeof schema["maxLength"] === "number" ? schema["maxLength"] : Infinity;
  const fit = (text: string): string => (text.length < min ? text.padEnd(min, "x") : text).slice(0, max);
  const base = walk.variant === 0 ? AWKWARD : `${AWKWARD}-${walk.variant}`;
  if (typeof schema["pattern"] !== "string") return fit(base);
  const pattern = schema["pattern"];
  const found = [base, ...PATTERN_CANDIDATES].map(fit).find((text) => testPattern(pattern, text));
  if (found === undefined) throw new Unsatisfiable(`no sample string matches /${schema["pattern"]}/`);
  return found;
}

function compile(pattern: string): RegExp {
  try {
    return new RegExp(pattern, "u");
  } catch {
    return new RegExp(pattern);
  }
}

function numberValue(schema: Json, type: "integer" | "number", walk: Walk): number {
  // OpenAPI 3.0/2.0 say `exclusiveMinimum: true` beside `minimum`; 3.1 says `exclusiveMinimum: <number>`.
  let low = -Infinity;
  let high = Infinity;
  const step = type === "integer" ? 1 : 0.5;
  if (typeof schema["minimum"] === "number") low = schema["minimum"] + (schema["exclusiveMinimum"] === true ? step : 0);
  if (typeof schema["exclusiveMinimum"] === "number") low = Math.max(low, schema["exclusiveMinimum"] + step);
  if (typeof schema["maximum"] === "number") high = schema["maximum"] - (schema["exclusiveMaximum"] === true ? step : 0);
  if (typeof schema["exclusiveMaximum"] === "number") high = Math.min(high, schema["exclusiveMaximum"] - step);
  let value = (type === "integer" ? 3 : 2.5) + walk.variant;
  if (value < low) value = low;
  if (value > high) value = high;
  const multipleOf = schema["multipleOf"];
  if (typeof multipleOf === "number" && multipleOf > 0) {
    value = Math.ceil(value / multipleOf) * multipleOf;
    if (value > high) value -= multipleOf;
  }
  if (type === "integer" && !Number.isInteger(value)) value = Math.ceil(value);
  if (value < low || value > high) throw new Unsatisfiable(`no ${type} in [${low}, ${high}]`);
  return value;
}

function arrayValue(schema: Json, walk: Walk): unknown[] {
  // Two items where allowed: one item cannot tell an exploded array from a non-exploded one.
  const min = typeof schema["minItems"] === "number" ? schema["minItems"] : 0;
  const max = typeof schema["maxItems"] === "number" ? schema["maxItems"] : Infinity;
  const count = Math.min(Math.max(2, min), max);
  const items: unknown[] = [];
  for (let i = 0; i < count; i++) items.push(valueOf(schema["items"] ?? {}, { ...walk, variant: walk.variant + i, depth: walk.depth + 1, allProperties: false }));
  if (schema["uniqueItems"] === true && new Set(items.map((item) => JSON.stringify(item))).size < items.length) {
    return items.slice(0, Math.max(1, min));
  }
  return items;
}

function objectValue(schema: Json, walk: Walk): Json {
  const required = new Set(Array.isArray(schema["required"]) ? (schema["required"] as string[]) : []);
  const properties = isObject(schema["properties"]) ? schema["properties"] : {};
  const out: Json = {};
  const names = Object.keys(properties);
  // Nested objects: their required properties, or their first one so that the object is not empty.
  const chosen = walk.allProperties ? names : names.filter((name) => required.has(name));
  if (chosen.length === 0 && names.length > 0 && walk.depth < 3) chosen.push(names[0]!);
  for (const name of chosen) {
    const property = resolve(walk.doc, properties[name]) ?? {};
    if (property["readOnly"] === true) continue; // not sent in requests
    try {
      out[name] = valueOf(properties[name], { ...walk, variant: 0, depth: walk.depth + 1, allProperties: false });
    } catch (error) {
      if (required.has(name) || !(error instanceof Unsatisfiable)) throw error;
    }
  }
  // A name the schema requires but does not describe (Figma's team_id) must be there, with any value.
  for (const name of required) if (!Object.hasOwn(properties, name) && schema["additionalProperties"] !== false) out[name] = "value";
  if (names.length === 0) {
    const additional = schema["additionalProperties"];
    if (additional === false) return out;
    // A map: one entry (an empty object would not be sent at all as a parameter).
    out["key"] = isObject(additional) ? valueOf(additional, { ...walk, depth: walk.depth + 1, allProperties: false }) : "value";
  }
  return out;
}

/** The schema with `$ref`s resolved and `allOf` merged into one (properties, required and constraints together). */
function merged(doc: Json, raw: unknown): Json {
  const schema = resolve(doc, raw) ?? {};
  const allOf = schema["allOf"];
  if (!Array.isArray(allOf)) return schema;
  const { allOf: _, ...rest } = schema;
  return combine(doc, [rest, ...allOf]);
}

function combine(doc: Json, members: unknown[]): Json {
  const out: Json = {};
  const properties: Json = {};
  const required: string[] = [];
  for (const member of members.map((m) => merged(doc, m))) {
    if (member["type"] !== undefined && out["type"] !== undefined && JSON.stringify(member["type"]) !== JSON.stringify(out["type"])) {
      const common = intersectTypes(out["type"], member["type"]);
      if (common.length === 0) throw new Unsatisfiable(`allOf of ${JSON.stringify(out["type"])} and ${JSON.stringify(member["type"])}`);
      out["type"] = common.length === 1 ? common[0] : common;
    }
    for (const [key, value] of Object.entries(member)) {
      if (key === "properties" && isObject(value)) Object.assign(properties, value);
      else if (key === "required" && Array.isArray(value)) required.push(...(value as string[]));
      else if (out[key] === undefined) out[key] = value;
    }
  }
  if (Object.keys(properties).length > 0) out["properties"] = properties;
  if (required.length > 0) out["required"] = [...new Set(required)];
  return out;
}

function intersectTypes(a: unknown, b: unknown): string[] {
  const list = (t: unknown): string[] => (Array.isArray(t) ? (t as string[]) : [t as string]);
  const widen = (types: string[]): string[] => (types.includes("number") ? [...types, "integer"] : types);
  return widen(list(a)).filter((t) => widen(list(b)).includes(t));
}

// ---------------------------------------------------------------------------------------------------------------
// Does a value (an example, a default) fit its schema? A light check, enough to reject examples that do not.

const FORMAT_CHECKS: Record<string, RegExp> = {
  "date-time": /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  uuid: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
  email: /^[^@\s]+@[^@\s]+$/,
  ipv4: /^(\d{1,3}\.){3}\d{1,3}$/,
  byte: /^[A-Za-z0-9+/]*={0,2}$/,
};

export function conforms(doc: Json, value: unknown, raw: unknown, depth = 0): boolean {
  if (depth > 16) return true;
  const schema = resolve(doc, raw) ?? {};
  if (value === null) return schema["nullable"] === true || schema["x-nullable"] === true || typesOf(schema).includes("null");
  if (Array.isArray(schema["allOf"]) && !schema["allOf"].every((m) => conforms(doc, value, m, depth + 1))) return false;
  for (const keyword of ["oneOf", "anyOf"]) {
    if (Array.isArray(schema[keyword]) && !schema[keyword].some((m) => conforms(doc, value, m, depth + 1))) return false;
  }
  if (Array.isArray(schema["enum"]) && !schema["enum"].some((e) => JSON.stringify(e) === JSON.stringify(value))) return false;
  if (schema["const"] !== undefined && JSON.stringify(schema["const"]) !== JSON.stringify(value)) return false;
  const types = typesOf(schema);
  if (types.length > 0 && !types.some((type) => hasType(value, type))) return false;
  if (typeof value === "string") {
    const format = schema["format"];
    // Binary content is base64 in a tool argument; an example of it is the raw content.
    if (format === "binary" || schema["type"] === "file" || schema["contentEncoding"] === "base64") return false;
    if (typeof format === "string" && FORMAT_CHECKS[format] && !FORMAT_CHECKS[format].test(value)) return false;
    if (typeof schema["minLength"] === "number" && value.length < schema["minLength"]) return false;
    if (typeof schema["maxLength"] === "number" && value.length > schema["maxLength"]) return false;
    if (typeof schema["pattern"] === "string" && !testPattern(schema["pattern"], value)) return false;
  }
  if (typeof value === "number") {
    if (typeof schema["minimum"] === "number" && (value < schema["minimum"] || (schema["exclusiveMinimum"] === true && value === schema["minimum"]))) return false;
    if (typeof schema["maximum"] === "number" && (value > schema["maximum"] || (schema["exclusiveMaximum"] === true && value === schema["maximum"]))) return false;
    if (typeof schema["exclusiveMinimum"] === "number" && value <= schema["exclusiveMinimum"]) return false;
    if (typeof schema["exclusiveMaximum"] === "number" && value >= schema["exclusiveMaximum"]) return false;
    if (typeof schema["multipleOf"] === "number" && !Number.isInteger(value / schema["multipleOf"])) return false;
  }
  if (Array.isArray(value)) {
    if (typeof schema["minItems"] === "number" && value.length < schema["minItems"]) return false;
    if (typeof schema["maxItems"] === "number" && value.length > schema["maxItems"]) return false;
    if (schema["items"] !== undefined && !value.every((item) => conforms(doc, item, schema["items"], depth + 1))) return false;
  }
  if (isObject(value)) {
    const properties = isObject(schema["properties"]) ? schema["properties"] : {};
    const required = Array.isArray(schema["required"]) ? (schema["required"] as string[]) : [];
    if (!required.every((name) => name in value)) return false;
    for (const [name, member] of Object.entries(value)) {
      if (name in properties) {
        if ((resolve(doc, properties[name]) ?? {})["readOnly"] === true) return false; // not accepted in a request
        if (!conforms(doc, member, properties[name], depth + 1)) return false;
      } else if (Object.keys(properties).length > 0 && schema["additionalProperties"] === undefined) {
        // Allowed by JSON Schema, but an example naming a property its schema does not declare is out of date
        // (GitHub's `publish` example has `repository`, the schema `name`), or not an example at all (a literal
        // `{"$ref": …}` under 3.0 `example`): a flattened input has no key for it.
        return false;
      } else if (schema["additionalProperties"] === false) return false;
      else if (isObject(schema["additionalProperties"]) && !conforms(doc, member, schema["additionalProperties"], depth + 1)) return false;
    }
  }
  return true;
}

function typesOf(schema: Json): string[] {
  const type = schema["type"];
  const types = typeof type === "string" ? [type] : Array.isArray(type) ? (type as string[]) : [];
  return schema["nullable"] === true || schema["x-nullable"] === true ? [...types, "null"] : types;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "string":
    case "file":
      return typeof value === "string";
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "object":
      return isObject(value);
    case "null":
      return value === null;
    default:
      return true;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Wanted wire forms (OpenAPI 3.1.1 §4.8.12.4 Style Examples; RFC 6570 for path styles)

/** RFC 6570 §3.2.1: everything but unreserved characters is percent-encoded (as UTF-8). */
export function encodeStrict(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A primitive as text (booleans and numbers as in JSON); nested values as JSON. */
export function scalar(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function entriesOf(value: Json): [string, string][] {
  return Object.entries(value).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, scalar(v)]);
}

/** The text of a path parameter in the URL (already percent-encoded). */
export function wantedPathText(parameter: RawParameter, value: unknown): string {
  const e = encodeStrict;
  if (parameter.json) return e(JSON.stringify(value));
  const name = parameter.name;
  const style = parameter.style === "label" || parameter.style === "matrix" ? parameter.style : "simple";
  const explode = parameter.explode;
  if (Array.isArray(value)) {
    const items = value.map((item) => e(scalar(item)));
    if (style === "simple") return items.join(",");
    if (style === "label") return `.${items.join(explode ? "." : ",")}`;
    return explode ? items.map((item) => `;${e(name)}=${item}`).join("") : `;${e(name)}=${items.join(",")}`;
  }
  if (isObject(value)) {
    const entries = entriesOf(value).map(([k, v]) => [e(k), e(v)] as const);
    const pairs = entries.map(([k, v]) => `${k}=${v}`);
    const flat = entries.flat();
    if (style === "simple") return explode ? pairs.join(",") : flat.join(",");
    if (style === "label") return explode ? `.${pairs.join(".")}` : `.${flat.join(",")}`;
    return explode ? pairs.map((pair) => `;${pair}`).join("") : `;${e(name)}=${flat.join(",")}`;
  }
  const text = e(scalar(value));
  if (style === "label") return `.${text}`;
  if (style === "matrix") return text === "" ? `;${e(name)}` : `;${e(name)}=${text}`;
  return text;
}

const DELIMITERS: Record<string, string> = { form: ",", spaceDelimited: " ", pipeDelimited: "|", tabDelimited: "\t" };

/**
 * Query (or cookie, or styled form field) name/value pairs, decoded. Nested values of exploded fields (undefined in
 * OpenAPI) are written with brackets (DESIGN.md decision 8), except in cookies (`nested: "json"`).
 */
export function wantedPairs(
  parameter: Pick<RawParameter, "name" | "style" | "explode" | "json">,
  value: unknown,
  nested: "json" | "brackets" = "brackets",
): [string, string][] {
  const name = parameter.name;
  if (parameter.json) return [[name, JSON.stringify(value)]];
  // deepObject beyond one level of scalars is undefined in OpenAPI: the bracket convention, arrays as `a[]`.
  if (parameter.style === "deepObject" && (Array.isArray(value) || isObject(value))) return bracketed(name, value);
  const delimiter = DELIMITERS[parameter.style] ?? ",";
  if (Array.isArray(value)) {
    if (nested === "brackets" && parameter.explode && value.some((item) => isObject(item) || Array.isArray(item))) return bracketed(name, value);
    const items = value.map(scalar);
    return parameter.explode ? items.map((item) => [name, item]) : [[name, items.join(delimiter)]];
  }
  if (isObject(value)) {
    if (nested === "brackets" && parameter.explode) return Object.entries(value).flatMap(([k, v]) => bracketed(k, v));
    const entries = entriesOf(value);
    return parameter.explode ? entries : [[name, entries.flat().join(delimiter)]];
  }
  return [[name, scalar(value)]];
}

/** `a[b][c]=1`, `a[]=x` for arrays of scalars, `a[0][b]=1` for arrays of objects or arrays; nulls left out. */
export function bracketed(name: string, value: unknown): [string, string][] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) {
    const items = value.filter((item) => item !== null && item !== undefined);
    if (items.some((item) => typeof item === "object")) return items.flatMap((item, i) => bracketed(`${name}[${i}]`, item));
    return items.map((item) => [`${name}[]`, scalar(item)]);
  }
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => bracketed(`${name}[${k}]`, v));
  return [[name, scalar(value)]];
}

/** A header's value (`simple` style, not percent-encoded). */
export function wantedHeader(parameter: RawParameter, value: unknown): string {
  if (parameter.json) return JSON.stringify(value);
  if (Array.isArray(value)) return value.map(scalar).join(",");
  if (isObject(value)) {
    const entries = entriesOf(value);
    return parameter.explode ? entries.map(([k, v]) => `${k}=${v}`).join(",") : entries.flat().join(",");
  }
  return scalar(value);
}
