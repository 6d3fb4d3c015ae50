/**
 * Normalised JSON Schema → zod 4 source code that validates tool arguments (no runtime eval: the code is written
 * out and bundled). Named schemas become `const <Name>Schema = z.lazy(…)`, so cycles and declaration order need no
 * special case and nothing is built until a tool that needs it is called.
 *
 * Validation follows the listed schema but never fills anything in: no `.default()` (defaults are documented, never
 * sent), objects keep unknown properties unless `additionalProperties: false` (stripping them would lose data), and
 * formats are checked only where the check is unambiguous (date-time, date, uuid, ipv4/6, base64). Patterns are
 * not run (see stringFor).
 */
import { HEADER_VALUE_PATTERN } from "../model/parameters.ts";
import type { Notice, Schema } from "../model/types.ts";
import { setOwn } from "../model/schema.ts";
import { printKey } from "./literal.ts";

const REF_PREFIX = "#/$defs/";

export interface ZodContext {
  notices: Notice[];
  /** Where the schema comes from, for notices. */
  pointer: string;
}

export function schemaIdentifier(name: string): string {
  return `${name}Schema`;
}

export function zodFor(schema: Schema, ctx: ZodContext): string {
  if (typeof schema["$ref"] === "string" && schema["$ref"].startsWith(REF_PREFIX)) {
    return schemaIdentifier(schema["$ref"].slice(REF_PREFIX.length));
  }
  if (schema["const"] !== undefined) return literalOrUnknown([schema["const"]]);
  if (Array.isArray(schema["enum"])) return enumFor(schema["enum"]);
  const composed = compositionFor(schema, ctx);
  if (composed) return composed;
  // One type named as a string (most schemas): what the list below gives for a one-type list, without the lists.
  const type = schema["type"];
  if (typeof type === "string") return type === "null" ? "z.null()" : typedFor(type, schema, ctx);
  const types = typesOf(schema);
  if (types.length === 0) return Array.isArray(schema["required"]) ? requiredOnlyFor(schema["required"] as string[]) : "z.unknown()";
  const nonNull = types.filter((t) => t !== "null");
  const parts = nonNull.map((type) => typedFor(type, schema, ctx));
  const base = parts.length === 0 ? "z.null()" : parts.length === 1 ? parts[0]! : `z.union([${parts.join(", ")}])`;
  return types.includes("null") && nonNull.length > 0 ? `${base}.nullable()` : base;
}

function typesOf(schema: Schema): string[] {
  const type = schema["type"];
  if (typeof type === "string") return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === "string");
  if (schema["properties"] !== undefined || schema["additionalProperties"] !== undefined) return ["object"];
  if (schema["items"] !== undefined) return ["array"];
  return [];
}

/**
 * `required` with no type (an `allOf` member that only adds required names to a referenced shape): any value, but an
 * object must have those members (JSON Schema 2020-12 §10.3.2.1 applies `required` to objects only: Linode's rule
 * lists pass such a schema an array).
 */
function requiredOnlyFor(names: readonly string[]): string {
  return (
    `z.unknown().superRefine((value, ctx) => { if (typeof value !== "object" || value === null || Array.isArray(value)) return; ` +
    `for (const name of ${JSON.stringify(names)}) if (!Object.hasOwn(value, name)) ctx.addIssue({ code: "custom", path: [name], message: "required parameter is missing" }); })`
  );
}

function enumFor(values: readonly unknown[]): string {
  const nonNull = values.filter((v) => v !== null);
  const nullable = nonNull.length < values.length;
  let base: string;
  if (nonNull.length > 0 && nonNull.every((v) => typeof v === "string")) base = `z.enum(${JSON.stringify(nonNull)})`;
  else base = literalOrUnknown(nonNull);
  return nullable ? `${base}.nullable()` : base;
}

/** zod literals are scalars; an enum of objects or arrays is left to the API to check. */
function literalOrUnknown(values: readonly unknown[]): string {
  if (values.length === 0) return "z.null()";
  if (values.every((v) => v === null || ["string", "number", "boolean"].includes(typeof v))) {
    return values.length === 1 ? `z.literal(${JSON.stringify(values[0])})` : `z.literal(${JSON.stringify(values)})`;
  }
  return "z.unknown()";
}

function compositionFor(schema: Schema, ctx: ZodContext): string | undefined {
  const allOf = schema["allOf"] as Schema[] | undefined;
  const members = (schema["oneOf"] ?? schema["anyOf"]) as Schema[] | undefined;
  if (!allOf && !members) return undefined;
  // Keywords beside the composition (type, properties…) apply too: validated as one more member, first. Written
  // member by member: the rest copy, the lists, their spreads and the reduce's closure each allocated per composition
  // (Stripe's inputs: ~2,500 of them, deep anyOf).
  const rest = siblingKeywords(schema);
  let all = rest === undefined ? undefined : zodFor(rest, ctx);
  if (allOf) for (let i = 0; i < allOf.length; i++) all = intersection(all, zodFor(allOf[i]!, ctx));
  if (members) all = intersection(all, members.length === 1 ? zodFor(members[0]!, ctx) : unionOf(members, ctx));
  // oneOf's "exactly one" is not enforced: the API decides; the bridge only rejects what matches none.
  return all;
}

/** `z.intersection(a, b)`, or `b` alone as the first operand. */
function intersection(acc: string | undefined, next: string): string {
  return acc === undefined ? next : `z.intersection(${acc}, ${next})`;
}

function unionOf(members: readonly Schema[], ctx: ZodContext): string {
  const codes: string[] = [];
  for (let i = 0; i < members.length; i++) codes.push(zodFor(members[i]!, ctx));
  return `z.union([${codes.join(", ")}])`;
}

/** Keywords that compositionFor does not validate as the sibling member (they hold the composition or only annotate). */
const NOT_SIBLINGS = new Set(["allOf", "oneOf", "anyOf", "not", "description", "default", "deprecated"]);

/**
 * The schema without NOT_SIBLINGS' keywords (what a rest destructuring of them gives: own enumerable keys in order, a
 * `__proto__` member kept as a member), or undefined when nothing is left: most compositions have no siblings.
 */
function siblingKeywords(schema: Schema): Schema | undefined {
  let rest: Schema | undefined;
  for (const key in schema) {
    if (!Object.hasOwn(schema, key) || NOT_SIBLINGS.has(key)) continue;
    setOwn((rest ??= {}), key, schema[key]);
  }
  return rest;
}

function typedFor(type: string, schema: Schema, ctx: ZodContext): string {
  switch (type) {
    case "string":
      return stringFor(schema, ctx);
    case "integer":
      return numberFor("z.int()", schema);
    case "number":
      return numberFor("z.number()", schema);
    case "boolean":
      return "z.boolean()";
    case "array":
      return arrayFor(schema, ctx);
    case "object":
      return objectFor(schema, ctx);
    default:
      return "z.unknown()";
  }
}

const FORMATS: Record<string, string> = {
  "date-time": "z.iso.datetime({ offset: true, local: true })",
  date: "z.iso.date()",
  uuid: "z.guid()",
  ipv4: "z.ipv4()",
  ipv6: "z.ipv6()",
};

/**
 * `pattern` is listed to the model but not checked here: a spec's regex run on model-written input can backtrack
 * exponentially (one in ReadMe's spec takes minutes at 40 characters), and a Worker must not hang on its input.
 * The API checks its own patterns and its 400 reaches the model as a tool error.
 */
function stringFor(schema: Schema, _ctx: ZodContext): string {
  if (schema["contentEncoding"] === "base64" || schema["format"] === "byte") return "z.base64()";
  const format = typeof schema["format"] === "string" ? FORMATS[schema["format"]] : undefined;
  if (format) return format;
  let code = "z.string()";
  if (typeof schema["minLength"] === "number") code += `.min(${schema["minLength"]})`;
  if (typeof schema["maxLength"] === "number") code += `.max(${schema["maxLength"]})`;
  // The bridge's own pattern for header values (one character class, linear): checked, as the builder enforces it.
  if (schema["pattern"] === HEADER_VALUE_PATTERN) code += `.regex(/${HEADER_VALUE_PATTERN}/, "must be text a header can carry (no control characters, Latin-1 only)")`;
  return code;
}

function numberFor(base: string, schema: Schema): string {
  let code = base;
  if (typeof schema["minimum"] === "number") code += `.min(${schema["minimum"]})`;
  if (typeof schema["maximum"] === "number") code += `.max(${schema["maximum"]})`;
  if (typeof schema["exclusiveMinimum"] === "number") code += `.gt(${schema["exclusiveMinimum"]})`;
  if (typeof schema["exclusiveMaximum"] === "number") code += `.lt(${schema["exclusiveMaximum"]})`;
  if (typeof schema["multipleOf"] === "number" && schema["multipleOf"] > 0) code += `.multipleOf(${schema["multipleOf"]})`;
  return code;
}

function arrayFor(schema: Schema, ctx: ZodContext): string {
  const items = schema["items"] as Schema | undefined;
  let code = `z.array(${items ? zodFor(items, ctx) : "z.unknown()"})`;
  if (typeof schema["minItems"] === "number") code += `.min(${schema["minItems"]})`;
  if (typeof schema["maxItems"] === "number") code += `.max(${schema["maxItems"]})`;
  return code;
}

export function objectFor(schema: Schema, ctx: ZodContext, indent = ""): string {
  const properties = (schema["properties"] ?? {}) as Record<string, Schema>;
  const requiredList = schema["required"] as string[] | undefined;
  // Most objects require nothing: no set for them.
  const required = requiredList !== undefined && requiredList.length > 0 ? new Set(requiredList) : undefined;
  const additional = schema["additionalProperties"];
  const names = Object.keys(properties);
  if (names.length === 0 && additional && typeof additional === "object") {
    // propertyNames: the keys' own schema (its length bounds are checked; patterns, as everywhere, are not).
    const keys = schema["propertyNames"] && typeof schema["propertyNames"] === "object" ? stringFor(schema["propertyNames"] as Schema, ctx) : "z.string()";
    return `z.record(${keys}, ${zodFor(additional as Schema, ctx)})`;
  }
  // The fields listed by index (no closure and no second list of indented lines), then joined: a join makes one flat
  // string, where appending each field would leave a rope of pieces that lives, and is copied by every collection,
  // until tools.ts is printed (staging).
  const fields: string[] = [];
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const value = zodFor(properties[name]!, ctx);
    fields.push(`${printKey(name)}: ${required?.has(name) === true ? value : `${value}.optional()`}`);
  }
  // Required names this schema does not describe (described by a sibling in an `allOf`) must still be present.
  if (required) for (const name of required) if (!Object.hasOwn(properties, name)) fields.push(`${printKey(name)}: z.unknown()`);
  let body: string;
  if (!indent) body = `{ ${fields.join(", ")} }`;
  else body = fields.length === 0 ? "{}" : `{\n${indent}  ${fields.join(`,\n${indent}  `)},\n${indent}}`;
  // The explicit <z.ZodRawShape> stops TypeScript from inferring a precise type for every object: the runtime only
  // needs a validator, and inference made a 1,000-operation tools.ts take three times longer to typecheck.
  const patterns = schema["patternProperties"];
  if (additional === false && patterns && typeof patterns === "object") {
    return `z.looseObject<z.ZodRawShape>(${body})${patternKeysCheck(names, Object.keys(patterns))}`;
  }
  if (additional === false) return `z.strictObject<z.ZodRawShape>(${body})`;
  if (additional && typeof additional === "object") return `z.object<z.ZodRawShape>(${body}).catchall(${zodFor(additional as Schema, ctx)})`;
  return `z.looseObject<z.ZodRawShape>(${body})`;
}

/**
 * `additionalProperties: false` beside `patternProperties`: a key is allowed when it is a property or matches a
 * pattern (JSON Schema 2020-12 §10.3.2.3), so a strict object would refuse keys the listed schema allows. Keys are
 * checked against the patterns (short, model-written names); the values of pattern-matched keys are left to the API.
 */
function patternKeysCheck(names: readonly string[], patterns: readonly string[]): string {
  const known = JSON.stringify(names);
  // An invalid pattern matches no key (the spec's validation reports it).
  const regexes = patterns
    .flatMap((pattern) => {
      const flags = regexFlags(pattern);
      return flags === undefined ? [] : [`new RegExp(${JSON.stringify(pattern)}, ${JSON.stringify(flags)})`];
    })
    .join(", ");
  return (
    `.superRefine((value, ctx) => { const known = new Set<string>(${known}); const patterns = [${regexes}]; ` +
    `const keys = Object.keys(value).filter((key) => !known.has(key) && !patterns.some((p) => p.test(key))); ` +
    `if (keys.length > 0) ctx.addIssue({ code: "unrecognized_keys", keys, input: value }); })`
  );
}

/** ECMA-262 regexes as JSON Schema asks (§6.4), in Unicode mode where the pattern allows it; undefined if invalid. */
function regexFlags(pattern: string): string | undefined {
  for (const flags of ["u", ""]) {
    try {
      new RegExp(pattern, flags);
      return flags;
    } catch {
      // try without Unicode mode, then give up
    }
  }
  return undefined;
}
