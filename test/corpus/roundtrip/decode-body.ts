/**
 * The request body read back by the spec: the Content-Type must be one the operation lists (a wildcard such as
 * `*\/*` admits any), then the bytes are decoded by what was actually sent: JSON, application/x-www-form-urlencoded
 * and multipart/form-data property by property with their Encoding Objects, text, or opaque bytes.
 *
 * Form and multipart properties follow OpenAPI 3.1.1 §4.8.15 (Encoding Object; the same rules in 3.0.4 §4.7.15):
 * an explicit `style`, `explode` or `allowReserved` makes a property a query-style parameter; otherwise it is sent
 * as its `contentType`, by default `application/json` for objects, text for primitives, bytes for binary strings
 * (base64 in a form body, which is text), and arrays as one field or part per item. Swagger 2.0 `in: formData`
 * parameters are read the same way, their `collectionFormat` standing for the style (spec-body.ts).
 */
import { isObject, type Json, type RawSpec } from "../raw-spec.ts";
import { setMember } from "./brackets.ts";
import { parseMultipart, type Part } from "./multipart.ts";
import { isJsonMedia, matchMedia, type BodyMedia, type SpecBody } from "./spec-body.ts";
import { declaredProperties, isBinary, isOpenObject, itemsSchema, propertySchema, shapesOf } from "./shapes.ts";
import { decodePairField, decodePairs, decodeSpreadObject, parseJson, type Decoded, type Field, type Pair, type PairEncoding } from "./styles.ts";
import { base64Of, DecodeError, splitPairs, utf8, type Wire } from "./wire.ts";

export interface DecodedBody {
  /** The media type the spec lists that the request's Content-Type matched. */
  matched: BodyMedia;
  value: unknown;
  /** Text fields whose types a server infers from the schema (form, multipart, text): coerced before checking. */
  coerce: boolean;
  /** How the body was decoded. */
  as: "json" | "form" | "multipart" | "text" | "bytes";
}

export function decodeBody(spec: RawSpec, body: SpecBody, wire: Wire): DecodedBody {
  const sent = wire.contentType;
  if (!sent) throw new DecodeError("a body is sent without Content-Type");
  const matched = matchMedia(body, sent);
  if (!matched) throw new DecodeError(`Content-Type ${sent.essence} is not one the operation lists (${body.media.map((m) => m.key).join(", ")})`);
  const bytes = wire.body ?? new Uint8Array();
  const schema = matched.media["schema"];
  if (isJsonMedia(sent.essence)) return { matched, value: parseJson(utf8(bytes), "the JSON body"), coerce: false, as: "json" };
  if (sent.essence === "application/x-www-form-urlencoded") {
    const pairs = decodePairs(splitPairs(utf8(bytes), "&"), "form");
    return { matched, value: decodeFields(spec.doc, matched.media, pairs, "form"), coerce: true, as: "form" };
  }
  if (sent.essence === "multipart/form-data") {
    const boundary = sent.parameters.get("boundary");
    if (!boundary) throw new DecodeError("multipart/form-data without a boundary parameter (RFC 7578 §4.1)");
    return { matched, value: decodeParts(spec, matched.media, parseMultipart(bytes, boundary)), coerce: true, as: "multipart" };
  }
  const structured = schema !== undefined && !isBinary(spec.doc, schema) && !shapesOf(spec.doc, schema).has("scalar");
  if (structured) throw new DecodeError(`the body's schema is structured (${[...shapesOf(spec.doc, schema)].join("/")}) but it is sent as opaque ${sent.essence}`);
  if (sent.essence.startsWith("text/") && !isBinary(spec.doc, schema)) return { matched, value: utf8(bytes), coerce: true, as: "text" };
  return { matched, value: base64Of(bytes), coerce: false, as: "bytes" };
}

// ---------------------------------------------------------------------------------------------------------------
// application/x-www-form-urlencoded

function encodingOf(media: Json, name: string): Json {
  const encoding = isObject(media["encoding"]) ? media["encoding"][name] : undefined;
  return isObject(encoding) ? encoding : {};
}

/** OpenAPI 3.1.1 §4.8.15.1: any of these present makes the property a query-style parameter. */
function isStyled(encoding: Json): boolean {
  return encoding["style"] !== undefined || encoding["explode"] !== undefined || encoding["allowReserved"] !== undefined;
}

function styledField(name: string, schema: Json, encoding: Json): Field {
  const style = typeof encoding["style"] === "string" ? encoding["style"] : "form";
  const explode = typeof encoding["explode"] === "boolean" ? encoding["explode"] : style === "form";
  return { name, style, explode, schema };
}

function decodeFields(doc: Json, media: Json, pairs: Pair[], encoding: PairEncoding): Record<string, Decoded> {
  const schema = media["schema"] ?? {};
  const out: Record<string, Decoded> = {};
  const spread: Field[] = [];
  for (const name of declaredProperties(doc, schema)) {
    const property = propertySchema(doc, schema, name) ?? {};
    const enc = encodingOf(media, name);
    let value: Decoded | undefined;
    if (isStyled(enc)) {
      const field = styledField(name, property, enc);
      value = decodePairField(doc, field, pairs, encoding);
      if (value === undefined && field.style === "form" && field.explode && shapesOf(doc, property).has("object")) spread.push(field);
    } else value = contentField(doc, name, property, enc, pairs);
    if (value !== undefined) setMember(out, name, value);
  }
  for (const field of spread) {
    const value = decodeSpreadObject(doc, field, pairs, encoding);
    if (value !== undefined) setMember(out, field.name, value);
  }
  // Members of an open object (additionalProperties) are plain fields.
  if (isOpenObject(doc, schema)) {
    for (const pair of pairs.filter((p) => !p.used)) {
      const value = decodePairField(doc, { name: pair.name, style: "form", explode: true, schema: propertySchema(doc, schema, pair.name) ?? {} }, pairs, encoding);
      if (value !== undefined) setMember(out, pair.name, value);
    }
  }
  const unknown = pairs.filter((p) => !p.used);
  if (unknown.length > 0) throw new DecodeError(`form field ${unknown[0]!.name} is not a property of the body schema`);
  return out;
}

/**
 * A property sent as its `contentType` (OpenAPI 3.1.1 §4.8.15.1 defaults): JSON for objects (and for items of arrays
 * of objects), base64 text for binary, plain text otherwise. Arrays are one field per item.
 */
function contentField(doc: Json, name: string, schema: Json, encoding: Json, pairs: Pair[]): Decoded | undefined {
  const fields = pairs.filter((p) => !p.used && p.name === name);
  const bracketed = pairs.find((p) => !p.used && p.name.startsWith(`${name}[`));
  if (bracketed) throw new DecodeError(`form field ${name} has no Encoding Object style, so it is sent as its content type (${contentTypeOf(doc, schema, encoding)}), not as ${bracketed.name}=…`);
  if (fields.length === 0) return undefined;
  fields.forEach((p) => (p.used = true));
  const shapes = shapesOf(doc, schema);
  const list = shapes.has("array") && (fields.length > 1 || !shapes.has("scalar") && !shapes.has("object"));
  const itemSchema = list ? (itemsSchema(doc, schema) ?? {}) : schema;
  const read = (text: string): Decoded => (contentTypeOf(doc, itemSchema, encoding) === "application/json" ? parseJson(text, `form field ${name}`) : text);
  if (list && fields.length === 1) rejectJsonList(doc, `form field ${name}`, itemSchema, fields[0]!.value);
  if (list) return fields.map((p) => read(p.value));
  if (fields.length > 1) throw new DecodeError(`form field ${name} is sent ${fields.length} times but is not a list`);
  return read(fields[0]!.value);
}

function contentTypeOf(doc: Json, schema: Json, encoding: Json): string {
  if (typeof encoding["contentType"] === "string") return encoding["contentType"].split(",")[0]!.split(";")[0]!.trim().toLowerCase();
  if (isBinary(doc, schema)) return "application/octet-stream";
  const shapes = shapesOf(doc, schema);
  if (shapes.has("scalar")) return "text/plain";
  if (shapes.has("object")) return "application/json";
  const items = itemsSchema(doc, schema);
  return items && !shapesOf(doc, items).has("scalar") ? "application/json" : "text/plain";
}

// ---------------------------------------------------------------------------------------------------------------
// multipart/form-data

/**
 * Parts by name; an array property is one part per item (RFC 7578 §4.3). Each part's Content-Type must be the
 * property's (explicit `contentType`, a list or wildcard allowed, or the default); binary parts come out as base64.
 * `style`/`explode`/`allowReserved` apply to multipart from OpenAPI 3.1 on (3.0.3 §4.7.15.1: "SHALL be ignored if
 * the request body media type is not application/x-www-form-urlencoded"); 2.0's collectionFormat applies to formData.
 */
function decodeParts(spec: RawSpec, media: Json, parts: Part[]): Record<string, Decoded> {
  const doc = spec.doc;
  const schema = media["schema"] ?? {};
  const out: Record<string, Decoded> = {};
  const names = new Set([...declaredProperties(doc, schema), ...(isOpenObject(doc, schema) ? parts.map((p) => p.name) : [])]);
  const styled: Pair[] = [];
  const spread: Field[] = [];
  for (const name of names) {
    const property = propertySchema(doc, schema, name) ?? {};
    const enc = encodingOf(media, name);
    const own = parts.filter((p) => p.name === name || p.name.startsWith(`${name}[`));
    // An exploded form-style object sends its members as parts of their own (`foo`, `bar`), as a form body does.
    if (own.length === 0 && spec.version !== "3.0" && isStyled(enc)) {
      const field = styledField(name, property, enc);
      if (field.style === "form" && field.explode && shapesOf(doc, property).has("object")) spread.push(field);
    }
    if (own.length === 0) continue;
    if (spec.version !== "3.0" && isStyled(enc)) {
      // A query-style property: its name=value pairs, each a text part.
      styled.push(...own.map((p) => ({ name: p.name, value: utf8(p.body), raw: utf8(p.body), used: false })));
      const value = decodePairField(doc, styledField(name, property, enc), styled, "none");
      if (value !== undefined) setMember(out, name, value);
      continue;
    }
    const shapes = shapesOf(doc, property);
    const list = shapes.has("array") && (own.length > 1 || !shapes.has("scalar"));
    const itemSchema = list ? (itemsSchema(doc, property) ?? {}) : property;
    if (list && own.length === 1) rejectJsonList(doc, `part ${name}`, itemSchema, utf8(own[0]!.body));
    const values = own.map((part) => partValue(doc, name, itemSchema, enc, part));
    if (!list && values.length > 1) throw new DecodeError(`part ${name} is sent ${values.length} times but is not a list`);
    setMember(out, name, list ? values : values[0]);
  }
  const loose = parts
    .filter((p) => ![...names].some((n) => p.name === n || p.name.startsWith(`${n}[`)))
    .map((p): Pair => ({ name: p.name, value: utf8(p.body), raw: utf8(p.body), used: false }));
  for (const field of spread) {
    const value = decodeSpreadObject(doc, field, loose, "none");
    if (value !== undefined) setMember(out, field.name, value);
  }
  const unknown = loose.find((p) => !p.used);
  if (unknown) throw new DecodeError(`part ${unknown.name} is not a property of the body schema`);
  return out;
}

function partValue(doc: Json, name: string, schema: Json, encoding: Json, part: Part): Decoded {
  const wanted = typeof encoding["contentType"] === "string"
    ? encoding["contentType"].split(",").map((t) => t.split(";")[0]!.trim().toLowerCase())
    : [contentTypeOf(doc, schema, encoding)];
  const sent = part.contentType.essence;
  const fits = wanted.some((type) => type === sent || type === "*/*" || (type.endsWith("/*") && sent.startsWith(type.slice(0, -1))));
  if (!fits) throw new DecodeError(`part ${name} is sent as ${sent}, the spec says ${wanted.join(" or ")}`);
  if (isJsonMedia(sent)) return parseJson(utf8(part.body), `part ${name}`);
  if (isBinary(doc, schema) || !sent.startsWith("text/")) return base64Of(part.body);
  return utf8(part.body);
}

/**
 * A list sent as one field or part holding a JSON array: OpenAPI sends one per item (3.1.1 §4.8.15.4, RFC 7578
 * §4.3), so a server reads one item, the JSON text. Said as such rather than as a schema error on that item.
 */
function rejectJsonList(doc: Json, where: string, itemSchema: Json, text: string): void {
  if (!text.startsWith("[")) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return;
  }
  const itemIsList = shapesOf(doc, itemSchema).has("array");
  if (Array.isArray(parsed) && !itemIsList) throw new DecodeError(`${where} is a list but is sent as one value of JSON text (${text.slice(0, 40)}), not one per item`);
}
