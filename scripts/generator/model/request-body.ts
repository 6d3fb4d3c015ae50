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
import { partsFromEncoding, partsFromFormData } from "./encoding.ts";
import { chooseMediaType } from "./media-type.ts";
import type { RawParameter } from "./parameters.ts";
import { swagger2Schema } from "./parameters.ts";
import { deref } from "./refs.ts";
import { normalizeSchema, type SchemaRegistry } from "./schema.ts";
import type { BodyModel, Schema } from "./types.ts";

export { chooseMediaType } from "./media-type.ts";

/** Thrown when an operation has a body the bridge cannot send; the operation is skipped with this reason. */
export class UnsupportedBody extends Error {}

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
  const choice = chooseMediaType(types, (type) => describesStructure(document, content[type]?.["schema"]));
  if (!choice) throw new UnsupportedBody(`request body media type ${types.join(", ")} is not supported`);
  const media = content[choice.key] ?? {};
  const mediaPointer = `${pointer}/content/${choice.key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
  const schema = bodySchema(media["schema"], choice.encoding, registry, mediaPointer);
  const model: BodyModel = {
    contentType: choice.contentType,
    encoding: choice.encoding,
    required: body["required"] === true,
    schema,
  };
  const description = typeof body["description"] === "string" ? body["description"].trim() : "";
  if (description) model.description = description;
  const parts = partsFromEncoding(document, registry.version, media, choice.encoding, mediaPointer, registry.notices);
  if (parts.length > 0) model.parts = parts;
  return model;
}

function bodySchema(raw: unknown, encoding: BodyEncoding, registry: SchemaRegistry, pointer: string): Schema {
  if (encoding === "binary") return { type: "string", contentEncoding: "base64", description: "The content, base64-encoded." };
  if (encoding === "text" && raw === undefined) return { type: "string" };
  const schema = normalizeSchema(raw, registry, "input", `${pointer}/schema`);
  // A form or multipart body is a set of named fields: an untyped schema (codat's multipart `schema: {}`) still
  // means an object, which is all the request builder can send.
  const untyped = schema["type"] === undefined && schema["$ref"] === undefined && !schema["allOf"] && !schema["oneOf"] && !schema["anyOf"];
  return (encoding === "form" || encoding === "multipart") && untyped ? { type: "object", ...schema } : schema;
}

/**
 * A schema the model can write as JSON: an object or array (or a composition of them), not bytes. Under a wildcard
 * media type it decides between `application/json` and opaque bytes (a plain or binary string, or no schema).
 */
function describesStructure(document: SpecDocument, raw: unknown, depth = 0): boolean {
  const schema = deref(document, raw);
  if (!schema || typeof schema !== "object" || depth > 16) return false;
  const types = Array.isArray(schema["type"]) ? schema["type"] : [schema["type"]];
  if (types.includes("object") || types.includes("array")) return true;
  if (schema["type"] === undefined && (schema["properties"] !== undefined || schema["items"] !== undefined)) return true;
  return ["allOf", "oneOf", "anyOf"].some((keyword) => {
    const members = schema[keyword];
    return Array.isArray(members) && members.length > 0 && members.some((member) => describesStructure(document, member, depth + 1));
  });
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
  const structured = describesStructure(registry.document, param.node["schema"]);
  const choice = chooseMediaType(consumes.length > 0 ? consumes : ["application/json"], () => structured);
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
  for (const { node, pointer } of params) {
    const name = node["name"] as string;
    properties[name] = normalizeSchema(swagger2Schema(node), registry, "input", pointer);
    if (node["required"] === true) required.push(name);
  }
  const schema: Schema = { type: "object", properties };
  if (required.length > 0) schema["required"] = required;
  const model: BodyModel = {
    contentType: multipart ? "multipart/form-data" : "application/x-www-form-urlencoded",
    encoding: multipart ? "multipart" : "form",
    required: required.length > 0,
    schema,
  };
  const parts = partsFromFormData(params.map((p) => p.node));
  if (parts.length > 0) model.parts = parts;
  return model;
}
