/**
 * Assembles a tool's input: every parameter and the body under one object schema, with keys a model and every MCP
 * client accept (`^[A-Za-z0-9_.-]{1,64}$`), collisions resolved by location, and hidden parameters moved out of the
 * input into fixed values.
 */
import type { ParameterLocation } from "../../../src/tools/types.ts";
import type { SchemaRegistry } from "./schema.ts";
import type { BodyModel, FixedValueModel, ParameterModel, Schema } from "./types.ts";

const LOCATION_ORDER: readonly ParameterLocation[] = ["path", "query", "header", "cookie"];

export interface AssembledInput {
  parameters: ParameterModel[];
  body?: BodyModel;
  fixed: FixedValueModel[];
  input: Schema;
  /** Hidden parameter names from bridge.yaml that match nothing in the operation. */
  unknownHidden: string[];
}

export function assembleInput(
  parameters: readonly ParameterModel[],
  body: BodyModel | undefined,
  hidden: Readonly<Record<string, unknown>>,
  registry: SchemaRegistry,
): AssembledInput {
  const remaining = new Set(Object.keys(hidden));
  // Own keys only: `in` would also find `constructor`, `toString`, … on every object, hiding a parameter of that
  // name with Object.prototype's function as its value.
  const isHidden = (name: string): boolean => Object.hasOwn(hidden, name);
  const fixed: FixedValueModel[] = [];
  const visible = parameters.filter((p) => {
    if (!isHidden(p.name)) return true;
    remaining.delete(p.name);
    fixed.push({ in: p.in, name: p.name, value: hidden[p.name], style: p.style, explode: p.explode });
    return false;
  });

  const used = new Set<string>();
  // Keys are given location by location (a path parameter keeps its name before a query one with the same name)...
  const keys: string[] = [];
  for (let i = 0; i < visible.length; i++) keys.push("");
  // Index loops here: for…of allocates an iterator result per step in this run mode (unoptimised bytecode).
  for (let l = 0; l < LOCATION_ORDER.length; l++) {
    const location = LOCATION_ORDER[l]!;
    for (let i = 0; i < visible.length; i++) {
      if (visible[i]!.in === location) keys[i] = uniqueKey(sanitizeKey(visible[i]!.name), location, used);
    }
  }
  // ...and the input keeps the spec's order (the order a person reads the operation in). A parameter whose key is
  // its model's is that model (shared by the operations listing it, and never written to): copied only to re-key it.
  const ordered = visible.map((p, i) => (keys[i] === p.key ? p : { ...p, key: keys[i]! }));

  const properties: Schema = {};
  const required: string[] = [];
  for (let i = 0; i < ordered.length; i++) {
    const p = ordered[i]!;
    properties[p.key] = describedSchema(p.schema, p.description, p.deprecated);
    if (p.required) required.push(p.key);
  }

  let keyedBody: BodyModel | undefined;
  if (body) {
    keyedBody = placeBody(body, hidden, isHidden, remaining, fixed, used, properties, required, registry);
  }
  const input: Schema = { type: "object", properties };
  if (required.length > 0) input["required"] = required;
  input["additionalProperties"] = false;
  const result: AssembledInput = { parameters: ordered, fixed, input, unknownHidden: [...remaining] };
  if (keyedBody) result.body = keyedBody;
  return result;
}

/** Flattens a plain object body into the input when its property names are free; otherwise one `body` argument. */
function placeBody(
  body: BodyModel,
  hidden: Readonly<Record<string, unknown>>,
  isHidden: (name: string) => boolean,
  remaining: Set<string>,
  fixed: FixedValueModel[],
  used: Set<string>,
  properties: Schema,
  required: string[],
  registry: SchemaRegistry,
): BodyModel {
  const shape = spreadableShape(body, registry);
  const hiddenProperties = shape ? Object.keys(shape.properties).filter(isHidden) : [];
  for (const name of hiddenProperties) {
    remaining.delete(name);
    fixed.push({ in: "body", name, value: hidden[name], style: "form", explode: true });
  }
  const visibleRequired = shape ? shape.required.filter((name) => !isHidden(name)) : [];
  // An optional body whose own properties are required when it is sent cannot be flattened: the flat input could not
  // say "all or none". It stays one optional `body` object with its required list, which models and validators read.
  if (shape && (body.required || visibleRequired.length === 0)) {
    const names = Object.keys(shape.properties).filter((name) => !isHidden(name));
    const keys = names.map(sanitizeKey);
    const free = keys.every((key, i) => !used.has(key) && keys.indexOf(key) === i);
    if (free) {
      const spread = names.map((name, i) => ({ key: keys[i]!, name }));
      for (let i = 0; i < spread.length; i++) {
        const { key, name } = spread[i]!;
        properties[key] = shape.properties[name] as Schema;
        if (body.required && shape.required.includes(name)) required.push(key);
        used.add(key);
      }
      return withEmptyObject({ ...body, spread }, body.required && visibleRequired.length === 0);
    }
  }
  // A body that stays one argument (e.g. a property collides with a parameter) still has its hidden properties fixed
  // (the request builder adds them to the argument): they leave the body's schema instead of being reported unknown.
  const schema = shape && hiddenProperties.length > 0 ? withoutProperties(shape.schema, hiddenProperties) : body.schema;
  const bodyKey = uniqueKey("body", "body", used);
  properties[bodyKey] = describedSchema(schema, body.description);
  // A required body whose object schema requires nothing may be left out: `{}` is sent (it is a valid body).
  const empty = body.required && requiresNothing(schema, registry);
  if (body.required && !empty) required.push(bodyKey);
  return withEmptyObject({ ...body, schema, bodyKey }, empty);
}

function withEmptyObject(body: BodyModel, empty: boolean): BodyModel {
  return empty ? { ...body, emptyObject: true } : body;
}

/** An object schema (through its `$ref`) with no required property and no composition that could add one. */
function requiresNothing(schema: Schema, registry: SchemaRegistry): boolean {
  const ref = schema["$ref"];
  const target = typeof ref === "string" ? (registry.defs.input.get(ref.slice("#/$defs/".length)) ?? {}) : schema;
  const objectLike = target["type"] === "object" || (target["type"] === undefined && (target["properties"] !== undefined || target["additionalProperties"] !== undefined));
  if (!objectLike || target["allOf"] || target["oneOf"] || target["anyOf"] || target["not"]) return false;
  // `{}` must be a valid body: no required property, and no minProperties above 0 (Figma's postVariables).
  if (typeof target["minProperties"] === "number" && target["minProperties"] > 0) return false;
  return !Array.isArray(target["required"]) || target["required"].length === 0;
}

function withoutProperties(schema: Schema, names: readonly string[]): Schema {
  const kept = (name: string): boolean => !names.includes(name);
  const properties = Object.fromEntries(Object.entries(schema["properties"] as Schema).filter(([name]) => kept(name)));
  const out: Schema = { ...schema, properties };
  const required = Array.isArray(schema["required"]) ? (schema["required"] as string[]).filter(kept) : [];
  if (required.length > 0) out["required"] = required;
  else delete out["required"];
  return out;
}

interface ObjectShape {
  /** The object schema itself (the definition, when the body is a `$ref`). */
  schema: Schema;
  properties: Record<string, unknown>;
  required: string[];
}

/**
 * A body can be flattened when it is a plain object with named properties and nothing else: no composition, no
 * additional properties (which a flat input could not tell apart from parameters), no minimum number of properties.
 */
function spreadableShape(body: BodyModel, registry: SchemaRegistry): ObjectShape | undefined {
  if (body.encoding !== "json" && body.encoding !== "form" && body.encoding !== "multipart") return undefined;
  let schema = body.schema;
  const ref = schema["$ref"];
  if (typeof ref === "string") schema = registry.defs.input.get(ref.slice("#/$defs/".length)) ?? {};
  const properties = schema["properties"];
  if (!properties || typeof properties !== "object" || Object.keys(properties).length === 0) return undefined;
  if (schema["oneOf"] || schema["anyOf"] || schema["allOf"] || schema["not"]) return undefined;
  if (schema["additionalProperties"] !== undefined && schema["additionalProperties"] !== false) return undefined;
  if (schema["patternProperties"]) return undefined;
  if (schema["type"] !== undefined && schema["type"] !== "object") return undefined;
  // "At least n of these" has no flat form (Figma's postVariables wants minProperties: 1): one `body` object says it.
  if (typeof schema["minProperties"] === "number" && schema["minProperties"] > 0) return undefined;
  const required = Array.isArray(schema["required"]) ? (schema["required"] as string[]) : [];
  return { schema, properties: properties as Record<string, unknown>, required };
}

function describedSchema(schema: Schema, description?: string, deprecated?: boolean): Schema {
  if (!description && !deprecated) return schema;
  const out: Schema = { ...schema };
  if (description) out["description"] = description;
  if (deprecated) out["deprecated"] = true;
  return out;
}

/** Input keys: letters, digits, `_`, `.`, `-`, at most 64 characters (what MCP clients and model APIs accept). */
export function sanitizeKey(name: string): string {
  // Most names are keys already: tested without a copy, where the replaces made two (Kubernetes: ~1.3 MB a run).
  if (KEY_AS_IS.test(name)) return name;
  const cleaned = name.replace(/[^A-Za-z0-9_.-]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 64);
  return cleaned.length > 0 ? cleaned : "param";
}

/** A name sanitizeKey leaves as it is: 1–64 allowed characters, no `_` at either end. */
const KEY_AS_IS = /^[A-Za-z0-9.-](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9.-])?$/;

function uniqueKey(base: string, location: string, used: Set<string>): string {
  let key = used.has(base) ? sanitizeKey(`${location}_${base}`) : base;
  for (let n = 2; used.has(key); n++) key = `${sanitizeKey(`${location}_${base}`).slice(0, 60)}_${n}`;
  used.add(key);
  return key;
}
