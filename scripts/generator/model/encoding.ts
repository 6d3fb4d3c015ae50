/**
 * How each property of a form or multipart body is sent: the Encoding Object of OpenAPI 3.x, or Swagger 2.0's
 * `type: file` and `collectionFormat` on `in: formData` parameters. Properties that need nothing special (scalars,
 * arrays of scalars, objects as JSON) get no part: the request builder's defaults cover them.
 *
 * @see https://spec.openapis.org/oas/v3.1.1#encoding-object
 * @see https://swagger.io/specification/v2/#parameter-object (collectionFormat)
 */
import type { BodyEncoding, BodyPartBinding, ParameterStyle } from "../../../src/tools/types.ts";
import type { SpecDocument } from "../spec/load.ts";
import { COLLECTION_FORMATS } from "./parameters.ts";
import { deref } from "./refs.ts";
import type { Notice, SpecVersion } from "./types.ts";

type Json = Record<string, unknown>;

/**
 * Parts for an OpenAPI 3.x form or multipart body. `style`/`explode`/`allowReserved` apply to urlencoded forms, and
 * to multipart from OpenAPI 3.1 on; a 3.0 document's are ignored there ("SHALL be ignored if the request body media
 * type is not application/x-www-form-urlencoded", 3.0.3 §4.7.15.1), with a notice, since its author may have meant
 * them (Stripe's file upload writes `deepObject` on multipart fields).
 */
export function partsFromEncoding(
  document: SpecDocument,
  version: SpecVersion,
  media: Json,
  encoding: BodyEncoding,
  pointer: string,
  notices: Notice[],
): BodyPartBinding[] {
  if (encoding !== "form" && encoding !== "multipart") return [];
  const encodings = (media["encoding"] ?? {}) as Record<string, Json | undefined>;
  const parts: BodyPartBinding[] = [];
  const properties = topLevelProperties(document, media["schema"]);
  // An index loop: for…of with a destructured pair made an iterator and its results per field (Stripe's forms: ~1,500).
  for (let i = 0; i < properties.names.length; i++) {
    const name = properties.names[i]!;
    const property = resolved(document, properties.values[i]);
    const entry = encodings[name] ?? {};
    if (entry["headers"] !== undefined && encoding === "multipart") {
      notices.push({ pointer: `${pointer}/encoding/${name}/headers`, message: `part headers of "${name}" are not sent (only its Content-Type is)` });
    }
    const styleApplies = encoding === "form" || version !== "3.0";
    if (!styleApplies && isStyled(entry)) {
      notices.push({ pointer: `${pointer}/encoding/${name}`, message: `style/explode of multipart field "${name}" ignored (OpenAPI 3.0 applies them to urlencoded forms only): sent as its content type` });
    }
    const part = partFor(document, name, property, styleApplies ? entry : withoutStyle(entry), encoding);
    if (part) parts.push(part);
  }
  return parts;
}

function partFor(document: SpecDocument, name: string, property: Json, entry: Json, encoding: BodyEncoding): BodyPartBinding | undefined {
  const contentType = concreteType(entry["contentType"]);
  if (encoding === "multipart" && (isBinary(property) || isBinary(resolved(document, property["items"])))) {
    return contentType ? { name, kind: "file", contentType } : { name, kind: "file" };
  }
  // "If a value is explicitly defined, then the value of contentType (implicit or explicit) SHALL be ignored."
  if (isStyled(entry)) {
    const style = (typeof entry["style"] === "string" ? entry["style"] : "form") as ParameterStyle;
    const part: { -readonly [K in keyof BodyPartBinding]: BodyPartBinding[K] } = {
      name,
      kind: "style",
      style,
      // Like a query parameter's: true for form, false otherwise (OpenAPI 3.1.1 §4.8.15.2).
      explode: typeof entry["explode"] === "boolean" ? entry["explode"] : style === "form",
    };
    if (entry["allowReserved"] === true) part.allowReserved = true;
    return part;
  }
  if (contentType && /json/i.test(contentType)) return { name, kind: "json", contentType };
  return undefined;
}

function isStyled(entry: Json): boolean {
  return entry["style"] !== undefined || entry["explode"] !== undefined || entry["allowReserved"] !== undefined;
}

function withoutStyle(entry: Json): Json {
  const { style: _style, explode: _explode, allowReserved: _allowReserved, ...rest } = entry;
  return rest;
}

/**
 * The first concrete type of an Encoding Object's `contentType` (a comma-separated list that may hold wildcards such
 * as `image/*`); undefined when there is none.
 */
function concreteType(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  return value.split(",").map((type) => type.trim()).find((type) => type !== "" && !type.includes("*"));
}

/** Swagger 2.0 `in: formData`: files, and arrays with their `collectionFormat` (csv when absent). */
export function partsFromFormData(params: readonly Json[]): BodyPartBinding[] {
  return params.flatMap((node): BodyPartBinding[] => {
    const name = node["name"] as string;
    if (node["type"] === "file") return [{ name, kind: "file" }];
    if (node["type"] !== "array") return [];
    const format = COLLECTION_FORMATS[String(node["collectionFormat"] ?? "csv")] ?? COLLECTION_FORMATS["csv"]!;
    return [{ name, kind: "style", ...format }];
  });
}

function resolved(document: SpecDocument, node: unknown): Json {
  const target = deref(document, node);
  return target !== null && typeof target === "object" ? target : {};
}

/** Names and schemas of fields, in order. */
interface Fields {
  names: string[];
  values: unknown[];
}

/**
 * The body schema's own properties and those of its `allOf` members (a form body is one flat object), a name given by
 * an `allOf` member only when the schema's own properties do not have it. Written with loops over keys: pairs from
 * Object.entries, spreads and a closure per member were made for every form body.
 */
function topLevelProperties(document: SpecDocument, raw: unknown): Fields {
  const schema = resolved(document, raw);
  const own = (schema["properties"] ?? {}) as Json;
  const fields: Fields = { names: [], values: [] };
  for (const name in own) {
    if (!Object.hasOwn(own, name)) continue;
    fields.names.push(name);
    fields.values.push(own[name]);
  }
  const allOf = schema["allOf"];
  if (!Array.isArray(allOf)) return fields;
  const ownCount = fields.names.length;
  for (let m = 0; m < allOf.length; m++) {
    const member = topLevelProperties(document, allOf[m]);
    for (let i = 0; i < member.names.length; i++) {
      if (indexOfName(fields.names, member.names[i]!, ownCount) !== -1) continue;
      fields.names.push(member.names[i]!);
      fields.values.push(member.values[i]);
    }
  }
  return fields;
}

/** Where `name` is among the first `count` names, or -1. */
function indexOfName(names: readonly string[], name: string, count: number): number {
  for (let i = 0; i < count; i++) if (names[i] === name) return i;
  return -1;
}

function isBinary(property: Json): boolean {
  return property["type"] === "file" || property["format"] === "binary" || property["format"] === "base64" ||
    typeof property["contentMediaType"] === "string";
}
