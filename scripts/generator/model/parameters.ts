/**
 * Parameter Objects (path-level merged with operation-level) → the model's parameters, with their serialisation
 * (`style`/`explode`, or Swagger 2.0's `collectionFormat`) kept for the request builder.
 *
 * @see https://spec.openapis.org/oas/v3.1.0#parameter-object
 * @see https://swagger.io/specification/v2/#parameter-object
 */
import type { ParameterLocation, ParameterStyle } from "../../../src/tools/types.ts";
import type { SpecDocument } from "../spec/load.ts";
import { deref } from "./refs.ts";
import { normalizeSchema, type SchemaRegistry } from "./schema.ts";
import type { Notice, ParameterModel, Schema } from "./types.ts";

/** A raw parameter after `$ref` resolution, with where it was found. */
export interface RawParameter {
  node: Record<string, unknown>;
  pointer: string;
}

const LOCATIONS: readonly string[] = ["path", "query", "header", "cookie"];

/**
 * Operation parameters override path-item parameters with the same name and location (OpenAPI 3.1 §4.8.9.1).
 * Swagger 2.0 `body` and `formData` parameters are returned too; the request-body module consumes them.
 */
export function collectParameters(
  document: SpecDocument,
  pathItem: Record<string, unknown>,
  operation: Record<string, unknown>,
  pathPointer: string,
  operationPointer: string,
  targets: Map<string, unknown> = new Map(),
): RawParameter[] {
  const byKey = new Map<string, RawParameter>();
  addParameters(byKey, document, pathItem["parameters"], pathPointer, targets);
  addParameters(byKey, document, operation["parameters"], operationPointer, targets);
  return [...byKey.values()];
}

/**
 * A parameter list's entries into `byKey` by location and name (a later one replaces an earlier). A module function
 * with an index loop, not an arrow per operation calling forEach with another.
 */
function addParameters(byKey: Map<string, RawParameter>, document: SpecDocument, list: unknown, pointer: string, targets: Map<string, unknown>): void {
  if (!Array.isArray(list)) return;
  for (let i = 0; i < list.length; i++) {
    if (!(i in list)) continue; // forEach skips holes
    const node = resolveEntry(document, list[i], targets);
    if (!node || typeof node["name"] !== "string" || typeof node["in"] !== "string") continue;
    byKey.set(`${node["in"]}:${node["name"]}`, { node, pointer: `${pointer}/parameters/${i}` });
  }
}

/**
 * A parameter list's entry with its `$ref` followed: each local pointer is followed once per document (`targets`),
 * not at each of its uses (GitHub's 1,223 operations list ~3,500 parameters, most of them `$ref`s to ~200
 * components). A local `$ref` leads to the same object whatever its siblings (`deref` ignores them); any other entry
 * is resolved as it is.
 */
function resolveEntry(document: SpecDocument, entry: unknown, targets: Map<string, unknown>): Record<string, unknown> | undefined {
  const ref = entry !== null && typeof entry === "object" ? (entry as { $ref?: unknown }).$ref : undefined;
  if (typeof ref !== "string" || !ref.startsWith("#")) return deref(document, entry);
  if (targets.has(ref)) return targets.get(ref) as Record<string, unknown> | undefined;
  const target = deref(document, entry);
  targets.set(ref, target);
  return target;
}

/**
 * Header parameters named Accept, Content-Type or Authorization "SHALL be ignored" (OpenAPI 3.1 §4.8.12.1): the
 * bridge sets those itself, and Authorization is a credential that never comes from the model. Framing and
 * connection headers belong to the transport, which computes them from the request (RFC 9112 §6 Content-Length and
 * Transfer-Encoding, RFC 9110 §7.2 Host, §7.6.1 Connection and the options it lists): a model's value would be
 * wrong at best (vercel's upload declares a required Content-Length).
 */
const RESERVED_HEADERS = new Set([
  "accept", "content-type", "authorization", "content-length", "transfer-encoding", "host", "connection", "keep-alive", "te", "trailer", "upgrade",
]);

export function toParameterModels(
  raws: readonly RawParameter[],
  registry: SchemaRegistry,
  notices: Notice[],
): ParameterModel[] {
  const models: ParameterModel[] = [];
  for (let i = 0; i < raws.length; i++) {
    const { node, pointer } = raws[i]!;
    const location = node["in"] as string;
    if (!LOCATIONS.includes(location)) continue; // body / formData: see request-body.ts
    const name = node["name"] as string;
    if (location === "header" && RESERVED_HEADERS.has(name.toLowerCase())) {
      notices.push({ pointer, message: `header parameter "${name}" is ignored (the bridge or the HTTP transport sets it)` });
      continue;
    }
    models.push(sharedParameterModel(node, pointer, location as ParameterLocation, registry));
  }
  return models;
}

/**
 * A Parameter Object's model, made once per object: operations share their parameters (a `$ref` to a component, or
 * their path item's list; GitHub's 3,500 uses are of ~580 objects, Kubernetes' 6,000 of ~4,700), and one object
 * always gives the same model. Tools share it and its schema, which nothing writes to once made (assembleInput and
 * applyArrayFormats copy a parameter to change it). Not kept when making it added a notice: the notice names this
 * use's pointer, so the next use makes (and notes) it again.
 */
function sharedParameterModel(
  node: Record<string, unknown>,
  pointer: string,
  location: ParameterLocation,
  registry: SchemaRegistry,
): ParameterModel {
  const known = registry.parameters.models.get(node);
  if (known) return known;
  const noticed = registry.notices.length;
  const model = toParameterModel(node, pointer, location, registry);
  if (registry.notices.length === noticed) registry.parameters.models.set(node, model);
  return model;
}

function toParameterModel(
  node: Record<string, unknown>,
  pointer: string,
  location: ParameterLocation,
  registry: SchemaRegistry,
): ParameterModel {
  const name = node["name"] as string;
  const { schema: declared, json } = parameterSchema(node, pointer, registry);
  const schema = json ? declared : location === "path" ? nonEmptyPathValue(declared) : location === "header" ? headerValue(declared) : declared;
  const { style, explode } = serialisation(node, location);
  const model: ParameterModel = {
    key: name,
    name,
    in: location,
    // Path parameters are always required (OpenAPI 3.1 §4.8.12.2), whatever the document says.
    required: location === "path" || node["required"] === true,
    schema,
    style,
    explode,
  };
  const description = typeof node["description"] === "string" ? node["description"].trim() : "";
  if (description) model.description = description;
  if (node["deprecated"] === true) model.deprecated = true;
  if (node["allowReserved"] === true) model.allowReserved = true;
  if (json) model.json = true;
  return model;
}

/**
 * A path parameter is required and an empty value would address another resource (`/users/` for `/users/{id}`), so
 * the request builder refuses "" (OpenAPI 3.1.1 §4.8.12.2.1): a plain string schema says so (`minLength: 1`), and
 * the listed schema is as strict as the bridge.
 */
function nonEmptyPathValue(schema: Schema): Schema {
  const plainString = schema["type"] === "string" && schema["enum"] === undefined && schema["const"] === undefined && schema["format"] === undefined;
  return plainString && schema["minLength"] === undefined ? { ...schema, minLength: 1 } : schema;
}

/**
 * What a header field value may hold (RFC 9110 §5.5: visible characters, space, tab and obs-text, i.e. Latin-1 without
 * controls): the request builder refuses anything else (a CR or LF would end the field), so a plain string header
 * says so. One character class, linear to match: the validator checks it too (emit/zod.ts), unlike a spec's patterns.
 */
export const HEADER_VALUE_PATTERN = "^[\\t\\x20-\\x7E\\x80-\\xFF]*$";

function headerValue(schema: Schema): Schema {
  const plainString = schema["type"] === "string" && schema["enum"] === undefined && schema["const"] === undefined && schema["format"] === undefined;
  return plainString && schema["pattern"] === undefined ? { ...schema, pattern: HEADER_VALUE_PATTERN } : schema;
}

function parameterSchema(
  node: Record<string, unknown>,
  pointer: string,
  registry: SchemaRegistry,
): { schema: Schema; json: boolean } {
  if (node["schema"] !== undefined) {
    return { schema: normalizeSchema(node["schema"], registry, "input", `${pointer}/schema`), json: false };
  }
  const content = node["content"];
  if (content && typeof content === "object") {
    // `content` holds exactly one media type; the value is that document serialised (JSON for application/json).
    const [mediaType, media] = Object.entries(content)[0] ?? [];
    const schemaNode = (media as Record<string, unknown> | undefined)?.["schema"];
    const schema = normalizeSchema(schemaNode, registry, "input", `${pointer}/content`);
    return { schema, json: typeof mediaType === "string" && /json/i.test(mediaType) };
  }
  // Swagger 2.0: the schema keywords sit on the parameter itself.
  return { schema: normalizeSchema(swagger2Schema(node), registry, "input", pointer), json: false };
}

const SWAGGER2_SCHEMA_KEYWORDS = [
  "type", "format", "items", "enum", "default", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
  "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "multipleOf", "x-nullable",
];

export function swagger2Schema(node: Record<string, unknown>): Record<string, unknown> {
  const schema: Record<string, unknown> = {};
  // An index loop: for…of allocated an iterator result per keyword (17 per parameter), 3.5 MB of Kubernetes' model.
  for (let i = 0; i < SWAGGER2_SCHEMA_KEYWORDS.length; i++) {
    const keyword = SWAGGER2_SCHEMA_KEYWORDS[i]!;
    if (node[keyword] !== undefined) schema[keyword] = node[keyword];
  }
  if (typeof node["description"] === "string") schema["description"] = node["description"];
  return schema;
}

const DEFAULT_STYLE: Record<ParameterLocation, ParameterStyle> = {
  path: "simple",
  query: "form",
  header: "simple",
  cookie: "form",
};

/** Swagger 2.0 `collectionFormat` → the OpenAPI 3 style/explode that produces the same wire format. */
export const COLLECTION_FORMATS: Record<string, { style: ParameterStyle; explode: boolean }> = {
  csv: { style: "form", explode: false },
  ssv: { style: "spaceDelimited", explode: false },
  tsv: { style: "tabDelimited", explode: false },
  pipes: { style: "pipeDelimited", explode: false },
  multi: { style: "form", explode: true },
};

function serialisation(node: Record<string, unknown>, location: ParameterLocation): { style: ParameterStyle; explode: boolean } {
  if (node["type"] === "array" && node["schema"] === undefined && node["content"] === undefined) {
    const format = COLLECTION_FORMATS[String(node["collectionFormat"] ?? "csv")] ?? COLLECTION_FORMATS["csv"]!;
    // csv in a path or header is the same simple comma list.
    return location === "query" || location === "cookie" || format.explode
      ? format
      : { style: DEFAULT_STYLE[location], explode: false };
  }
  const style = typeof node["style"] === "string" ? (node["style"] as ParameterStyle) : DEFAULT_STYLE[location];
  // `explode` defaults to true for form style only (OpenAPI 3.1 §4.8.12.2).
  const explode = typeof node["explode"] === "boolean" ? node["explode"] : style === "form";
  return { style, explode };
}
