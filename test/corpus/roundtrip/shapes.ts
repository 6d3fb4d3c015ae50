/**
 * What a spec schema says about the shape of a value on the wire: a scalar, a list or name/value pairs (the three
 * things OpenAPI's styles and RFC 6570 distinguish), and where a nested schema sits. Read from the raw spec, through
 * `$ref`, `allOf`, `anyOf`/`oneOf` and type lists.
 */
import { isObject, resolve, type Json } from "../raw-spec.ts";

export type Shape = "scalar" | "array" | "object";
const ALL: ReadonlySet<Shape> = new Set(["scalar", "array", "object"]);

/** The shapes a value of `schema` may have; every shape when the schema does not say. */
export function shapesOf(doc: Json, schema: unknown, depth = 0): ReadonlySet<Shape> {
  const node = resolve(doc, schema);
  if (!node || depth > 16) return ALL;
  const found = new Set<Shape>();
  for (const keyword of ["anyOf", "oneOf"]) {
    if (Array.isArray(node[keyword])) for (const member of node[keyword]) for (const s of shapesOf(doc, member, depth + 1)) found.add(s);
  }
  if (found.size > 0) return found;
  const types = typeList(node);
  if (types.length > 0) {
    for (const type of types) if (type !== "null") found.add(type === "array" ? "array" : type === "object" ? "object" : "scalar");
    return found.size > 0 ? found : new Set(["scalar"]);
  }
  if (isObject(node["properties"]) || isObject(node["additionalProperties"])) return new Set(["object"]);
  if (node["items"] !== undefined) return new Set(["array"]);
  if (Array.isArray(node["allOf"])) {
    for (const member of node["allOf"]) {
      const shapes = shapesOf(doc, member, depth + 1);
      if (shapes.size < ALL.size) return shapes;
    }
  }
  if (Array.isArray(node["enum"]) || node["format"] !== undefined || node["pattern"] !== undefined) return new Set(["scalar"]);
  return ALL;
}

function typeList(node: Json): string[] {
  return typeof node["type"] === "string" ? [node["type"]] : Array.isArray(node["type"]) ? (node["type"] as string[]) : [];
}

/** The schema of property `name` (through allOf/anyOf/oneOf members), or of `additionalProperties`. */
export function propertySchema(doc: Json, schema: unknown, name: string, depth = 0): Json | undefined {
  const node = resolve(doc, schema);
  if (!node || depth > 16) return undefined;
  if (isObject(node["properties"]) && isObject(node["properties"][name])) return node["properties"][name] as Json;
  for (const keyword of ["allOf", "anyOf", "oneOf"]) {
    if (!Array.isArray(node[keyword])) continue;
    for (const member of node[keyword]) {
      const found = propertySchema(doc, member, name, depth + 1);
      if (found) return found;
    }
  }
  return isObject(node["additionalProperties"]) ? node["additionalProperties"] : undefined;
}

/**
 * Property names a schema declares (own and its members'), in schema order; a name it only requires is one too
 * (JSON Schema 2020-12 §10.3.2.1: `required` names members, described or not; Box's token revocation requires an
 * undescribed `grant_type`).
 */
export function declaredProperties(doc: Json, schema: unknown, depth = 0): string[] {
  const node = resolve(doc, schema);
  if (!node || depth > 16) return [];
  const names = new Set(isObject(node["properties"]) ? Object.keys(node["properties"]) : []);
  if (Array.isArray(node["required"])) for (const name of node["required"]) if (typeof name === "string") names.add(name);
  for (const keyword of ["allOf", "anyOf", "oneOf"]) {
    if (Array.isArray(node[keyword])) for (const member of node[keyword]) for (const n of declaredProperties(doc, member, depth + 1)) names.add(n);
  }
  return [...names];
}

/** Whether a schema admits members beyond its declared properties. */
export function isOpenObject(doc: Json, schema: unknown): boolean {
  const node = resolve(doc, schema);
  return !!node && node["additionalProperties"] !== false && (isObject(node["additionalProperties"]) || node["additionalProperties"] === true || declaredProperties(doc, node).length === 0);
}

export function itemsSchema(doc: Json, schema: unknown, depth = 0): Json | undefined {
  const node = resolve(doc, schema);
  if (!node || depth > 16) return undefined;
  if (isObject(node["items"])) return node["items"];
  for (const keyword of ["allOf", "anyOf", "oneOf"]) {
    if (!Array.isArray(node[keyword])) continue;
    for (const member of node[keyword]) {
      const found = itemsSchema(doc, member, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Bytes rather than text: `format: binary` (OpenAPI 3.0 §4.7.24.1), 2.0 `type: file` (rewritten to a binary string
 * by spec-schemas.ts), or 3.1's `contentMediaType` without a `contentEncoding` (OpenAPI 3.1.1 §4.8.24.3.1: raw
 * content; with `contentEncoding: base64` the value is base64 text).
 */
export function isBinary(doc: Json, schema: unknown): boolean {
  const node = resolve(doc, schema);
  if (!node) return false;
  return node["format"] === "binary" || (typeof node["contentMediaType"] === "string" && node["contentEncoding"] === undefined);
}
