/**
 * openapi-typescript 7.13's transforms of a path item and what it holds (`transform/path-item-object.ts`,
 * `operation-object.ts`, `parameters-array.ts`, `request-body-object.ts`, `responses-object.ts`,
 * `response-object.ts`, `header-object.ts`, `media-type-object.ts`, MIT) as text, for api-types-direct.ts: OpenAPI
 * 3.0 §4.7.9-21 / 3.1 §4.8.9-21. Each writes a member or a type at the indent level it is given.
 */
import { docComment } from "./api-types-doc.ts";
import { propertyName, refType } from "./api-types-literals.ts";
import { schemaType, type Context } from "./api-types-schema.ts";
import { member, NEVER, rootMember, STRING, type Type, typeLiteral, UNKNOWN, unsupported } from "./api-types-text.ts";
import { child, createRef, LazyPointer, type Pointer } from "./openapi-typescript-refs.ts";

type Json = Record<string, any>;

/** The schema transform's context, and the members of `operations` in the order operations are met. */
export interface DirectContext extends Context {
  operations: string;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * The entries of a map of objects (media types, headers, responses), in order; a map that is no object, or a value
 * that is none, is unsupported (the library would iterate a string, or read a property of null).
 */
function objectEntries(map: unknown): [string, Json][] {
  if (!isObject(map)) unsupported();
  const entries = Object.entries(map);
  for (const [, value] of entries) if (!isObject(value)) unsupported();
  return entries as [string, Json][];
}

/** transformPathItemObject: its parameters, then each method (`never` where absent); an operation with an id goes to `operations`. */
export function pathItemType(item: Json, path: Pointer, level: number, ctx: DirectContext): Type {
  let members = parametersMember(objects(item["parameters"]), child(path, "parameters"), level + 1, ctx);
  for (const method of METHODS) {
    const operation = item[method];
    if (!operation) {
      members += member(level + 1, `${method}?: never`);
      continue;
    }
    if (!isObject(operation)) unsupported();
    let operationType: Type;
    if ("$ref" in operation) {
      operationType = refType(operation["$ref"]);
    } else {
      const parameters = keyedParameters([...objects(item["parameters"]), ...objects(operation["parameters"])], ctx);
      const withParameters = { ...operation, parameters };
      const operationPath = child(path, method);
      if (operation["operationId"]) {
        if (typeof operation["operationId"] !== "string") unsupported();
        const operationId = operation["operationId"].replace(/#/g, "/");
        operationType = refType(createRef(["operations", operationId]));
        if (!ctx.footer.includes("operations")) ctx.footer.push("operations");
        const type = typeLiteral(operationMembers(withParameters, operationPath, 2, ctx), 1);
        ctx.operations += rootMember(1, `${propertyName(operationId)}: ${type.text}`);
      } else {
        operationType = typeLiteral(operationMembers(withParameters, operationPath, level + 2, ctx), level + 1);
      }
    }
    members += member(level + 1, `${method}: ${operationType.text}`, docComment(operation, level + 1));
  }
  return typeLiteral(members, level);
}

/** A list of objects (a parameters array), or unsupported. */
function objects(value: unknown): Json[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every(isObject)) unsupported();
  return value;
}

/** The path item's and the operation's parameters, one per `in` and `name`, the operation's winning (OpenAPI §4.7.10). */
function keyedParameters(parameters: Json[], ctx: DirectContext): Json[] {
  const keyed = new Map<string, Json>();
  for (const parameter of parameters) {
    const name = "$ref" in parameter ? `${ctx.resolve(parameter["$ref"])?.in}-${ctx.resolve(parameter["$ref"])?.name}` : `${parameter["in"]}-${parameter["name"]}`;
    keyed.set(name, parameter);
  }
  return [...keyed.values()];
}

/** transformOperationObject: parameters, requestBody, responses; members at `level`. */
function operationMembers(operation: Json, path: LazyPointer, level: number, ctx: DirectContext): string {
  let members = parametersMember(operation["parameters"], path, level, ctx);
  const body = operation["requestBody"];
  if (body) {
    if (!isObject(body)) unsupported();
    const bodyType = "$ref" in body ? refType(body["$ref"]) : requestBodyType(body, child(path, "requestBody"), level, ctx);
    const required = !!("$ref" in body ? ctx.resolve(body["$ref"]) : body)?.required;
    members += member(level, `requestBody${required ? "" : "?"}: ${bodyType.text}`, docComment(body, level));
  } else {
    members += member(level, "requestBody?: never");
  }
  const responses = operation["responses"] ?? {};
  if (!isObject(responses)) unsupported();
  return members + member(level, `responses: ${responsesType(responses, path, level, ctx).text}`);
}

/** transformParametersArray: `parameters` with a member per location; optional where no parameter there is required. */
function parametersMember(parameters: Json[], path: Pointer, level: number, ctx: DirectContext): string {
  const resolved = parameters.map((parameter) => ("$ref" in parameter ? ctx.resolve(parameter["$ref"]) : parameter));
  let members = "";
  for (const where of ["query", "header", "path", "cookie"]) {
    let located = "";
    let allOptional = true;
    for (let i = 0; i < parameters.length; i++) {
      const original = parameters[i]!;
      const parameter = resolved[i];
      if (parameter?.in !== where) continue;
      const optional = where !== "path" && !parameter.required;
      allOptional &&= optional;
      const type = "$ref" in original
        ? refType(original["$ref"], parameter)
        : parameterType(parameter, child(path, "parameters", parameter.in, parameter.name), level + 2, ctx);
      located += member(level + 2, `${propertyName(parameter.name)}${optional ? "?" : ""}: ${type.text}`, docComment(parameter, level + 2));
    }
    members += member(level + 1, `${where}${allOptional ? "?" : ""}: ${located === "" ? NEVER.text : typeLiteral(located, level + 1).text}`);
  }
  return member(level, `parameters: ${typeLiteral(members, level).text}`);
}

export function parameterType(parameter: Json, path: Pointer, level: number, ctx: DirectContext): Type {
  return parameter["schema"] ? schemaType(parameter["schema"], path, level, ctx) : STRING;
}

/** transformRequestBodyObject: `{ content: { <media type>: … } }`, `"*\/*"?: never` for none. */
export function requestBodyType(body: Json, path: Pointer, level: number, ctx: DirectContext): Type {
  let members = "";
  for (const [contentType, media] of objectEntries(body["content"] ?? {})) {
    const mediaPath = child(path, "content", contentType);
    const type = "$ref" in media ? schemaType(media, mediaPath, level + 2, ctx) : mediaType(media, mediaPath, level + 2, ctx);
    members += member(level + 2, `${propertyName(contentType)}: ${type.text}`, docComment(media, level + 2));
  }
  if (members === "") members = member(level + 2, `"*/*"?: never`);
  return typeLiteral(member(level + 1, `content: ${typeLiteral(members, level + 1).text}`), level);
}

/** transformResponsesObject: a member per status code, or `never`. */
function responsesType(responses: Json, path: Pointer, level: number, ctx: DirectContext): Type {
  let members = "";
  for (const [code, response] of objectEntries(responses)) {
    const type = "$ref" in response ? refType(response["$ref"]) : responseType(response, child(path, "responses", code), level + 1, ctx);
    members += member(level + 1, `${propertyName(code)}: ${type.text}`, docComment(response, level + 1));
  }
  return members === "" ? NEVER : typeLiteral(members, level);
}

/** transformResponseObject: `headers` (any name allowed besides those given) and `content` (`never` when none). */
export function responseType(response: Json, path: Pointer, level: number, ctx: DirectContext): Type {
  let headers = "";
  if (response["headers"]) {
    for (const [name, header] of objectEntries(response["headers"])) {
      const optional = !("$ref" in header || header["required"]);
      const type = "$ref" in header ? refType(header["$ref"]) : headerType(header, child(path, "headers", name), level + 2, ctx);
      headers += member(level + 2, `${propertyName(name)}${optional ? "?" : ""}: ${type.text}`, docComment(header, level + 2));
    }
  }
  headers += member(level + 2, "[name: string]: unknown");
  let members = member(level + 1, `headers: ${typeLiteral(headers, level + 1).text}`);
  let content = "";
  if (response["content"]) {
    for (const [contentType, media] of objectEntries(response["content"])) {
      const type = mediaType(media, child(path, "content", contentType), level + 2, ctx);
      content += member(level + 2, `${propertyName(contentType)}: ${type.text}`, docComment(media, level + 2));
    }
  }
  members += content === "" ? member(level + 1, "content?: never") : member(level + 1, `content: ${typeLiteral(content, level + 1).text}`);
  return typeLiteral(members, level);
}

/** transformHeaderObject: its schema's type, else a member per media type of its content, else `unknown`. */
export function headerType(header: Json, path: Pointer, level: number, ctx: DirectContext): Type {
  if (header["schema"]) return schemaType(header["schema"], path, level, ctx);
  if (header["content"]) {
    let members = "";
    for (const [contentType, media] of objectEntries(header["content"])) {
      const mediaPath = new LazyPointer(path, contentType);
      const type = "$ref" in media ? schemaType(media, mediaPath, level + 1, ctx) : mediaType(media, mediaPath, level + 1, ctx);
      members += member(level + 1, `${propertyName(contentType)}: ${type.text}`, docComment(media, level + 1));
    }
    return typeLiteral(members, level);
  }
  return UNKNOWN;
}

function mediaType(media: Json, path: Pointer, level: number, ctx: DirectContext): Type {
  return media["schema"] ? schemaType(media["schema"], path, level, ctx) : UNKNOWN;
}
