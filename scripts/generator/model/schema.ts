/**
 * OpenAPI Schema Object (2.0, 3.0, 3.1 dialects) → the model's normalised JSON Schema (draft 2020-12).
 *
 * - References to schemas stay references: `{ $ref: "#/$defs/<Name>" }`, each target normalised once per direction,
 *   so shared components are emitted once and recursive ones need nothing special.
 * - Direction matters: inputs drop `readOnly` properties, outputs drop `writeOnly` ones
 *   (https://spec.openapis.org/oas/v3.0.3#fixed-fields-19), so a component has an input and an output form.
 * - 3.0's `nullable`, Swagger's `x-nullable`, boolean `exclusiveMinimum`/`exclusiveMaximum` and `type: file` become
 *   their 2020-12 forms; `format: binary` inputs become base64 strings (JSON cannot carry raw bytes).
 * - Only validation and documentation keywords are kept; `example(s)`, `xml`, `discriminator`, vendor extensions and
 *   `title` are dropped from the model (they cost tools/list bytes and the model's attention without constraining).
 *
 * @see https://spec.openapis.org/oas/v3.1.0#schema-object
 */
import type { SpecDocument } from "../spec/load.ts";
import type { Notice, Schema, SpecVersion } from "./types.ts";
import { resolvePointer, schemaNameFor } from "./refs.ts";

export type Direction = "input" | "output";

export interface SchemaRegistry {
  readonly document: SpecDocument;
  readonly version: SpecVersion;
  /** JSON pointer of a referenced schema → its name in `$defs` (shared by both directions). */
  readonly names: Map<string, string>;
  readonly usedNames: Set<string>;
  /** Normalised named schemas per direction. */
  readonly defs: Record<Direction, Map<string, Schema>>;
  readonly notices: Notice[];
}

export function createSchemaRegistry(document: SpecDocument, version: SpecVersion): SchemaRegistry {
  return {
    document,
    version,
    names: new Map(),
    usedNames: new Set(),
    defs: { input: new Map(), output: new Map() },
    notices: [],
  };
}

/** Nesting deeper than this without a `$ref` can only come from YAML aliases forming a cycle. */
const MAX_INLINE_DEPTH = 64;

export function normalizeSchema(raw: unknown, registry: SchemaRegistry, direction: Direction, pointer: string): Schema {
  return normalize(raw, { registry, direction }, pointer, 0);
}

interface Walk {
  registry: SchemaRegistry;
  direction: Direction;
}

function normalize(raw: unknown, walk: Walk, pointer: string, depth: number): Schema {
  if (raw === true || raw === undefined) return {};
  if (raw === false) return { not: {} };
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return {};
  if (depth > MAX_INLINE_DEPTH) {
    walk.registry.notices.push({ pointer, message: "schema nested too deeply (a YAML alias cycle?): accepted as any value" });
    return {};
  }
  const source = raw as Record<string, unknown>;
  if (typeof source["$ref"] === "string") return referenceTo(source, walk, pointer);

  const out: Schema = {};
  copyType(source, out, walk);
  copyAnnotations(source, out);
  copyValidation(source, out, walk.registry.version);
  copyComposition(source, out, walk, pointer, depth);
  copyArray(source, out, walk, pointer, depth);
  copyObject(source, out, walk, pointer, depth);
  applyNullable(source, out);
  return out;
}

/** A `$ref` to a schema becomes a named definition, normalised on first use. */
function referenceTo(source: Record<string, unknown>, walk: Walk, pointer: string): Schema {
  const ref = source["$ref"] as string;
  if (!ref.startsWith("#")) {
    walk.registry.notices.push({ pointer, message: `external $ref ${ref} not bundled: accepted as any value` });
    return {};
  }
  const name = defineNamed(ref, walk);
  const out: Schema = { $ref: `#/$defs/${name}` };
  // 3.1 allows keywords beside $ref; a description there is the most useful one to keep.
  if (typeof source["description"] === "string" && source["description"].trim()) out["description"] = source["description"].trim();
  return out;
}

function defineNamed(ref: string, walk: Walk): string {
  const { registry, direction } = walk;
  let name = registry.names.get(ref);
  if (name === undefined) {
    name = schemaNameFor(ref, registry.usedNames);
    registry.names.set(ref, name);
    registry.usedNames.add(name);
  }
  const defs = registry.defs[direction];
  if (!defs.has(name)) {
    defs.set(name, {}); // placeholder first: a recursive reference to itself finds the name and stops
    const target = resolvePointer(registry.document, ref);
    if (target === undefined) throw new Error(`${ref}: $ref points to nothing`);
    defs.set(name, normalize(target, walk, ref, 0));
  }
  return name;
}

function copyType(source: Record<string, unknown>, out: Schema, walk: Walk): void {
  const type = source["type"];
  if (type === "file") {
    // Swagger 2.0 file upload: bytes, which a JSON tool argument carries as base64.
    Object.assign(out, binaryString(walk.direction));
    return;
  }
  if (typeof type === "string" || Array.isArray(type)) out["type"] = type;
  if (source["format"] === "binary" && (type === "string" || type === undefined)) {
    Object.assign(out, binaryString(walk.direction));
    return;
  }
  if (typeof source["format"] === "string") out["format"] = source["format"];
  if (typeof source["contentEncoding"] === "string") out["contentEncoding"] = source["contentEncoding"];
  if (typeof source["contentMediaType"] === "string") out["contentMediaType"] = source["contentMediaType"];
}

function binaryString(direction: Direction): Schema {
  return direction === "input" ? { type: "string", contentEncoding: "base64" } : { type: "string" };
}

function copyAnnotations(source: Record<string, unknown>, out: Schema): void {
  if (typeof source["description"] === "string" && source["description"].trim()) out["description"] = source["description"].trim();
  if (source["default"] !== undefined) out["default"] = source["default"];
  if (source["deprecated"] === true) out["deprecated"] = true;
}

const NUMERIC_KEYWORDS = ["multipleOf", "maximum", "minimum", "maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties"] as const;

function copyValidation(source: Record<string, unknown>, out: Schema, version: SpecVersion): void {
  if (Array.isArray(source["enum"])) out["enum"] = source["enum"];
  if (source["const"] !== undefined) out["const"] = source["const"];
  if (typeof source["pattern"] === "string") out["pattern"] = source["pattern"];
  if (source["uniqueItems"] === true) out["uniqueItems"] = true;
  for (const keyword of NUMERIC_KEYWORDS) {
    if (typeof source[keyword] === "number") out[keyword] = source[keyword];
  }
  copyExclusiveBound(source, out, "exclusiveMinimum", "minimum", version);
  copyExclusiveBound(source, out, "exclusiveMaximum", "maximum", version);
}

/**
 * 2.0/3.0 say `exclusiveMinimum: true` beside `minimum`; 2020-12 says `exclusiveMinimum: <number>`. A 3.1 document
 * that still writes the boolean form (draft 4; ReadMe's schema-validation examples) means the same bound: read so,
 * rather than dropped.
 */
function copyExclusiveBound(
  source: Record<string, unknown>,
  out: Schema,
  keyword: "exclusiveMinimum" | "exclusiveMaximum",
  bound: "minimum" | "maximum",
  version: SpecVersion,
): void {
  const value = source[keyword];
  if (typeof value === "number") out[keyword] = value;
  else if (value === true && typeof source[bound] === "number") {
    out[keyword] = source[bound];
    delete out[bound];
  }
}

function copyComposition(source: Record<string, unknown>, out: Schema, walk: Walk, pointer: string, depth: number): void {
  for (const keyword of ["allOf", "oneOf", "anyOf"] as const) {
    const members = source[keyword];
    if (Array.isArray(members) && members.length > 0) {
      out[keyword] = members.map((member, i) => normalize(member, walk, `${pointer}/${keyword}/${i}`, depth + 1));
    }
  }
  if (source["not"] !== undefined) out["not"] = normalize(source["not"], walk, `${pointer}/not`, depth + 1);
}

function copyArray(source: Record<string, unknown>, out: Schema, walk: Walk, pointer: string, depth: number): void {
  if (source["items"] !== undefined && !Array.isArray(source["items"])) {
    out["items"] = normalize(source["items"], walk, `${pointer}/items`, depth + 1);
  }
  if (Array.isArray(source["prefixItems"])) {
    out["prefixItems"] = source["prefixItems"].map((item, i) => normalize(item, walk, `${pointer}/prefixItems/${i}`, depth + 1));
  }
}

function copyObject(source: Record<string, unknown>, out: Schema, walk: Walk, pointer: string, depth: number): void {
  const properties = source["properties"];
  const required = new Set(Array.isArray(source["required"]) ? source["required"].filter((r) => typeof r === "string") : []);
  if (properties && typeof properties === "object") {
    const kept: Schema = {};
    const hiddenNames = new Set<string>();
    for (const [name, property] of Object.entries(properties)) {
      if (isHiddenInDirection(property, walk)) {
        required.delete(name);
        hiddenNames.add(name);
        continue;
      }
      setOwn(kept, name, normalize(property, walk, `${pointer}/properties/${name}`, depth + 1));
    }
    out["properties"] = kept;
    // A required name no property defines is still required (JSON Schema 2020-12 §10.3.2.1: `required` alone), with
    // any value: Figma's putWebhook requires a `team_id` its properties forget. Declared as an any-value property so
    // an input that lists properties can carry it; a closed object (additionalProperties: false) cannot, so there it
    // goes. Own keys only: `in` would find `toString` or `constructor` on every object.
    for (const name of required) {
      if (Object.hasOwn(kept, name) || hiddenNames.has(name)) continue;
      if (source["additionalProperties"] === false) required.delete(name);
      else setOwn(kept, name, {});
    }
  }
  if (required.size > 0) out["required"] = [...required];
  const additional = source["additionalProperties"];
  if (typeof additional === "boolean") out["additionalProperties"] = additional;
  else if (additional && typeof additional === "object") {
    out["additionalProperties"] = normalize(additional, walk, `${pointer}/additionalProperties`, depth + 1);
  }
  if (source["propertyNames"] !== undefined) {
    out["propertyNames"] = normalize(source["propertyNames"], walk, `${pointer}/propertyNames`, depth + 1);
  }
  if (source["patternProperties"] && typeof source["patternProperties"] === "object") {
    const patterns: Schema = {};
    for (const [pattern, schema] of Object.entries(source["patternProperties"])) {
      patterns[pattern] = normalize(schema, walk, `${pointer}/patternProperties`, depth + 1);
    }
    out["patternProperties"] = patterns;
  }
}

/**
 * `object[name] = value` as an own data property for every name: assigned to `__proto__` it would set the prototype
 * and vanish, so that one name is defined instead. Assigning is the cheaper of the two (a profile of GitHub's model,
 * defining every property: copyObject ~30 ms of its ~230 ms of self time).
 */
function setOwn(object: Schema, name: string, value: unknown): void {
  if (name === "__proto__") Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
  else object[name] = value;
}

/** readOnly properties are not sent in requests; writeOnly ones are not returned (OpenAPI 3.0 §4.7.24.1). */
function isHiddenInDirection(property: unknown, walk: Walk): boolean {
  const keyword = walk.direction === "input" ? "readOnly" : "writeOnly";
  let current = property;
  for (let hops = 0; hops < 16 && current && typeof current === "object"; hops++) {
    const node = current as Record<string, unknown>;
    if (node[keyword] === true) return true;
    if (typeof node["$ref"] !== "string" || !node["$ref"].startsWith("#")) return false;
    current = resolvePointer(walk.registry.document, node["$ref"]);
  }
  return false;
}

/** OpenAPI 3.0 `nullable: true` / Swagger `x-nullable: true` → `null` added to the type (and to an enum). */
function applyNullable(source: Record<string, unknown>, out: Schema): void {
  if (source["nullable"] !== true && source["x-nullable"] !== true) return;
  const type = out["type"];
  if (typeof type === "string") out["type"] = [type, "null"];
  else if (Array.isArray(type) && !type.includes("null")) out["type"] = [...type, "null"];
  if (Array.isArray(out["enum"]) && !out["enum"].includes(null)) out["enum"] = [...out["enum"], null];
  // Not only when `type` is absent: `type: object, nullable: true, allOf: [{$ref}]` puts null in `type`, but null
  // must pass the composition too, and the referenced (object) shape rejects it.
  if (Array.isArray(out["oneOf"])) out["oneOf"] = [...out["oneOf"], { type: "null" }];
  else if (Array.isArray(out["anyOf"])) out["anyOf"] = [...out["anyOf"], { type: "null" }];
  else if (Array.isArray(out["allOf"])) {
    // The 3.0 idiom `nullable: true, allOf: [{$ref}]`: either the referenced shape or null.
    out["anyOf"] = [{ allOf: out["allOf"] }, { type: "null" }];
    delete out["allOf"];
  }
}
