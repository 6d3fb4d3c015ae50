/**
 * The spec's own parameter and body schemas as ajv validators. The spec is read raw (test/corpus/raw-spec.ts) and
 * copied once with the few rewrites JSON Schema validators need for OpenAPI's dialects:
 *
 * - 3.0 `nullable: true` (and Swagger 2.0's `x-nullable`) → `null` added to `type` (OpenAPI 3.0.3 §4.7.24.1);
 * - 2.0/3.0 boolean `exclusiveMinimum`/`exclusiveMaximum` → the draft-06+ number form (JSON Schema Validation §6.2);
 * - 2.0 `type: file` → a binary string;
 * - a property that is `readOnly` is not required in a request (OpenAPI 3.0.3 §4.7.24.1: "SHALL NOT be sent as part
 *   of the request" / "required applies only to the response"), so it is dropped from `required`.
 *
 * The copy is added to ajv as one document, and each schema in it is validated through its JSON pointer, so `$ref`s
 * resolve as written. 3.1 specs use the 2020-12 dialect, older ones draft-07 (close enough to 3.0's and 2.0's subset).
 * Two validators per schema: a strict one for JSON, and one that coerces text (query, headers, form fields) to the
 * schema's types first, as a server reading text must.
 */
import Ajv, { type Options, type ValidateFunction } from "ajv";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { escapePointer, isObject, type Json, type RawSpec } from "../raw-spec.ts";

export class SpecSchemas {
  /** The rewritten copy: read everything (operations, parameters, bodies) from here. */
  readonly spec: RawSpec;
  private readonly pointers = new WeakMap<object, string>();
  private readonly strict: Ajv;
  private readonly coercing: Ajv;
  private readonly cache = new Map<string, ValidateFunction | string>();
  private standalone = 0;

  constructor(raw: RawSpec) {
    const doc = this.rewrite(raw.doc, "", raw.version) as Json;
    this.spec = { doc, version: raw.version };
    const make = (coerce: boolean): Ajv => {
      const options: Options = { strict: false, allErrors: false, logger: false, validateSchema: false, unicodeRegExp: false, coerceTypes: coerce ? "array" : false };
      const ajv = raw.version === "3.1" ? new Ajv2020(options) : new Ajv(options);
      addFormats(ajv);
      ajv.addSchema(coerce ? (oneOfAsAnyOf(doc, "") as Json) : doc, "spec");
      return ajv;
    };
    this.strict = make(false);
    this.coercing = make(true);
  }

  /**
   * Problems of `value` against `schema` (an object inside `spec.doc`, or a schema made up for 2.0 parameters, which
   * hold no `$ref`); [] when valid. `coerce` changes `value` in place to the schema's types.
   */
  problems(schema: Json, value: unknown, coerce: boolean): string[] {
    const validate = this.validator(schema, coerce);
    if (typeof validate === "string") return []; // a schema ajv cannot compile (reported once by `uncompilable`)
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message ?? "is invalid"}${paramsText(error.params)}`);
  }

  /** Schemas ajv could not compile (an invalid pattern, a broken `$ref`), with the reason: their values go unchecked. */
  uncompilable(): string[] {
    return [...this.cache.entries()].filter(([, v]) => typeof v === "string").map(([key, reason]) => `${key}: ${reason as string}`);
  }

  private validator(schema: Json, coerce: boolean): ValidateFunction | string {
    let pointer = this.pointers.get(schema);
    if (pointer === undefined) {
      pointer = `#/standalone/${this.standalone++}`;
      this.pointers.set(schema, pointer);
    }
    const key = `${coerce ? "coerce" : "strict"}${pointer}`;
    let found = this.cache.get(key);
    if (found === undefined) {
      const ajv = coerce ? this.coercing : this.strict;
      try {
        found = pointer.startsWith("#/standalone/")
          ? ajv.compile(schema)
          : ajv.compile({ $ref: `spec#${pointer.slice(1).split("/").map((s) => encodeURIComponent(s)).join("/")}` });
      } catch (error) {
        found = error instanceof Error ? error.message : String(error);
      }
      this.cache.set(key, found);
    }
    return found;
  }

  /**
   * Deep copy with the rewrites above, remembering each object's JSON pointer. Examples and extensions are left out
   * (ajv looks for `$id`s in every object of a document, and example data may hold one: Box's does), and so are
   * `$id`s before 3.1, whose schemas have none.
   */
  private rewrite(node: unknown, pointer: string, version: RawSpec["version"], parentKey = ""): unknown {
    if (Array.isArray(node)) return node.map((item, i) => this.rewrite(item, `${pointer}/${i}`, version));
    if (!isObject(node)) return node;
    const map = MAPS.has(parentKey);
    const out: Json = {};
    for (const [key, value] of Object.entries(node)) {
      if (!map && (ANNOTATIONS.has(key) || (key.startsWith("x-") && key !== "x-nullable") || (key === "$id" && version !== "3.1"))) continue;
      out[key] = this.rewrite(value, `${pointer}/${escapePointer(key)}`, version, map ? "" : key);
    }
    rewriteSchemaKeywords(out);
    this.pointers.set(out, `#${pointer}`);
    return out;
  }
}

/**
 * Text has no types: "3" satisfies both members of `oneOf: [integer, string]` once coerced, so "exactly one" cannot
 * be judged on a query or a form field. The coercing validator reads `oneOf` as `anyOf` (same pointers).
 */
function oneOfAsAnyOf(node: unknown, parentKey: string): unknown {
  if (Array.isArray(node)) return node.map((item) => oneOfAsAnyOf(item, ""));
  if (!isObject(node)) return node;
  const map = MAPS.has(parentKey);
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [!map && key === "oneOf" ? "anyOf" : key, oneOfAsAnyOf(value, map ? "" : key)]));
}

/** Keys whose value is a map from names (which may be anything, even `example`) to objects. */
const MAPS = new Set([
  "properties", "patternProperties", "definitions", "$defs", "dependentSchemas", "paths", "webhooks", "schemas", "responses", "parameters", "requestBodies", "headers", "securitySchemes", "links", "callbacks",
  "pathItems", "content", "encoding", "variables", "mapping",
]);
const ANNOTATIONS = new Set(["example", "examples"]);

function rewriteSchemaKeywords(schema: Json): void {
  if (schema["nullable"] === true || schema["x-nullable"] === true) addNull(schema);
  for (const [bound, exclusive] of [["minimum", "exclusiveMinimum"], ["maximum", "exclusiveMaximum"]] as const) {
    if (typeof schema[exclusive] !== "boolean") continue;
    if (schema[exclusive] === true && typeof schema[bound] === "number") {
      schema[exclusive] = schema[bound];
      delete schema[bound];
    } else delete schema[exclusive];
  }
  if (schema["type"] === "file") {
    schema["type"] = "string";
    schema["format"] ??= "binary";
  }
  if (Array.isArray(schema["required"]) && isObject(schema["properties"])) {
    const properties = schema["properties"];
    schema["required"] = schema["required"].filter((name) => !(isObject(properties[name]) && properties[name]["readOnly"] === true));
  }
}

/** `nullable` beside `type`, `enum` or a lone `$ref` (common in 3.0 specs although the `$ref` wins there). */
function addNull(schema: Json): void {
  delete schema["nullable"];
  delete schema["x-nullable"];
  if (typeof schema["$ref"] === "string") {
    const { $ref, ...rest } = schema;
    for (const key of Object.keys(schema)) delete schema[key];
    Object.assign(schema, rest, { anyOf: [{ $ref }, { type: "null" }] });
    return;
  }
  if (typeof schema["type"] === "string") schema["type"] = [schema["type"], "null"];
  else if (Array.isArray(schema["type"]) && !schema["type"].includes("null")) schema["type"] = [...schema["type"], "null"];
  if (Array.isArray(schema["enum"]) && !schema["enum"].includes(null)) schema["enum"] = [...schema["enum"], null];
}

function paramsText(params: Record<string, unknown>): string {
  const shown = Object.entries(params).filter(([, v]) => typeof v === "string" || typeof v === "number" || Array.isArray(v));
  return shown.length === 0 ? "" : ` (${shown.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(", ")})`;
}
