/**
 * swagger-parser's semantic checks of a Swagger 2.0 document (lib/validators/spec.js, run by validation after the
 * meta-schema: unique operation ids, no duplicate parameters, one body, path placeholders matched by required path
 * parameters, known types, `items` for arrays, `required` names that exist), with a quick first pass that says
 * whether they pass.
 *
 * Why: the library's checks build each problem's location (`/paths/<path>/<method>/parameters/<name>`…) before any
 * problem is found, combine parameters with `reduce`/`some`/`filter` closures and find duplicate operation ids with
 * `indexOf` over every id so far: ~9 ms of CPU on Kubernetes 1.13 (1,014 operations, 6,450 parameters; one core, the
 * first call of a run). The pass below asks the same questions without locations, closures or the quadratic search.
 *
 * It answers true only where the library throws nothing: each of the library's conditions is asked here as it is
 * (the same expressions where JavaScript's coercions could matter), and anything it does not follow (a value not an
 * object where the library reads a property of it, a `file` parameter, whose `consumes` check stays the library's)
 * or any exception answers false. On false the library's own checks run, so a problem is reported with its message.
 * test/unit/spec/semantics.test.ts holds the pass to the library on every kind of problem and on random documents.
 */
import { checkSemantics } from "./swagger-parser.ts";

type Json = Record<string, any>;

/** @apidevtools/swagger-methods (the operations the library visits, in its order; held to it by the unit test). */
export const OPERATION_METHODS: readonly string[] = ["get", "put", "post", "delete", "options", "head", "patch"];
const PRIMITIVE_TYPES: readonly unknown[] = ["array", "boolean", "integer", "number", "string"];
const FORM_DATA_TYPES: readonly unknown[] = [...PRIMITIVE_TYPES, "file"];
const SCHEMA_TYPES: readonly unknown[] = ["array", "boolean", "integer", "number", "string", "object", "null", undefined];
const RESPONSE_SCHEMA_TYPES: readonly unknown[] = [...SCHEMA_TYPES, "file"];
/** swagger-parser's util.swaggerParamRegExp. */
const PLACEHOLDER = /\{([^/}]+)}/g;

/** Throws what swagger-parser's semantic checks throw for the (dereferenced) document; nothing when they pass. */
export function checkSwaggerSemantics(api: Json): void {
  if (!semanticsPass(api)) checkSemantics(api);
}

/**
 * How the checks see a value at a place a ref may stand (a parameter, a body or response schema, a response, a
 * definition): as it is in a dereferenced document; swagger2-quick.ts reads a document with its refs in place.
 */
export type Resolve = (node: unknown) => unknown;

const AS_IT_IS: Resolve = (node) => node;

/** Whether the library's checks pass (see above): true only if they throw nothing. */
export function semanticsPass(api: Json, resolve: Resolve = AS_IT_IS): boolean {
  try {
    return documentPasses(api, resolve);
  } catch {
    return false;
  }
}

function documentPasses(api: Json, resolve: Resolve): boolean {
  if (api["openapi"]) return true;
  const paths = api["paths"] || {};
  if (typeof paths !== "object") return false;
  const operationIds = new Set<unknown>();
  const pathNames = Object.keys(paths);
  for (let p = 0; p < pathNames.length; p++) {
    const pathName = pathNames[p]!;
    const path = paths[pathName];
    if (!path || pathName.indexOf("/") !== 0) continue;
    if (typeof path !== "object" || !pathPasses(api, path, pathName, operationIds, resolve)) return false;
  }
  const definitions = api["definitions"] || {};
  const names = Object.keys(definitions);
  for (let d = 0; d < names.length; d++) {
    if (!requiredPropertiesExist(resolve(definitions[names[d]!]))) return false;
  }
  return true;
}

function pathPasses(api: Json, path: Json, pathName: string, operationIds: Set<unknown>, resolve: Resolve): boolean {
  const pathParams = resolvedList(path["parameters"] || [], resolve);
  let placeholders: string[] | undefined;
  for (let m = 0; m < OPERATION_METHODS.length; m++) {
    const operation = path[OPERATION_METHODS[m]!];
    if (!operation) continue;
    if (typeof operation !== "object") return false;
    const declaredOperationId = operation["operationId"];
    if (declaredOperationId) {
      // The library searches its list with indexOf (===); no JSON value is NaN, where a Set's SameValueZero differs.
      if (operationIds.has(declaredOperationId)) return false;
      operationIds.add(declaredOperationId);
    }
    // The library matches the placeholders of "/paths" + the path's name: the prefix holds no brace.
    placeholders ??= pathName.match(PLACEHOLDER) ?? [];
    if (!parametersPass(api, pathParams, operation, placeholders, resolve)) return false;
    const responses = operation["responses"] || {};
    if (typeof responses !== "object") return false;
    const codes = Object.keys(responses);
    for (let r = 0; r < codes.length; r++) {
      if (!responsePasses(codes[r]!, (resolve(responses[codes[r]!]) || {}) as Json, resolve)) return false;
    }
  }
  return true;
}

function parametersPass(api: Json, pathParams: unknown, operation: Json, placeholders: readonly string[], resolve: Resolve): boolean {
  const operationParams = resolvedList(operation["parameters"] || [], resolve);
  if (!Array.isArray(pathParams) || !Array.isArray(operationParams)) return false;
  if (!allObjects(pathParams) || !allObjects(operationParams)) return false;
  if (hasDuplicate(pathParams) || hasDuplicate(operationParams)) return false;
  // The operation's parameters, then each path parameter it does not override (by location and name).
  const params: Json[] = operationParams.slice();
  for (let i = 0; i < pathParams.length; i++) {
    const value = pathParams[i] as Json;
    let duplicate = false;
    for (let j = 0; j < params.length && !duplicate; j++) duplicate = params[j]!["in"] === value["in"] && params[j]!["name"] === value["name"];
    if (!duplicate) params.push(value);
  }
  return bodiesPass(params) && pathParametersPass(params, placeholders) && parameterTypesPass(api, params, resolve);
}

/** A parameter list as the checks see it: the list itself in a dereferenced document, else its items resolved. */
function resolvedList(list: unknown, resolve: Resolve): unknown {
  if (resolve === AS_IT_IS || !Array.isArray(list)) return list;
  let resolved: unknown[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const item = resolve(list[i]);
    // Copied only from its first item that differs (most lists hold none: Kubernetes' refs are schemas).
    if (item !== list[i] && resolved === undefined) resolved = list.slice(0, i);
    resolved?.push(item);
  }
  return resolved ?? list;
}

function allObjects(list: readonly unknown[]): boolean {
  for (let i = 0; i < list.length; i++) {
    if (list[i] === null || typeof list[i] !== "object") return false;
  }
  return true;
}

/** The library's checkForDuplicates: two parameters with the same name and location. */
function hasDuplicate(params: readonly Json[]): boolean {
  for (let i = 0; i < params.length - 1; i++) {
    const outer = params[i]!;
    for (let j = i + 1; j < params.length; j++) {
      const inner = params[j]!;
      if (outer["name"] === inner["name"] && outer["in"] === inner["in"]) return true;
    }
  }
  return false;
}

/** One body parameter at most, and not beside form data. */
function bodiesPass(params: readonly Json[]): boolean {
  let bodies = 0;
  let forms = 0;
  for (let i = 0; i < params.length; i++) {
    if (params[i]!["in"] === "body") bodies++;
    else if (params[i]!["in"] === "formData") forms++;
  }
  return bodies <= 1 && !(bodies > 0 && forms > 0);
}

/** Placeholders named once each, each path parameter required and naming one of them, none left without one. */
function pathParametersPass(params: readonly Json[], placeholders: readonly string[]): boolean {
  for (let i = 0; i < placeholders.length; i++) {
    for (let j = i + 1; j < placeholders.length; j++) {
      if (placeholders[i] === placeholders[j]) return false;
    }
  }
  const left = placeholders.slice();
  for (let i = 0; i < params.length; i++) {
    const param = params[i]!;
    if (param["in"] !== "path") continue;
    if (param["required"] !== true) return false;
    const match = left.indexOf("{" + param["name"] + "}");
    if (match === -1) return false;
    left.splice(match, 1);
  }
  return left.length === 0;
}

function parameterTypesPass(api: Json, params: readonly Json[], resolve: Resolve): boolean {
  for (let i = 0; i < params.length; i++) {
    const param = params[i]!;
    const where = param["in"];
    const schema = (where === "body" ? resolve(param["schema"]) : param) as Json;
    const validTypes = where === "body" ? SCHEMA_TYPES : where === "formData" ? FORM_DATA_TYPES : PRIMITIVE_TYPES;
    if (schema === null || typeof schema !== "object") return false;
    if (!schemaPasses(schema, validTypes) || !requiredPropertiesExist(schema)) return false;
    // A file parameter's `consumes` check is left to the library.
    if (schema["type"] === "file") return false;
  }
  return true;
}

function responsePasses(code: string, response: Json, resolve: Resolve): boolean {
  if (code !== "default" && ((code as unknown as number) < 100 || (code as unknown as number) > 599)) return false;
  if (typeof response !== "object") return false;
  const headers = response["headers"] || {};
  if (typeof headers !== "object") return false;
  const names = Object.keys(headers);
  for (let h = 0; h < names.length; h++) {
    const header = headers[names[h]!];
    if (header === null || typeof header !== "object" || !schemaPasses(header, PRIMITIVE_TYPES)) return false;
  }
  const schema = resolve(response["schema"]) as Json | undefined;
  if (schema) {
    if (typeof schema !== "object") return false;
    if (!schemaPasses(schema, RESPONSE_SCHEMA_TYPES)) return false;
  }
  return true;
}

/** The library's validateSchema: a type among the valid ones, and `items` for an array. */
function schemaPasses(schema: Json, validTypes: readonly unknown[]): boolean {
  if (validTypes.indexOf(schema["type"]) === -1) return false;
  return !(schema["type"] === "array" && !schema["items"]);
}

/**
 * The library's validateRequiredPropertiesExist, as it is written there (its coercions and reads included), its inner
 * collectProperties a module function: a closure made at each call was one allocation per parameter and definition.
 */
function requiredPropertiesExist(schema: any): boolean {
  if (Array.isArray(schema.type) && !schema.type.includes("object")) {
    return true;
  } else if (!Array.isArray(schema.type) && schema.type !== "object") {
    return true;
  }
  if (schema.required && Array.isArray(schema.required)) {
    const props = {} as any;
    collectProperties(schema, props);
    for (const requiredProperty of schema.required) {
      if (!props[requiredProperty]) return false;
    }
  }
  return true;
}

/** The library's collectProperties (inside validateRequiredPropertiesExist), as it is written there. */
function collectProperties(schemaObj: any, props: any): void {
  if (schemaObj.properties) {
    for (const property in schemaObj.properties) {
      if (schemaObj.properties.hasOwnProperty(property)) {
        props[property] = schemaObj.properties[property];
      }
    }
  }
  if (schemaObj.allOf) {
    for (const parent of schemaObj.allOf) {
      collectProperties(parent, props);
    }
  }
}
