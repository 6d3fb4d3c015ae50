/**
 * api.ts's body written straight from the document: the text openapi-typescript 7.13's `transformSchema` (with
 * api-types.ts's options) and api-types-print.ts would write, without building a TypeScript node, so neither
 * openapi-typescript nor TypeScript need be loaded. The library's `transform/*.ts` (MIT), one function each here, in
 * the same order, with the same pointers: the paths, webhooks and components objects (OpenAPI 3.0 §4.7.8-9, 3.1
 * §4.8.7-8), path items, operations, parameters (by `in`), request bodies, responses, headers and media types; the
 * schemas in api-types-schema.ts, the text in api-types-text.ts.
 *
 * Exact or nothing: any input it does not reproduce exactly throws Unsupported, and api-types.ts then renders the
 * whole file with the library. test/corpus/api-types-oracles.test.ts holds it to the library on every corpus spec.
 */
import { docComment, EMPTY_RECORD, member, NEVER, propertyName, refType, STRING, type Type, typeLiteral, UNKNOWN, unsupported } from "./api-types-text.ts";
import { schemaType, type Context } from "./api-types-schema.ts";
import { child, createRef, LazyPointer, type Pointer } from "./openapi-typescript-refs.ts";

type Json = Record<string, any>;

/**
 * The library's `WithRequired` helper, parsed from source by it and written by TypeScript's printer (held to it by
 * the oracle test).
 */
export const WITH_REQUIRED = "type WithRequired<T, K extends keyof T> = T & {\n    [P in K]-?: T[P];\n};\n";
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);

/** The members of `operations`, in the order operations are met. */
interface DirectContext extends Context {
  operations: string;
}

/** transformSchema: the statements of api.ts's body. */
export function emitApiTypes(document: Json, ctx: Context): string {
  const direct: DirectContext = { ...ctx, operations: "" };
  let out = "";
  for (const root of ["paths", "webhooks", "components", "$defs"] as const) {
    const node = document[root];
    if (!node || typeof node !== "object") {
      out += emptyRoot(root);
      continue;
    }
    if (!isObject(node)) unsupported();
    const type = rootType(root, node, direct);
    // A type literal with members becomes an interface; anything else an empty record.
    out += type.members ? `export interface ${root} {\n${type.members}}\n` : emptyRoot(root);
  }
  for (const name of direct.footer) out += name === "operations" ? `export interface operations {\n${direct.operations}}\n` : WITH_REQUIRED;
  if (!direct.footer.includes("operations")) out += emptyRoot("operations");
  return out;
}

function emptyRoot(name: string): string {
  return `export type ${name} = ${EMPTY_RECORD.text};\n`;
}

function rootType(root: "paths" | "webhooks" | "components" | "$defs", node: Json, ctx: DirectContext): Type {
  switch (root) {
    case "paths":
      return pathsType(node, ctx);
    case "webhooks":
      return webhooksType(node, ctx);
    case "components":
      return componentsType(node, ctx);
    case "$defs":
      return schemaType(node, createRef(["$defs"]), 0, ctx);
  }
}

/** transformPathsObject: a member per path (a path item that is a `$ref` typed as the reference). */
function pathsType(paths: Json, ctx: DirectContext): Type {
  let members = "";
  for (const url in paths) {
    const item = paths[url];
    if (!item || typeof item !== "object") continue;
    if (!isObject(item)) unsupported();
    if ("$ref" in item) members += member(1, `${propertyName(url)}: ${refType(item["$ref"]).text}`, docComment(item, 1));
    else members += member(1, `${propertyName(url)}: ${pathItemType(item, createRef(["paths", url]), 1, ctx).text}`);
  }
  return typeLiteral(members, 0);
}

function webhooksType(webhooks: Json, ctx: DirectContext): Type {
  let members = "";
  for (const name in webhooks) {
    const item = webhooks[name];
    if (!isObject(item)) unsupported();
    members += member(1, `${propertyName(name)}: ${pathItemType(item, createRef(["webhooks", name]), 1, ctx).text}`);
  }
  return typeLiteral(members, 0);
}

/** transformComponentsObject: each kind of component, `never` when there is none. */
function componentsType(components: Json, ctx: DirectContext): Type {
  let members = "";
  for (const key of ["schemas", "responses", "parameters", "requestBodies", "headers", "pathItems"] as const) {
    const items = components[key];
    let itemMembers = "";
    if (items) {
      if (!isObject(items)) unsupported();
      for (const name in items) {
        const item = items[name];
        const path = createRef(["components", key, name]);
        itemMembers += member(2, `${propertyName(name)}: ${componentType(key, item, path, ctx).text}`, docComment(item, 2));
      }
    }
    members += member(1, `${key}: ${itemMembers === "" ? NEVER.text : typeLiteral(itemMembers, 1).text}`);
  }
  return typeLiteral(members, 0);
}

function componentType(key: string, item: unknown, path: string, ctx: DirectContext): Type {
  if (key === "schemas") return schemaType(item, path, 2, ctx);
  if (!isObject(item)) unsupported(); // each of the others reads a property of it
  switch (key) {
    case "responses":
      return responseType(item, path, 2, ctx);
    case "parameters":
      return parameterType(item, path, 2, ctx);
    case "requestBodies":
      return requestBodyType(item, path, 2, ctx);
    case "headers":
      return headerType(item, path, 2, ctx);
    default:
      return pathItemType(item, path, 2, ctx);
  }
}

/** transformPathItemObject: its parameters, then each method (`never` where absent); an operation with an id goes to `operations`. */
function pathItemType(item: Json, path: Pointer, level: number, ctx: DirectContext): Type {
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
        ctx.operations += member(1, `${propertyName(operationId)}: ${type.text}`);
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

function parameterType(parameter: Json, path: Pointer, level: number, ctx: DirectContext): Type {
  return parameter["schema"] ? schemaType(parameter["schema"], path, level, ctx) : STRING;
}

/** transformRequestBodyObject: `{ content: { <media type>: … } }`, `"*\/*"?: never` for none. */
function requestBodyType(body: Json, path: Pointer, level: number, ctx: DirectContext): Type {
  const content = body["content"] ?? {};
  if (!isObject(content)) unsupported();
  let members = "";
  for (const contentType in content) {
    const media = content[contentType];
    if (!isObject(media)) unsupported();
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
  for (const code in responses) {
    const response = responses[code];
    if (!isObject(response)) unsupported();
    const type = "$ref" in response ? refType(response["$ref"]) : responseType(response, child(path, "responses", code), level + 1, ctx);
    members += member(level + 1, `${propertyName(code)}: ${type.text}`, docComment(response, level + 1));
  }
  return members === "" ? NEVER : typeLiteral(members, level);
}

/** transformResponseObject: `headers` (any name allowed besides those given) and `content` (`never` when none). */
function responseType(response: Json, path: Pointer, level: number, ctx: DirectContext): Type {
  let headers = "";
  if (response["headers"]) {
    if (!isObject(response["headers"])) unsupported();
    for (const name in response["headers"]) {
      const header = response["headers"][name];
      if (!isObject(header)) unsupported();
      const optional = !("$ref" in header || header["required"]);
      const type = "$ref" in header ? refType(header["$ref"]) : headerType(header, child(path, "headers", name), level + 2, ctx);
      headers += member(level + 2, `${propertyName(name)}${optional ? "?" : ""}: ${type.text}`, docComment(header, level + 2));
    }
  }
  headers += member(level + 2, "[name: string]: unknown");
  let members = member(level + 1, `headers: ${typeLiteral(headers, level + 1).text}`);
  let content = "";
  if (response["content"]) {
    if (!isObject(response["content"])) unsupported();
    for (const contentType in response["content"]) {
      const media = response["content"][contentType];
      if (!isObject(media)) unsupported();
      const type = mediaType(media, child(path, "content", contentType), level + 2, ctx);
      content += member(level + 2, `${propertyName(contentType)}: ${type.text}`, docComment(media, level + 2));
    }
  }
  members += content === "" ? member(level + 1, "content?: never") : member(level + 1, `content: ${typeLiteral(content, level + 1).text}`);
  return typeLiteral(members, level);
}

/** transformHeaderObject: its schema's type, else a member per media type of its content, else `unknown`. */
function headerType(header: Json, path: Pointer, level: number, ctx: DirectContext): Type {
  if (header["schema"]) return schemaType(header["schema"], path, level, ctx);
  if (header["content"]) {
    const content = header["content"];
    if (!isObject(content)) unsupported();
    let members = "";
    for (const contentType in content) {
      const media = content[contentType];
      if (!isObject(media)) unsupported();
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
