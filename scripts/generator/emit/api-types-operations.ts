/**
 * openapi-typescript 7.13's transforms of a path item and what it holds (`transform/path-item-object.ts`,
 * `operation-object.ts`, `parameters-array.ts`, `request-body-object.ts`, `responses-object.ts`,
 * `response-object.ts`, `header-object.ts`, `media-type-object.ts`, MIT) as text, for api-types-direct.ts: OpenAPI
 * 3.0 §4.7.9-21 / 3.1 §4.8.9-21. Each writes a member or a type at the indent level it is given.
 */
import { docComment } from "./api-types-doc.ts";
import { propertyName, refType, stringLiteral } from "./api-types-literals.ts";
import { primitiveType, schemaType, type Context } from "./api-types-schema.ts";
import { type BodyWriter, Kind, member, NEVER, STRING, type Type, typeLiteral, UNKNOWN, unsupported } from "./api-types-text.ts";
import { child, createRef, LazyPointer, type Pointer } from "./openapi-typescript-refs.ts";

type Json = Record<string, any>;

/** The schema transform's context, and where the members of `operations` go, in the order operations are met. */
export interface DirectContext extends Context {
  operations: BodyWriter;
  /** parameterLine's lines, by `$ref`. */
  parameterLines: Map<string, ParameterLine>;
}

/** A `$ref` parameter's member line, written for `parameter` (what the ref resolved to) at `level`. */
export interface ParameterLine {
  parameter: Json;
  level: number;
  line: string;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * A map of objects (media types, headers, responses), read with `for...in` and objectAt: a map that is no object is
 * unsupported (the library would iterate a string). Not Object.entries with for...of and destructuring: in this
 * unoptimised code each allocates (Kubernetes' api.ts: ~13 ms of ~150 in objectEntries alone, profiled).
 */
function objectMap(map: unknown): Json {
  if (!isObject(map)) unsupported();
  return map;
}

/** `map[key]`, a value that is no object unsupported (the library would read a property of it). */
function objectAt(map: Json, key: string): Json {
  const value = map[key];
  if (!isObject(value)) unsupported();
  return value;
}

/** transformPathItemObject: its parameters, then each method (`never` where absent); an operation with an id goes to `operations`. */
export function pathItemType(item: Json, path: Pointer, level: number, ctx: DirectContext): Type {
  let members = parametersMember(objects(item["parameters"]), child(path, "parameters"), level + 1, ctx);
  for (let m = 0; m < METHODS.length; m++) {
    const method = METHODS[m]!;
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
      const operationPath = child(path, method);
      if (operation["operationId"]) {
        if (typeof operation["operationId"] !== "string") unsupported();
        const operationId = operation["operationId"].replace(/#/g, "/");
        operationType = operationRefType(operationId);
        if (!ctx.footer.includes("operations")) ctx.footer.push("operations");
        const type = typeLiteral(operationMembers(operation, parameters, operationPath, 2, ctx), 1);
        ctx.operations.write(member(1, `${propertyName(operationId)}: ${type.text}`));
      } else {
        operationType = typeLiteral(operationMembers(operation, parameters, operationPath, level + 2, ctx), level + 1);
      }
    }
    members += member(level + 1, `${method}: ${operationType.text}`, docComment(operation, level + 1));
  }
  return typeLiteral(members, level);
}

/**
 * `refType(createRef(["operations", operationId]))` for an operationId without `#` (pathItemType replaces them):
 * `operations["<id>"]`. createRef escapes the id as one segment and refType unescapes it again, so without a `%` (which
 * the unescaping would decode) the segment is the id itself; with one, that way. The way round made and parsed a
 * pointer for each operation (GitHub 1,223, Kubernetes 1,014), to look it up among refs already typed: never there.
 */
export function operationRefType(operationId: string): Type {
  if (operationId.includes("%")) return refType(createRef(["operations", operationId]));
  return { kind: Kind.IndexedAccess, text: `operations[${stringLiteral(operationId)}]` };
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
  for (let i = 0; i < parameters.length; i++) {
    const parameter = parameters[i]!;
    const name = "$ref" in parameter ? `${ctx.resolve(parameter["$ref"])?.in}-${ctx.resolve(parameter["$ref"])?.name}` : `${parameter["in"]}-${parameter["name"]}`;
    keyed.set(name, parameter);
  }
  return [...keyed.values()];
}

/**
 * transformOperationObject: parameters, requestBody, responses; members at `level`. The library is given the operation
 * with `parameters` replaced (keyedParameters'); here they are passed beside it, not in a copy of it.
 */
function operationMembers(operation: Json, parameters: Json[], path: LazyPointer, level: number, ctx: DirectContext): string {
  let members = parametersMember(parameters, path, level, ctx);
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
  const resolved = resolvedParameters(parameters, ctx);
  let members = "";
  for (let w = 0; w < LOCATIONS.length; w++) {
    const where = LOCATIONS[w]!;
    let located = "";
    let allOptional = true;
    for (let i = 0; i < parameters.length; i++) {
      const original = parameters[i]!;
      const parameter = resolved[i];
      if (parameter?.in !== where) continue;
      const optional = where !== "path" && !parameter.required;
      allOptional &&= optional;
      if ("$ref" in original) {
        located += parameterLine(original["$ref"], parameter, optional, level + 2, ctx);
        continue;
      }
      const type = parameterType(parameter, child(path, "parameters", parameter.in, parameter.name), level + 2, ctx);
      located += member(level + 2, `${propertyName(parameter.name)}${optional ? "?" : ""}: ${type.text}`, docComment(parameter, level + 2));
    }
    members += member(level + 1, `${where}${allOptional ? "?" : ""}: ${located === "" ? NEVER.text : typeLiteral(located, level + 1).text}`);
  }
  return member(level, `parameters: ${typeLiteral(members, level).text}`);
}

const LOCATIONS = ["query", "header", "path", "cookie"] as const;

/**
 * The member line of a parameter given by `$ref`, resolved to `parameter`: written once per ref and level, then reused.
 * The line is a function of the ref and of what it resolves to (its type, name, comment, and `in` and `required`,
 * which decide `optional`), and a shared parameter is used by many operations (GitHub's api.ts: 3,153 `$ref`
 * parameter lines, 209 distinct); writing each again parsed the ref, quoted its segments and the name and made the
 * comment: ~11 ms (profiled) of rendering.
 */
function parameterLine(ref: unknown, parameter: Json, optional: boolean, level: number, ctx: DirectContext): string {
  const key = typeof ref === "string" ? ref : undefined;
  const known = key === undefined ? undefined : ctx.parameterLines.get(key);
  if (known !== undefined && known.parameter === parameter && known.level === level) return known.line;
  const type = refType(ref, parameter);
  const line = member(level, `${propertyName(parameter.name)}${optional ? "?" : ""}: ${type.text}`, docComment(parameter, level));
  if (key !== undefined) ctx.parameterLines.set(key, { parameter, level, line });
  return line;
}

/** Each parameter, or what its `$ref` points to (an index loop: an arrow using `ctx` would allocate on every call). */
function resolvedParameters(parameters: Json[], ctx: DirectContext): any[] {
  const resolved: any[] = [];
  for (let i = 0; i < parameters.length; i++) {
    const parameter = parameters[i]!;
    resolved.push("$ref" in parameter ? ctx.resolve(parameter["$ref"]) : parameter);
  }
  return resolved;
}

export function parameterType(parameter: Json, path: Pointer, level: number, ctx: DirectContext): Type {
  const schema = parameter["schema"];
  return schema ? (primitiveType(schema, path, ctx) ?? schemaType(schema, path, level, ctx)) : STRING;
}

/** transformRequestBodyObject: `{ content: { <media type>: … } }`, `"*\/*"?: never` for none. */
export function requestBodyType(body: Json, path: Pointer, level: number, ctx: DirectContext): Type {
  let members = "";
  const content = objectMap(body["content"] ?? {});
  for (const contentType in content) {
    const media = objectAt(content, contentType);
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
    const response = objectAt(responses, code);
    const type = "$ref" in response ? refType(response["$ref"]) : responseType(response, child(path, "responses", code), level + 1, ctx);
    members += member(level + 1, `${propertyName(code)}: ${type.text}`, docComment(response, level + 1));
  }
  return members === "" ? NEVER : typeLiteral(members, level);
}

/** transformResponseObject: `headers` (any name allowed besides those given) and `content` (`never` when none). */
export function responseType(response: Json, path: Pointer, level: number, ctx: DirectContext): Type {
  let headers = "";
  if (response["headers"]) {
    const map = objectMap(response["headers"]);
    for (const name in map) {
      const header = objectAt(map, name);
      const optional = !("$ref" in header || header["required"]);
      const type = "$ref" in header ? refType(header["$ref"]) : headerType(header, child(path, "headers", name), level + 2, ctx);
      headers += member(level + 2, `${propertyName(name)}${optional ? "?" : ""}: ${type.text}`, docComment(header, level + 2));
    }
  }
  headers += member(level + 2, "[name: string]: unknown");
  let members = member(level + 1, `headers: ${typeLiteral(headers, level + 1).text}`);
  let content = "";
  if (response["content"]) {
    const map = objectMap(response["content"]);
    for (const contentType in map) {
      const media = objectAt(map, contentType);
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
    const map = objectMap(header["content"]);
    for (const contentType in map) {
      const media = objectAt(map, contentType);
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
