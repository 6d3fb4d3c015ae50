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
 * Longer than most modules (~350 lines) on purpose: `normalize` reads a node's keywords in one pass and writes them in
 * the model's key order, one rule after another; split across files, that order would be harder to see.
 *
 * @see https://spec.openapis.org/oas/v3.1.0#schema-object
 */
import type { SpecDocument } from "../spec/load.ts";
import type { Notice, ParameterModel, Schema, SpecVersion } from "./types.ts";
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
  /** Whether a property that is a `$ref` to this pointer is hidden in a direction (isHiddenInDirection), once each. */
  readonly hiddenRefs: Record<Direction, Map<string, boolean>>;
  /**
   * Parameters, which operations share (a `$ref` to a component, or their path item's list): what a local `$ref` in
   * a parameter list leads to, by its pointer, and the model of each Parameter Object (parameters.ts).
   */
  readonly parameters: { targets: Map<string, unknown>; models: Map<object, ParameterModel> };
}

export function createSchemaRegistry(document: SpecDocument, version: SpecVersion): SchemaRegistry {
  return {
    document,
    version,
    names: new Map(),
    usedNames: new Set(),
    defs: { input: new Map(), output: new Map() },
    notices: [],
    hiddenRefs: { input: new Map(), output: new Map() },
    parameters: { targets: new Map(), models: new Map() },
  };
}

/** Nesting deeper than this without a `$ref` can only come from YAML aliases forming a cycle. */
const MAX_INLINE_DEPTH = 64;

export function normalizeSchema(raw: unknown, registry: SchemaRegistry, direction: Direction, pointer: string): Schema {
  return normalize(raw, { registry, direction, base: pointer, path: [] }, 0);
}

/**
 * One normalisation: where it is, as the pointer it started at and the keys below it. The pointer is only written
 * out for a notice: building one per schema node was an allocation per node for nothing.
 */
interface Walk {
  registry: SchemaRegistry;
  direction: Direction;
  base: string;
  path: string[];
}

function pointerOf(walk: Walk): string {
  return walk.path.length === 0 ? walk.base : `${walk.base}/${walk.path.join("/")}`;
}

/** `normalize` of a member, its place (one or two keys) pushed on the walk's path while it runs. */
function normalizeAt(raw: unknown, walk: Walk, depth: number, key: string, index?: string): Schema {
  const { path } = walk;
  const length = path.length;
  path.push(key);
  if (index !== undefined) path.push(index);
  const out = normalize(raw, walk, depth);
  path.length = length;
  return out;
}

/**
 * The keywords are read in one pass over the schema's own keys, then written in a fixed order (the key order of the
 * model, and so of every listing and file, is that one, whatever the spec's). Looking each of ~30 keywords up in every
 * node, where most are absent, was most of this module's time on GitHub's spec.
 */
function normalize(raw: unknown, walk: Walk, depth: number): Schema {
  if (raw === true || raw === undefined) return {};
  if (raw === false) return { not: {} };
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return {};
  if (depth > MAX_INLINE_DEPTH) {
    walk.registry.notices.push({ pointer: pointerOf(walk), message: "schema nested too deeply (a YAML alias cycle?): accepted as any value" });
    return {};
  }
  const source = raw as Record<string, unknown>;
  let ref, type, format, contentEncoding, contentMediaType, description, defaultValue, deprecated, enumValue, constValue, pattern;
  let uniqueItems, exclusiveMinimum, exclusiveMaximum, allOf, oneOf, anyOf, not, items, prefixItems, properties, required;
  let additionalProperties, propertyNames, patternProperties, nullable, xNullable;
  let multipleOf, maximum, minimum, maxLength, minLength, maxItems, minItems, maxProperties, minProperties;
  for (const key in source) {
    // Cases in the order keys are met most often (the three bench specs' schemas): a switch on strings compares the
    // key with each case in turn, and a key no case names (title, example, x-…) with every one.
    switch (key) {
      case "type": type = source[key]; break;
      case "description": description = source[key]; break;
      case "$ref": ref = source[key]; break;
      case "properties": properties = source[key]; break;
      case "required": required = source[key]; break;
      case "items": items = source[key]; break;
      case "enum": enumValue = source[key]; break;
      case "format": format = source[key]; break;
      case "nullable": nullable = source[key]; break;
      case "uniqueItems": uniqueItems = source[key]; break;
      case "title": case "example": break;
      case "maxLength": maxLength = source[key]; break;
      case "maxItems": maxItems = source[key]; break;
      case "minimum": minimum = source[key]; break;
      case "maximum": maximum = source[key]; break;
      case "minLength": minLength = source[key]; break;
      case "minItems": minItems = source[key]; break;
      case "multipleOf": multipleOf = source[key]; break;
      case "maxProperties": maxProperties = source[key]; break;
      case "minProperties": minProperties = source[key]; break;
      case "anyOf": anyOf = source[key]; break;
      case "additionalProperties": additionalProperties = source[key]; break;
      case "default": defaultValue = source[key]; break;
      case "oneOf": oneOf = source[key]; break;
      case "allOf": allOf = source[key]; break;
      case "pattern": pattern = source[key]; break;
      case "deprecated": deprecated = source[key]; break;
      case "x-nullable": xNullable = source[key]; break;
      case "exclusiveMinimum": exclusiveMinimum = source[key]; break;
      case "exclusiveMaximum": exclusiveMaximum = source[key]; break;
      case "not": not = source[key]; break;
      case "const": constValue = source[key]; break;
      case "prefixItems": prefixItems = source[key]; break;
      case "propertyNames": propertyNames = source[key]; break;
      case "patternProperties": patternProperties = source[key]; break;
      case "contentEncoding": contentEncoding = source[key]; break;
      case "contentMediaType": contentMediaType = source[key]; break;
    }
  }
  if (typeof ref === "string") return referenceTo(ref, description, walk);

  const out: Schema = {};
  // Type and format.
  if (type === "file") {
    // Swagger 2.0 file upload: bytes, which a JSON tool argument carries as base64.
    setBinaryString(out, walk.direction);
  } else {
    if (typeof type === "string" || Array.isArray(type)) out["type"] = type;
    if (format === "binary" && (type === "string" || type === undefined)) setBinaryString(out, walk.direction);
    else {
      if (typeof format === "string") out["format"] = format;
      if (typeof contentEncoding === "string") out["contentEncoding"] = contentEncoding;
      if (typeof contentMediaType === "string") out["contentMediaType"] = contentMediaType;
    }
  }
  // Annotations.
  // Trimmed once, not once to test it and again to keep it.
  const trimmed = typeof description === "string" ? description.trim() : "";
  if (trimmed) out["description"] = trimmed;
  if (defaultValue !== undefined) out["default"] = defaultValue;
  if (deprecated === true) out["deprecated"] = true;
  // Validation.
  if (Array.isArray(enumValue)) out["enum"] = enumValue;
  if (constValue !== undefined) out["const"] = constValue;
  if (typeof pattern === "string") out["pattern"] = pattern;
  if (uniqueItems === true) out["uniqueItems"] = true;
  // The bounds as the key loop found them, written by name: a node with any bound (nearly every string of Stripe's
  // says maxLength: 5000) looked all nine up again by a computed key, most of them absent, each a lookup that misses
  // up the prototype chain.
  if (typeof multipleOf === "number") out["multipleOf"] = multipleOf;
  if (typeof maximum === "number") out["maximum"] = maximum;
  if (typeof minimum === "number") out["minimum"] = minimum;
  if (typeof maxLength === "number") out["maxLength"] = maxLength;
  if (typeof minLength === "number") out["minLength"] = minLength;
  if (typeof maxItems === "number") out["maxItems"] = maxItems;
  if (typeof minItems === "number") out["minItems"] = minItems;
  if (typeof maxProperties === "number") out["maxProperties"] = maxProperties;
  if (typeof minProperties === "number") out["minProperties"] = minProperties;
  copyExclusiveBound(exclusiveMinimum, minimum, out, "exclusiveMinimum", "minimum");
  copyExclusiveBound(exclusiveMaximum, maximum, out, "exclusiveMaximum", "maximum");
  // Composition.
  if (Array.isArray(allOf) && allOf.length > 0) out["allOf"] = normalizeMembers(allOf, walk, depth, "allOf");
  if (Array.isArray(oneOf) && oneOf.length > 0) out["oneOf"] = normalizeMembers(oneOf, walk, depth, "oneOf");
  if (Array.isArray(anyOf) && anyOf.length > 0) out["anyOf"] = normalizeMembers(anyOf, walk, depth, "anyOf");
  if (not !== undefined) out["not"] = normalizeAt(not, walk, depth + 1, "not");
  // Arrays.
  if (items !== undefined && !Array.isArray(items)) out["items"] = normalizeAt(items, walk, depth + 1, "items");
  if (Array.isArray(prefixItems)) out["prefixItems"] = normalizeMembers(prefixItems, walk, depth, "prefixItems");
  // Objects.
  copyObject(properties, required, additionalProperties, out, walk, depth);
  if (typeof additionalProperties === "boolean") out["additionalProperties"] = additionalProperties;
  else if (additionalProperties && typeof additionalProperties === "object") {
    out["additionalProperties"] = normalizeAt(additionalProperties, walk, depth + 1, "additionalProperties");
  }
  if (propertyNames !== undefined) out["propertyNames"] = normalizeAt(propertyNames, walk, depth + 1, "propertyNames");
  if (patternProperties && typeof patternProperties === "object") {
    const patterns: Schema = {};
    for (const [name, schema] of Object.entries(patternProperties)) {
      patterns[name] = normalizeAt(schema, walk, depth + 1, "patternProperties");
    }
    out["patternProperties"] = patterns;
  }
  if (nullable === true || xNullable === true) applyNullable(out);
  return out;
}

/** Pushed, not preallocated: an array made with `new Array(n)` stays "holey" to V8, slower for every later reader. */
function normalizeMembers(members: readonly unknown[], walk: Walk, depth: number, keyword: string): Schema[] {
  const out: Schema[] = [];
  for (let i = 0; i < members.length; i++) out.push(normalizeAt(members[i], walk, depth + 1, keyword, String(i)));
  return out;
}

/** A `$ref` to a schema becomes a named definition, normalised on first use. */
function referenceTo(ref: string, description: unknown, walk: Walk): Schema {
  if (!ref.startsWith("#")) {
    walk.registry.notices.push({ pointer: pointerOf(walk), message: `external $ref ${ref} not bundled: accepted as any value` });
    return {};
  }
  const name = defineNamed(ref, walk);
  const out: Schema = { $ref: `#/$defs/${name}` };
  // 3.1 allows keywords beside $ref; a description there is the most useful one to keep.
  const trimmed = typeof description === "string" ? description.trim() : "";
  if (trimmed) out["description"] = trimmed;
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
    defs.set(name, normalize(target, { registry, direction, base: ref, path: [] }, 0));
  }
  return name;
}

/** Bytes, which a JSON tool argument carries as base64 (an input); an output only says it is a string. */
function setBinaryString(out: Schema, direction: Direction): void {
  out["type"] = "string";
  if (direction === "input") out["contentEncoding"] = "base64";
}

/**
 * 2.0/3.0 say `exclusiveMinimum: true` beside `minimum`; 2020-12 says `exclusiveMinimum: <number>`. A 3.1 document
 * that still writes the boolean form (draft 4; ReadMe's schema-validation examples) means the same bound: read so,
 * rather than dropped.
 */
function copyExclusiveBound(
  value: unknown,
  boundValue: unknown,
  out: Schema,
  keyword: "exclusiveMinimum" | "exclusiveMaximum",
  bound: "minimum" | "maximum",
): void {
  if (typeof value === "number") out[keyword] = value;
  else if (value === true && typeof boundValue === "number") {
    out[keyword] = boundValue;
    delete out[bound];
  }
}

function copyObject(properties: unknown, requiredList: unknown, additionalProperties: unknown, out: Schema, walk: Walk, depth: number): void {
  // Most schemas require nothing: no set is made for them.
  const required = Array.isArray(requiredList) && requiredList.length > 0 ? requiredNames(requiredList) : undefined;
  if (properties && typeof properties === "object") {
    const kept: Schema = {};
    let hiddenNames: Set<string> | undefined;
    const { path } = walk;
    const length = path.length;
    path.push("properties", "");
    for (const name in properties) {
      const property = (properties as Record<string, unknown>)[name];
      if (isHiddenInDirection(property, walk)) {
        required?.delete(name);
        (hiddenNames ??= new Set()).add(name);
        continue;
      }
      path[length + 1] = name;
      // setOwn written out: a call per property (Stripe's model: ~10,000) for a test only `__proto__` passes.
      if (name === "__proto__") setOwn(kept, name, normalize(property, walk, depth + 1));
      else kept[name] = normalize(property, walk, depth + 1);
    }
    path.length = length;
    out["properties"] = kept;
    // A required name no property defines is still required (JSON Schema 2020-12 §10.3.2.1: `required` alone), with
    // any value: Figma's putWebhook requires a `team_id` its properties forget. Declared as an any-value property so
    // an input that lists properties can carry it; a closed object (additionalProperties: false) cannot, so there it
    // goes. Own keys only: `in` would find `toString` or `constructor` on every object.
    if (required) {
      for (const name of required) {
        if (Object.hasOwn(kept, name) || hiddenNames?.has(name)) continue;
        if (additionalProperties === false) required.delete(name);
        else setOwn(kept, name, {});
      }
    }
  }
  if (required && required.size > 0) out["required"] = [...required];
}

/** The strings of a `required` list, as a set (a filter's copy and its closure made only for a list with others). */
function requiredNames(list: readonly unknown[]): Set<string> {
  for (let i = 0; i < list.length; i++) if (typeof list[i] !== "string") return new Set(list.filter((r): r is string => typeof r === "string"));
  return new Set(list as readonly string[]);
}

/**
 * `object[name] = value` as an own data property for every name: assigned to `__proto__` it would set the prototype
 * and vanish, so that one name is defined instead. Assigning is the cheaper of the two (a profile of GitHub's model,
 * defining every property: copyObject ~30 ms of its ~230 ms of self time).
 */
export function setOwn(object: Schema, name: string, value: unknown): void {
  if (name === "__proto__") Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
  else object[name] = value;
}

/** readOnly properties are not sent in requests; writeOnly ones are not returned (OpenAPI 3.0 §4.7.24.1). */
function isHiddenInDirection(property: unknown, walk: Walk): boolean {
  if (!property || typeof property !== "object") return false;
  const node = property as Record<string, unknown>;
  // Read by name, not by a computed key from a call: this runs for every property.
  if ((walk.direction === "input" ? node["readOnly"] : node["writeOnly"]) === true) return true;
  const ref = node["$ref"];
  if (typeof ref !== "string" || !ref.startsWith("#")) return false;
  // GitHub's schemas refer to the same few hundred components from thousands of properties: each is looked up once.
  const known = walk.registry.hiddenRefs[walk.direction];
  let hidden = known.get(ref);
  if (hidden === undefined) known.set(ref, (hidden = hiddenBehind(ref, walk)));
  return hidden;
}

function hidingKeyword(direction: Direction): "readOnly" | "writeOnly" {
  return direction === "input" ? "readOnly" : "writeOnly";
}

/** Whether what a `$ref` leads to (through at most 15 more references) is marked hidden in the walk's direction. */
function hiddenBehind(ref: string, walk: Walk): boolean {
  const keyword = hidingKeyword(walk.direction);
  let current = resolvePointer(walk.registry.document, ref);
  for (let hops = 1; hops < 16 && current && typeof current === "object"; hops++) {
    const node = current as Record<string, unknown>;
    if (node[keyword] === true) return true;
    if (typeof node["$ref"] !== "string" || !node["$ref"].startsWith("#")) return false;
    current = resolvePointer(walk.registry.document, node["$ref"]);
  }
  return false;
}

/** OpenAPI 3.0 `nullable: true` / Swagger `x-nullable: true` → `null` added to the type (and to an enum). */
function applyNullable(out: Schema): void {
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
