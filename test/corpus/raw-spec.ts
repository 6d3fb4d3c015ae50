/**
 * Reads a spec as plain JSON/YAML, independently of the generator (which parses with swagger-parser and reads it
 * through its model): the corpus tests derive what a tool must contain from here and compare it with the output.
 *
 * Kept deliberately small and literal: the OpenAPI rules it applies are cited where they are used.
 */
import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";

export type Json = { [key: string]: unknown };

export interface RawSpec {
  doc: Json;
  version: "2.0" | "3.0" | "3.1";
}

/** Path item keys that are operations (OpenAPI 3.1 §4.8.9.1; 2.0 has all but `trace`). */
export const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

export async function readRawSpec(path: string): Promise<RawSpec> {
  const text = await readFile(path, "utf8");
  const doc = (path.endsWith(".json") ? JSON.parse(text) : parseYaml(text, { merge: true, maxAliasCount: -1 })) as Json;
  const version = doc["swagger"] === "2.0" ? "2.0" : String(doc["openapi"]).startsWith("3.0") ? "3.0" : "3.1";
  return { doc, version };
}

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** RFC 6901 pointer inside a URI fragment (percent-decoded first, RFC 3986 §3.5). */
export function atPointer(doc: Json, ref: string): unknown {
  if (!ref.startsWith("#")) throw new Error(`only local $refs are supported here: ${ref}`);
  let node: unknown = doc;
  for (const raw of ref.slice(1).split("/").slice(1)) {
    const segment = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    node = isObject(node) || Array.isArray(node) ? (node as Json)[segment] : undefined;
  }
  return node;
}

/** Follows a chain of `$ref`s (a Reference Object, or a 2.0/3.0 schema that is only a `$ref`). */
export function resolve(doc: Json, node: unknown): Json | undefined {
  let current = node;
  for (let hops = 0; isObject(current) && typeof current["$ref"] === "string"; hops++) {
    if (hops > 64) throw new Error(`$ref cycle at ${String(current["$ref"])}`);
    current = atPointer(doc, current["$ref"]);
  }
  return isObject(current) ? current : undefined;
}

export function escapePointer(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

export interface RawParameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  /** The value's schema: `schema`, the one media type's schema under `content`, or (2.0) the parameter itself. */
  schema: Json;
  style: string;
  explode: boolean;
  /** `content: application/json`: the value is sent as JSON text. */
  json: boolean;
  /** The resolved Parameter Object. */
  node: Json;
}

export interface RawOperation {
  method: string;
  /** The path key as written in the spec. */
  path: string;
  /** `#/paths/<path>/<method>` (the path is the key under which the operation is reached). */
  pointer: string;
  node: Json;
  /** The path item the operation is in (its `servers`, its parameters). */
  pathItem: Json;
  /** Merged path-level + operation-level parameters, except `in: body` / `in: formData` (Swagger 2.0). */
  parameters: RawParameter[];
  /** Swagger 2.0 `in: body` / `in: formData` parameters. */
  bodyParameters: Json[];
}

/**
 * Every operation under `paths`: each path item (following a path item `$ref`, OpenAPI 3.x §4.8.9.1) × each HTTP
 * method key. Webhooks and callbacks are requests the API makes, not operations a client calls.
 */
export function rawOperations(spec: RawSpec): RawOperation[] {
  const { doc } = spec;
  const operations: RawOperation[] = [];
  for (const [path, item] of Object.entries((doc["paths"] ?? {}) as Json)) {
    const pathItem = resolvePathItem(doc, item);
    for (const method of METHODS) {
      const node = pathItem[method];
      if (!isObject(node)) continue;
      const all = mergedParameters(doc, pathItem, node);
      operations.push({
        method: method.toUpperCase(),
        path,
        pointer: `#/paths/${escapePointer(path)}/${method}`,
        node,
        pathItem,
        parameters: all.flatMap((p) => (p["in"] === "body" || p["in"] === "formData" ? [] : [toRawParameter(spec, p)])),
        bodyParameters: all.filter((p) => p["in"] === "body" || p["in"] === "formData"),
      });
    }
  }
  return operations;
}

/** What bridge.yaml and ToolDefinition.operationId call an operation: its operationId, else `METHOD /path`. */
export function operationLabel(op: RawOperation): string {
  return typeof op.node["operationId"] === "string" ? op.node["operationId"] : `${op.method} ${op.path}`;
}

/** A path item may be a `$ref` to another path item (whose own fields it then has). */
function resolvePathItem(doc: Json, item: unknown): Json {
  let current = isObject(item) ? item : {};
  for (let hops = 0; typeof current["$ref"] === "string" && hops < 16; hops++) {
    const { $ref, ...siblings } = current;
    const target = atPointer(doc, $ref as string);
    current = { ...(isObject(target) ? target : {}), ...siblings };
  }
  return current;
}

/** Operation-level parameters replace path-level ones with the same `name` + `in` (OpenAPI 3.1 Operation Object). */
function mergedParameters(doc: Json, pathItem: Json, operation: Json): Json[] {
  const merged = new Map<string, Json>();
  for (const list of [pathItem["parameters"], operation["parameters"]]) {
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      const parameter = resolve(doc, entry);
      if (parameter) merged.set(`${String(parameter["in"])}\n${String(parameter["name"])}`, parameter);
    }
  }
  return [...merged.values()];
}

/** OpenAPI 3.1 §4.8.12.4 style defaults per location; 2.0 `collectionFormat` as the style that sends the same. */
const DEFAULT_STYLE = { path: "simple", query: "form", header: "simple", cookie: "form" } as const;
const COLLECTION_FORMAT: Record<string, { style: string; explode: boolean }> = {
  csv: { style: "form", explode: false },
  ssv: { style: "spaceDelimited", explode: false },
  tsv: { style: "tabDelimited", explode: false },
  pipes: { style: "pipeDelimited", explode: false },
  multi: { style: "form", explode: true },
};

function toRawParameter(spec: RawSpec, node: Json): RawParameter {
  const location = node["in"] as RawParameter["in"];
  let schema: Json;
  let json = false;
  if (isObject(node["schema"])) schema = node["schema"];
  else if (isObject(node["content"])) {
    const [mediaType, media] = Object.entries(node["content"])[0] ?? ["", {}];
    schema = isObject(media) && isObject(media["schema"]) ? media["schema"] : {};
    json = /json/i.test(mediaType);
  } else schema = node; // Swagger 2.0: the schema keywords sit on the parameter
  let style: string;
  let explode: boolean;
  if (spec.version === "2.0") {
    const format = node["type"] === "array" ? (COLLECTION_FORMAT[String(node["collectionFormat"] ?? "csv")] ?? COLLECTION_FORMAT["csv"]!) : undefined;
    const inUrlOrHeader = location === "path" || location === "header";
    // csv in a path or header is the simple style's comma list.
    style = format && !(inUrlOrHeader && !format.explode) ? format.style : DEFAULT_STYLE[location];
    explode = format?.explode ?? style === "form";
  } else {
    style = typeof node["style"] === "string" ? node["style"] : DEFAULT_STYLE[location];
    explode = typeof node["explode"] === "boolean" ? node["explode"] : style === "form";
  }
  return {
    name: String(node["name"]),
    in: location,
    // Path parameters are always required (OpenAPI 3.1 §4.8.12.2.1).
    required: location === "path" || node["required"] === true,
    schema,
    style,
    explode,
    json,
    node,
  };
}

/**
 * OpenAPI 3.1 §4.8.12.2.1: header parameters named Accept, Content-Type or Authorization SHALL be ignored. So are the
 * framing and connection headers: the HTTP transport writes them from the message itself (RFC 9112 §6
 * Content-Length and Transfer-Encoding, RFC 9110 §7.2 Host, §7.6.1 Connection and its options), whatever a
 * parameter says (vercel's upload declares a required Content-Length header).
 */
const IGNORED_HEADERS = ["accept", "content-type", "authorization", "content-length", "transfer-encoding", "host", "connection", "keep-alive", "te", "trailer", "upgrade"];

export function isIgnoredHeader(parameter: RawParameter): boolean {
  return parameter.in === "header" && IGNORED_HEADERS.includes(parameter.name.toLowerCase());
}

export interface RawBody {
  /** Media type → Media Type Object (3.x); for 2.0 `in: body`, the operation's `consumes` each mapped to the body. */
  content: Record<string, Json>;
  required: boolean;
  /** Swagger 2.0 `in: formData` parameters, which together form one object body. */
  formData?: Json[];
}

/** The operation's request body, if it has one. */
export function rawBody(spec: RawSpec, op: RawOperation): RawBody | undefined {
  if (spec.version !== "2.0") {
    const body = resolve(spec.doc, op.node["requestBody"]);
    if (!body || !isObject(body["content"]) || Object.keys(body["content"]).length === 0) return undefined;
    return { content: body["content"] as Record<string, Json>, required: body["required"] === true };
  }
  const consumes = (op.node["consumes"] ?? spec.doc["consumes"] ?? ["application/json"]) as string[];
  const bodyParameter = op.bodyParameters.find((p) => p["in"] === "body");
  if (bodyParameter) {
    const media = { schema: bodyParameter["schema"] ?? {} };
    return { content: Object.fromEntries(consumes.map((type) => [type, media])), required: bodyParameter["required"] === true };
  }
  const formData = op.bodyParameters.filter((p) => p["in"] === "formData");
  if (formData.length === 0) return undefined;
  const schema = {
    type: "object",
    properties: Object.fromEntries(formData.map((p) => [String(p["name"]), p])),
    required: formData.filter((p) => p["required"] === true).map((p) => String(p["name"])),
  };
  return {
    content: Object.fromEntries(consumes.map((type) => [type, { schema }])),
    required: formData.some((p) => p["required"] === true),
    formData,
  };
}

/**
 * The top-level properties a body schema defines: its own `properties` and those of its `allOf`/`oneOf`/`anyOf`
 * members, following `$ref`s. `readOnly` properties are left out: they are not sent in requests (OpenAPI 3.0
 * §4.7.24.1 "SHOULD NOT be sent as part of the request"), and the bridge drops them from inputs.
 */
export function topLevelProperties(doc: Json, schema: unknown): { name: string; schema: Json; required: boolean }[] {
  const found = new Map<string, { name: string; schema: Json; required: boolean }>();
  const seen = new Set<unknown>();
  const visit = (node: unknown): void => {
    const resolved = resolve(doc, node);
    if (!resolved || seen.has(resolved)) return;
    seen.add(resolved);
    const required = new Set(Array.isArray(resolved["required"]) ? (resolved["required"] as string[]) : []);
    for (const [name, property] of Object.entries(isObject(resolved["properties"]) ? resolved["properties"] : {})) {
      const target = resolve(doc, property) ?? {};
      if (target["readOnly"] === true || (isObject(property) && property["readOnly"] === true)) continue;
      const previous = found.get(name);
      found.set(name, { name, schema: target, required: (previous?.required ?? false) || required.has(name) });
    }
    for (const keyword of ["allOf", "oneOf", "anyOf"]) {
      if (Array.isArray(resolved[keyword])) for (const member of resolved[keyword]) visit(member);
    }
  };
  visit(schema);
  return [...found.values()];
}

/**
 * The server an operation is sent to: the first of its own `servers`, else its path item's (OpenAPI 3.x Operation and
 * Path Item Objects; an empty list counts as none), with each variable's default; undefined when it has none or the
 * document's first server is among them (then the API's base URL applies).
 */
export function operationServerUrl(spec: RawSpec, op: RawOperation): string | undefined {
  if (spec.version === "2.0") return undefined;
  const withDefaults = (server: Json): string =>
    String(server["url"]).replace(/\{([^}]+)\}/g, (whole, name: string) => {
      const variable = isObject(server["variables"]) ? (server["variables"] as Json)[name] : undefined;
      return isObject(variable) && variable["default"] !== undefined ? String(variable["default"]) : whole;
    });
  const list = (value: unknown): Json[] | undefined => (Array.isArray(value) && value.some(isObject) ? value.filter(isObject) : undefined);
  const own = list(op.node["servers"]) ?? list(op.pathItem["servers"]);
  if (!own) return undefined;
  const top = list(spec.doc["servers"])?.[0];
  // Compared resolved (`//host` is `https://host`), without a trailing slash.
  const trim = (url: string) => new URL(url, "https://relative.invalid/").href.replace(/\/+$/, "");
  // The API's own server among them: its base URL serves the operation.
  if (top && own.some((server) => trim(withDefaults(server)) === trim(withDefaults(top)))) return undefined;
  return withDefaults(own[0]!);
}
