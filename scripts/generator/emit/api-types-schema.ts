/**
 * openapi-typescript 7.13's `transformSchemaObject` (`transform/schema-object.ts`, MIT) with the options api-types.ts
 * gives it (every option off: no enums, no `immutable`, no read/write markers, no array lengths, `defaultNonNullable`
 * on), writing the type's text directly (api-types-text.ts) instead of TypeScript nodes. Same branches in the same
 * order; where the library would throw (a schema that is an array, a `properties` value that is no schema…) or
 * would do something odd with an odd value (iterate a string, `.trim()` a number), this throws Unsupported and the
 * library renders the file. JSON Schema keywords: `const`, `enum`, `allOf`/`anyOf`/`oneOf`, `type` (one or several),
 * `items`/`prefixItems`, `properties`, `additionalProperties`, `patternProperties`, `$defs` (OpenAPI 3.1 §4.8.24,
 * JSON Schema 2020-12 §10); `nullable` and `discriminator` (OpenAPI 3.0 §4.7.24-25).
 */
import { docComment } from "./api-types-doc.ts";
import { literal, propertyName, refType } from "./api-types-literals.ts";
import {
  arrayOf,
  BOOLEAN,
  EMPTY_RECORD,
  intersection,
  isPrimitive,
  Kind,
  member,
  NEVER,
  NULL,
  NUMBER,
  reference,
  STRING,
  tuple,
  type Type,
  typeLiteral,
  union,
  unionNode,
  UNKNOWN,
  unsupported,
} from "./api-types-text.ts";
import { child, type Pointer, UNREAD } from "./openapi-typescript-refs.ts";
import { parseRef } from "./openapi-typescript-pointers.ts";

type Json = Record<string, any>;

/** What the transform shares: api-types-direct.ts makes it. */
export interface Context {
  resolve(ref: string): any;
  discriminators: { objects: Record<string, Json>; refsHandled: string[] };
  /** Whether the scan found any discriminator (else no pointer need be made to look one up). */
  hasDiscriminators: boolean;
  /** The statements after the root interfaces, in the order the library adds them: "operations", "WithRequired". */
  footer: string[];
  /** How many schemas deep the transform is (see MAX_DEPTH). */
  depth: number;
}

/**
 * Deeper than this, the library decides: it recurses about three calls per schema level, and where its stack runs out
 * it fails (api.ts then says so) while ours might not. No real spec comes near.
 */
const MAX_DEPTH = 500;

const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);

/** One empty list for every absent `allOf`, `anyOf`, `oneOf` (most schemas have none). */
const NONE: readonly never[] = [];

/** An array, or nothing (undefined or null); anything else the library would iterate oddly or throw on. */
function list(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return NONE;
  if (!Array.isArray(value)) unsupported();
  return value;
}

/** transformSchemaObject / transformSchemaObjectWithComposition: the type of a schema written at `level`. */
export function schemaType(schema: unknown, path: Pointer, level: number, ctx: Context): Type {
  // Not restored on a throw: the whole rendering is then abandoned.
  if (++ctx.depth > MAX_DEPTH) unsupported();
  const type = compositionType(schema, path, level, ctx);
  ctx.depth--;
  return type;
}

function compositionType(schema: unknown, path: Pointer, level: number, ctx: Context): Type {
  if (!schema) return NEVER;
  if (schema === true) return UNKNOWN;
  if (!isObject(schema)) unsupported(); // "Expected SchemaObject"
  if ("$ref" in schema) return refType(schema["$ref"]);
  if (schema["const"] !== null && schema["const"] !== undefined) return literal(schema["const"], level);
  if (Array.isArray(schema["enum"]) && (!("type" in schema) || schema["type"] !== "object") && !("properties" in schema) && !("additionalProperties" in schema)) {
    const members = literals(schema["enum"], level);
    if ((Array.isArray(schema["type"]) && schema["type"].includes("null")) || schema["nullable"]) members.push(NULL);
    return union(members);
  }

  let finalType: Type | undefined;
  const core = coreType(schema, path, level, ctx);
  // Each composition looked at before calling anything for it: most schemas have none, and in this unoptimised code a
  // call costs more than the look (GitHub's api.ts: ~100,000 schemas).
  const allOfValue = schema["allOf"];
  const allOf = allOfValue === undefined || allOfValue === null ? NONE : allOfTypes(list(allOfValue), schema["required"], path, level, ctx);
  // tsIntersection of one type is that type.
  if (allOf.length) {
    const all = intersection(allOf);
    finalType = core ? intersection([core, all]) : all;
  } else {
    finalType = core;
  }
  const anyOfValue = schema["anyOf"];
  const anyOf = anyOfValue === undefined || anyOfValue === null ? NONE : unionTypes(list(anyOfValue), "anyOf", path, level, ctx);
  if (anyOf.length) finalType = union(finalType ? [finalType, ...anyOf] : anyOf);
  const oneOfItems = schema["oneOf"] || ("type" in schema && schema["type"] === "object" && schema["enum"]);
  const oneOf = oneOfItems ? unionTypes(list(oneOfItems), "oneOf", path, level, ctx) : NONE;
  if (oneOf.length) {
    finalType = oneOf.every(isPrimitive)
      ? union([...(finalType ? [finalType] : []), ...oneOf])
      : intersection([...(finalType ? [finalType] : []), union(oneOf)]);
  }
  if (!finalType) finalType = "type" in schema ? EMPTY_RECORD : UNKNOWN;
  if (finalType !== UNKNOWN && schema["nullable"]) finalType = unionNode([finalType, NULL]);
  return finalType;
}

// Index loops, not `.map` with an arrow, below: in this unoptimised code a function whose arrow captures its
// parameters allocates a context on every call, even one that returns at once (unionTypes, twice per schema: ~4.8 MB
// on GitHub).

/** collectUnionCompositions: each item's type, its pointer naming its index. */
function unionTypes(items: readonly unknown[], key: string, path: Pointer, level: number, ctx: Context): readonly Type[] {
  if (items.length === 0) return NONE;
  const types: Type[] = [];
  for (let i = 0; i < items.length; i++) types.push(schemaType(items[i], child(path, key, String(i)), level, ctx));
  return types;
}

/** Each value's literal type, made at `level`. */
function literals(values: readonly unknown[], level: number): Type[] {
  const types: Type[] = [];
  for (let i = 0; i < values.length; i++) types.push(literal(values[i], level));
  return types;
}

/** The keys of `required` that name a property of `resolved` (the schema an allOf item's `$ref` points to). */
function requiredProperties(required: readonly unknown[], resolved: Json): unknown[] {
  const keys: unknown[] = [];
  for (let i = 0; i < required.length; i++) if (resolved["properties"]?.[required[i] as string]) keys.push(required[i]);
  return keys;
}

/** collectAllOfCompositions: a `$ref` item made to require what the schema requires; an inline item given it. */
function allOfTypes(items: readonly unknown[], required: unknown, path: Pointer, level: number, ctx: Context): readonly Type[] {
  if (items.length === 0) return NONE;
  if (required !== undefined && required !== null && !Array.isArray(required)) unsupported();
  const requiredKeys = (required ?? []) as unknown[];
  const output: Type[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isObject(item)) unsupported(); // the library's `"$ref" in item`
    let itemType: Type;
    if ("$ref" in item) {
      itemType = schemaType(item, path, level, ctx);
      const resolved = ctx.resolve(item["$ref"]);
      if (resolved && typeof resolved === "object" && "properties" in resolved && !ctx.discriminators.refsHandled.includes(item["$ref"])) {
        const validRequired = requiredProperties(requiredKeys, resolved);
        if (validRequired.length) {
          if (!ctx.footer.includes("WithRequired")) ctx.footer.push("WithRequired");
          itemType = reference("WithRequired", [itemType, union(literals(validRequired, level))]);
        }
      }
    } else {
      const itemRequired = [...requiredKeys];
      if (Array.isArray(item["required"])) itemRequired.push(...item["required"]);
      itemType = schemaType({ ...item, required: itemRequired }, path, level, ctx);
    }
    const discriminator = ("$ref" in item && ctx.discriminators.objects[item["$ref"]]) || item["discriminator"];
    output.push(discriminator ? reference("Omit", [itemType, unionNode([literal(discriminator.propertyName, level)])]) : itemType);
  }
  return output;
}

/** transformSchemaObjectCore: the type `type` gives, or the object type of the schema's properties; undefined if none. */
function coreType(schema: Json, path: Pointer, level: number, ctx: Context): Type | undefined {
  const type = schema["type"];
  if ("type" in schema && type) {
    if (type === "null") return NULL;
    if (type === "string") return STRING;
    if (type === "number" || type === "integer") return NUMBER;
    if (type === "boolean") return BOOLEAN;
    if (type === "array") return arrayType(schema, path, level, ctx);
    if (Array.isArray(type)) return union(typeUnion(schema, type, path, level, ctx));
  }

  let members = "";
  if ((schema["allOf"] || schema["anyOf"]) && ctx.hasDiscriminators && !schema["discriminator"]) {
    const pointer = path.toString();
    const discriminator = !ctx.discriminators.refsHandled.includes(pointer) && ctx.discriminators.objects[pointer];
    if (discriminator) members += member(level + 1, discriminatorProperty(discriminator, pointer, level + 1));
  }
  const properties = schema["properties"];
  const additional = schema["additionalProperties"];
  const patterns = schema["patternProperties"];
  const defs = schema["$defs"];
  const hasProperties = !!properties && Object.keys(properties).length > 0;
  if (!(hasProperties || ("additionalProperties" in schema && additional) || ("patternProperties" in schema && patterns) || ("$defs" in schema && defs))) {
    return members === "" ? undefined : typeLiteral(members, level);
  }
  if (hasProperties) {
    if (!isObject(properties)) unsupported();
    for (const key in properties) members += propertyMember(schema, key, properties[key], path, level + 1, ctx);
  }
  if (defs && typeof defs === "object" && Object.keys(defs).length) {
    if (!isObject(defs)) unsupported();
    let defMembers = "";
    for (const key in defs) {
      const def = defs[key];
      if (!isObject(def)) unsupported();
      const readOnly = "readOnly" in def && !!def["readOnly"];
      const defType = schemaType(def, child(path, "$defs", key), level + 2, ctx);
      defMembers += member(level + 2, `${readOnly ? "readonly " : ""}${propertyName(key)}: ${defType.text}`, docComment(def, level + 2));
    }
    members += member(level + 1, `$defs: ${typeLiteral(defMembers, level + 1).text}`);
  }

  if (additional === null || patterns === null) unsupported(); // Object.keys(null) throws in the library
  const explicitAdditional = typeof additional === "object" && Object.keys(additional).length > 0;
  const implicitAdditional = additional === true || (typeof additional === "object" && Object.keys(additional).length === 0);
  const indexTypes: Type[] = [];
  if (explicitAdditional) indexTypes.push(schemaType(additional, path, level + 1, ctx));
  if (implicitAdditional) indexTypes.push(UNKNOWN);
  if (typeof patterns === "object" && Object.keys(patterns).length) {
    if (!isObject(patterns)) unsupported();
    for (const key in patterns) indexTypes.push(schemaType(patterns[key], path, level + 1, ctx));
  }
  if (indexTypes.length === 0) return members === "" ? undefined : typeLiteral(members, level);
  const index = typeLiteral(member(level + 1, `[key: string]: ${union(indexTypes).text}`), level);
  return intersection([...(members === "" ? [] : [typeLiteral(members, level)]), index]);
}

/** One property of an object schema, a member at `level`. */
function propertyMember(schema: Json, key: string, value: unknown, path: Pointer, level: number, ctx: Context): string {
  if ((typeof value !== "object" && typeof value !== "boolean") || Array.isArray(value) || value === null) unsupported();
  const v = value as Json | boolean;
  const ref = typeof v === "object" && "$ref" in v && v["$ref"];
  const readOnly = typeof v === "object" && "readOnly" in v && v["readOnly"];
  const hasDefault = typeof v === "object" && "default" in v && v["default"] !== undefined;
  const required = schema["required"];
  let isRequired: boolean;
  if (required === undefined || required === null) isRequired = false;
  else if (Array.isArray(required) || typeof required === "string") isRequired = required.includes(key);
  else unsupported();
  // defaultNonNullable: a property with a default is present in what the API returns, not in what is sent to it.
  if (!isRequired && hasDefault) {
    const pointer = path.toString();
    isRequired = !pointer.includes("parameters") && !pointer.includes("requestBody") && !pointer.includes("requestBodies");
  }
  const type = ref ? refType(ref) : (primitiveType(v, path, ctx) ?? schemaType(v, propertyPointer(v, key, path), level, ctx));
  return member(level, `${readOnly ? "readonly " : ""}${propertyName(key)}${isRequired ? "" : "?"}: ${type.text}`, docComment(v, level));
}

/**
 * The pointer a property's schema is transformed with; UNREAD for a schema of a primitive `type` composing nothing,
 * whose transform returns before it could read one (coreType's first branches; `allOf`, `anyOf` and `oneOf` are the
 * only other places that could). Most properties are such (GitHub's api.ts: ~4.8 MB of pointers made, most never
 * read). Below a pointer holding a `%` (LazyPointer's `unusual`) it is made all the same: making it parses that one,
 * which may throw, as the library's does.
 */
function propertyPointer(schema: Json | boolean, key: string, path: Pointer): Pointer {
  if (typeof schema !== "object" || schema["allOf"] || schema["anyOf"] || schema["oneOf"]) return child(path, key);
  const type = schema["type"];
  const primitive = type === "string" || type === "integer" || type === "boolean" || type === "number" || type === "null";
  if (!primitive || (typeof path === "string" ? path.includes("%") : path.unusual)) return child(path, key);
  return UNREAD;
}

/**
 * What schemaType gives for a schema of one primitive `type` with nothing that would change its type (no `$ref`,
 * `const`, `enum`, `allOf`, `anyOf`, truthy `oneOf`): that type, or it or `null` where `nullable`; undefined for any
 * other schema, which goes the general way. Most properties, parameters and array items are such (GitHub's api.ts:
 * 29,879 of 38,764 properties); the general way asks the same questions over three calls (schemaType,
 * compositionType, coreType), and for a property propertyPointer's too, a call costing more than a question in this
 * unoptimised code. Not where the general way would throw: too deep (MAX_DEPTH), or where `path` (a property's parent)
 * holds a `%`, below which propertyPointer makes the pointer. test/unit/emit/api-types-schema.test.ts holds it to
 * schemaType.
 */
export function primitiveType(value: unknown, path: Pointer, ctx: Context): Type | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const schema = value as Json;
  const type = schema["type"];
  let core: Type;
  if (type === "string") core = STRING;
  else if (type === "integer" || type === "number") core = NUMBER;
  else if (type === "boolean") core = BOOLEAN;
  else if (type === "null") core = NULL;
  else return undefined;
  if ("$ref" in schema || (schema["const"] !== undefined && schema["const"] !== null) || schema["enum"] !== undefined) return undefined;
  const allOf = schema["allOf"];
  const anyOf = schema["anyOf"];
  if ((allOf !== undefined && allOf !== null) || (anyOf !== undefined && anyOf !== null) || schema["oneOf"]) return undefined;
  if (ctx.depth >= MAX_DEPTH || (typeof path === "string" ? path.includes("%") : path.unusual)) return undefined;
  return schema["nullable"] ? unionNode([core, NULL]) : core;
}

/** Several types (`type: [a, b]`): each alone, `null` as `null`; with a `oneOf`, a primitive it already has is left out. */
function typeUnion(schema: Json, types: unknown[], path: Pointer, level: number, ctx: Context): Type[] {
  const output: Type[] = [];
  const oneOf = schema["oneOf"];
  if (Array.isArray(oneOf)) {
    for (const t of types) {
      if (t === "boolean" || t === "string" || t === "number" || t === "integer" || t === "null") {
        if (oneOf.some((o) => o === null)) unsupported(); // `"type" in null` throws
        if (oneOf.find((o) => typeof o === "object" && "type" in o && o.type === t)) continue;
      }
      output.push(t === "null" || t === null ? NULL : schemaType({ ...schema, type: t, oneOf: undefined }, path, level, ctx));
    }
  } else {
    for (const t of types) output.push(t === "null" || t === null ? NULL : schemaType({ ...schema, type: t }, path, level, ctx));
  }
  return output;
}

/** `type: array`: a tuple of `prefixItems` (or of an `items` array), else an array of `items` (unknown without). */
function arrayType(schema: Json, path: Pointer, level: number, ctx: Context): Type {
  let itemType = UNKNOWN;
  const items = schema["items"];
  if (schema["prefixItems"] || Array.isArray(items)) {
    const prefixItems = schema["prefixItems"] ?? items;
    if (!Array.isArray(prefixItems)) unsupported();
    itemType = tuple(itemTypes(prefixItems, path, level + 1, ctx), level);
  } else if (items) {
    const nested = typeof items === "object" && items !== null && "type" in items && items.type === "array";
    itemType = nested ? arrayOf(schemaType(items, path, level, ctx)) : (primitiveType(items, path, ctx) ?? schemaType(items, path, level, ctx));
  }
  return itemType.kind === Kind.Tuple || itemType.kind === Kind.Array ? itemType : arrayOf(itemType);
}

/** Each tuple item's type, made at `level`. */
function itemTypes(items: readonly unknown[], path: Pointer, level: number, ctx: Context): Type[] {
  const types: Type[] = [];
  for (let i = 0; i < items.length; i++) types.push(schemaType(items[i], path, level, ctx));
  return types;
}

/** createDiscriminatorProperty: `propertyName: "<value>"`, the value the mapping gives this schema or its name. */
function discriminatorProperty(discriminator: Json, pointer: string, level: number): string {
  let value: unknown = parseRef(pointer).pointer.pop();
  const mapping = discriminator["mapping"];
  if (mapping) {
    const entries = Object.entries(mapping);
    if (entries.some(([, v]) => typeof v !== "string")) unsupported(); // `.startsWith` on it throws
    const matched = entries.find(([, v]) => {
      const ref = v as string;
      return (!ref.startsWith("#") && ref === value) || (ref.startsWith("#") && parseRef(ref).pointer.pop() === value);
    });
    if (matched) value = matched[0];
  }
  return `${propertyName(discriminator["propertyName"])}: ${literal(value, level).text}`;
}
