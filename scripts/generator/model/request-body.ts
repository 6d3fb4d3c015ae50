/**
 * Request bodies → the model's body: one media type chosen (JSON first), its schema for the tool input, and the
 * parts of a form or multipart body that are files or JSON documents.
 *
 * @see https://spec.openapis.org/oas/v3.1.0#request-body-object
 * @see https://spec.openapis.org/oas/v3.1.0#encoding-object
 * @see https://swagger.io/specification/v2/#parameter-object (in: body / formData)
 */
import type { BodyEncoding } from "../../../src/tools/types.ts";
import type { SpecDocument } from "../spec/load.ts";
import type { RawParameter } from "./parameters.ts";
import { swagger2Schema } from "./parameters.ts";
import { deref } from "./refs.ts";
import { normalizeSchema, type SchemaRegistry } from "./schema.ts";
import type { BodyModel, BodyPartModel, Schema } from "./types.ts";

/** Thrown when an operation has a body the bridge cannot send; the operation is skipped with this reason. */
export class UnsupportedBody extends Error {}

interface MediaChoice {
  contentType: string;
  encoding: BodyEncoding;
}

/**
 * `application/xml` and `application/*+xml` are documents the model would have to write, not opaque bytes: the
 * `application/*` catch-all used to take them as base64 binary, hiding the schema. They are unsupported instead
 * (the operation is skipped with the reason), like any other type the bridge cannot send.
 */
const XML = /^application\/(?:[\w.+-]*\+)?xml$/;

/** Encodings in order of preference: a model writes JSON most reliably. */
const PREFERENCE: readonly ((type: string) => BodyEncoding | undefined)[] = [
  (t) => (t === "application/json" || /^application\/[\w.+-]*\+json$/.test(t) ? "json" : undefined),
  (t) => (/^application\/[\w.+-]*json/.test(t) ? "json" : undefined),
  (t) => (t === "application/x-www-form-urlencoded" ? "form" : undefined),
  (t) => (t === "multipart/form-data" || t === "multipart/mixed" ? "multipart" : undefined),
  (t) => (t.startsWith("text/") ? "text" : undefined),
  (t) =>
    t === "application/octet-stream" || t === "*/*" || (/^(image|audio|video|application)\//.test(t) && !XML.test(t))
      ? "binary"
      : undefined,
];

export function chooseMediaType(types: readonly string[]): MediaChoice | undefined {
  const normalised = types.map((t) => ({ raw: t, bare: t.split(";")[0]!.trim().toLowerCase() }));
  for (const match of PREFERENCE) {
    for (const { raw, bare } of normalised) {
      const encoding = match(bare);
      // `*/*` and wildcard types cannot be sent as a Content-Type; octet-stream is the honest choice for bytes.
      if (encoding) return { contentType: bare.includes("*") ? "application/octet-stream" : raw, encoding };
    }
  }
  return undefined;
}

/** OpenAPI 3.x `requestBody`. */
export function bodyFromRequestBody(
  document: SpecDocument,
  requestBody: unknown,
  pointer: string,
  registry: SchemaRegistry,
): BodyModel | undefined {
  const body = deref(document, requestBody);
  if (!body) return undefined;
  const content = (body["content"] ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const types = Object.keys(content);
  if (types.length === 0) return undefined;
  const choice = chooseMediaType(types);
  if (!choice) throw new UnsupportedBody(`request body media type ${types.join(", ")} is not supported`);
  const media = content[choice.contentType] ?? {};
  const mediaPointer = `${pointer}/content/${choice.contentType.replaceAll("~", "~0").replaceAll("/", "~1")}`;
  const schema = bodySchema(media["schema"], choice.encoding, registry, mediaPointer);
  const model: BodyModel = {
    contentType: choice.contentType,
    encoding: choice.encoding,
    required: body["required"] === true,
    schema,
  };
  const description = typeof body["description"] === "string" ? body["description"].trim() : "";
  if (description) model.description = description;
  const parts = formParts(document, media, choice.encoding);
  if (parts.length > 0) model.parts = parts;
  return model;
}

function bodySchema(raw: unknown, encoding: BodyEncoding, registry: SchemaRegistry, pointer: string): Schema {
  if (encoding === "binary") return { type: "string", contentEncoding: "base64", description: "The content, base64-encoded." };
  if (encoding === "text" && raw === undefined) return { type: "string" };
  return normalizeSchema(raw, registry, "input", `${pointer}/schema`);
}

/**
 * In form and multipart bodies, properties that are files (binary strings) or structured values (objects, arrays
 * of objects) need special encoding; `encoding.<name>.contentType` can say so explicitly.
 */
function formParts(document: SpecDocument, media: Record<string, unknown>, encoding: BodyEncoding): BodyPartModel[] {
  if (encoding !== "multipart" && encoding !== "form") return [];
  const schema = deref(document, media["schema"]);
  const properties = (schema?.["properties"] ?? {}) as Record<string, unknown>;
  const encodings = (media["encoding"] ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const parts: BodyPartModel[] = [];
  for (const [name, raw] of Object.entries(properties)) {
    const property = deref(document, raw) ?? {};
    const explicit = typeof encodings[name]?.["contentType"] === "string" ? (encodings[name]!["contentType"] as string) : undefined;
    // An array of binary strings is several files under one name (the request builder sends a part per item).
    if (encoding === "multipart" && (isBinary(property) || isBinaryArray(document, property))) {
      parts.push(explicit ? { name, kind: "file", contentType: explicit } : { name, kind: "file" });
    } else if (isStructured(property) || (explicit && /json/.test(explicit))) {
      parts.push({ name, kind: "json", contentType: explicit ?? "application/json" });
    }
  }
  return parts;
}

function isBinary(property: Record<string, unknown>): boolean {
  return property["type"] === "file" || property["format"] === "binary" || property["format"] === "base64" ||
    typeof property["contentMediaType"] === "string";
}

function isBinaryArray(document: SpecDocument, property: Record<string, unknown>): boolean {
  const items = property["type"] === "array" ? deref(document, property["items"]) : undefined;
  return items !== undefined && items !== null && typeof items === "object" && isBinary(items);
}

function isStructured(property: Record<string, unknown>): boolean {
  if (property["type"] === "object" || property["properties"] !== undefined) return true;
  const items = property["items"] as Record<string, unknown> | undefined;
  return property["type"] === "array" && (items?.["type"] === "object" || items?.["$ref"] !== undefined);
}

/** Swagger 2.0: one `in: body` parameter, or `in: formData` parameters, with the operation's `consumes`. */
export function bodyFromSwagger2(
  raws: readonly RawParameter[],
  consumes: readonly string[],
  registry: SchemaRegistry,
): BodyModel | undefined {
  const bodyParam = raws.find((r) => r.node["in"] === "body");
  if (bodyParam) return swagger2JsonBody(bodyParam, consumes, registry);
  const formParams = raws.filter((r) => r.node["in"] === "formData");
  if (formParams.length > 0) return swagger2FormBody(formParams, consumes, registry);
  return undefined;
}

function swagger2JsonBody(param: RawParameter, consumes: readonly string[], registry: SchemaRegistry): BodyModel {
  const choice = chooseMediaType(consumes.length > 0 ? consumes : ["application/json"]);
  if (!choice) throw new UnsupportedBody(`request body media type ${consumes.join(", ")} is not supported`);
  const model: BodyModel = {
    contentType: choice.contentType,
    encoding: choice.encoding,
    required: param.node["required"] === true,
    schema: bodySchema(param.node["schema"], choice.encoding, registry, param.pointer),
  };
  const description = typeof param.node["description"] === "string" ? param.node["description"].trim() : "";
  if (description) model.description = description;
  return model;
}

function swagger2FormBody(params: readonly RawParameter[], consumes: readonly string[], registry: SchemaRegistry): BodyModel {
  const hasFile = params.some((p) => p.node["type"] === "file");
  const multipart = hasFile || (consumes.includes("multipart/form-data") && !consumes.includes("application/x-www-form-urlencoded"));
  const properties: Schema = {};
  const required: string[] = [];
  const parts: BodyPartModel[] = [];
  for (const { node, pointer } of params) {
    const name = node["name"] as string;
    properties[name] = normalizeSchema(swagger2Schema(node), registry, "input", pointer);
    if (node["required"] === true) required.push(name);
    if (node["type"] === "file") parts.push({ name, kind: "file" });
  }
  const schema: Schema = { type: "object", properties };
  if (required.length > 0) schema["required"] = required;
  const model: BodyModel = {
    contentType: multipart ? "multipart/form-data" : "application/x-www-form-urlencoded",
    encoding: multipart ? "multipart" : "form",
    required: required.length > 0,
    schema,
  };
  if (parts.length > 0) model.parts = parts;
  return model;
}
