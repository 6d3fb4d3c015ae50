/**
 * bridge.yaml's array format (DESIGN.md decision 8): how arrays are written where OpenAPI leaves it undefined (inside
 * `deepObject` parameters and styled form-body fields), from `tools.arrayFormat`, an operation's `arrayFormat`, or a
 * parameter's own `parameters.<name>.arrayFormat`. Set on one parameter, it may also switch an array that the spec
 * sends as repeated fields (`form` exploded, or a form-body field without an Encoding Object) to the bracket
 * convention, for servers that parse only `ids[]=1&ids[]=2`.
 */
import type { ArrayFormat, BodyPartBinding } from "../../../src/tools/types.ts";
import type { SchemaRegistry } from "./schema.ts";
import type { BodyModel, ParameterModel, Schema } from "./types.ts";

export interface ArrayFormatSettings {
  /** The operation's format (its override, else bridge.yaml's default). */
  format: ArrayFormat;
  /** Per parameter or body field, by its name in the spec. */
  byName: Readonly<Record<string, { arrayFormat?: ArrayFormat | undefined }>>;
}

export interface ArrayFormatResult {
  parameters: ParameterModel[];
  body?: BodyModel;
  /** Names in `byName` that are neither a parameter nor a body field of the operation. */
  unknown: string[];
  /** Names whose serialisation has no arrays to format, with why. */
  inapplicable: { name: string; reason: string }[];
}

export function applyArrayFormats(
  parameters: readonly ParameterModel[],
  body: BodyModel | undefined,
  settings: ArrayFormatSettings,
  registry: SchemaRegistry,
): ArrayFormatResult {
  const result: ArrayFormatResult = { parameters: [], unknown: [], inapplicable: [] };
  const configured = configuredFormats(settings.byName);
  const seen = new Set<string>();
  result.parameters = parameters.map((p) => {
    const own = configured.get(p.name);
    if (own) seen.add(p.name);
    if (p.in === "query" && p.style === "deepObject" && !p.json) return { ...p, arrayFormat: own ?? settings.format };
    if (!own) return p;
    if (p.in === "query" && p.style === "form" && p.explode && !p.json && isArray(p.schema, registry)) {
      return { ...p, style: "deepObject", arrayFormat: own };
    }
    result.inapplicable.push({ name: p.name, reason: `it is a ${p.in} parameter sent with style ${p.style}${p.explode ? " (exploded)" : ""}` });
    return p;
  });
  if (body) result.body = bodyWithFormats(body, settings.format, configured, seen, result, registry);
  for (const name of configured.keys()) if (!seen.has(name)) result.unknown.push(name);
  return result;
}

/**
 * The names given their own format, in bridge.yaml's order. Most operations give none: they share one empty map,
 * where entries, flatMap's arrays and a map were made for each (Kubernetes: ~1,000 operations).
 */
function configuredFormats(byName: ArrayFormatSettings["byName"]): ReadonlyMap<string, ArrayFormat> {
  let configured: Map<string, ArrayFormat> | undefined;
  const names = Object.keys(byName);
  for (let i = 0; i < names.length; i++) {
    const format = byName[names[i]!]!.arrayFormat;
    if (format) (configured ??= new Map()).set(names[i]!, format);
  }
  return configured ?? NO_FORMATS;
}

const NO_FORMATS: ReadonlyMap<string, ArrayFormat> = new Map();

function bodyWithFormats(
  body: BodyModel,
  format: ArrayFormat,
  configured: ReadonlyMap<string, ArrayFormat>,
  seen: Set<string>,
  result: ArrayFormatResult,
  registry: SchemaRegistry,
): BodyModel {
  const properties = bodyProperties(body, registry);
  const parts = (body.parts ?? []).map((part): BodyPartBinding => (part.kind === "style" ? { ...part, arrayFormat: configured.get(part.name) ?? format } : part));
  for (const [name, own] of configured) {
    if (!Object.hasOwn(properties, name)) continue;
    seen.add(name);
    const part = parts.find((p) => p.name === name);
    if (part?.kind === "style") continue;
    const form = body.encoding === "form" || body.encoding === "multipart";
    if (form && !part && isArray(properties[name]!, registry)) {
      parts.push({ name, kind: "style", style: "deepObject", explode: true, arrayFormat: own });
    } else {
      result.inapplicable.push({ name, reason: form ? `the body field is sent as ${part ? `a ${part.kind} part` : "a plain field"}` : `the body is ${body.contentType}` });
    }
  }
  return parts.length > 0 ? { ...body, parts } : body;
}

function bodyProperties(body: BodyModel, registry: SchemaRegistry): Record<string, Schema> {
  return (target(body.schema, registry)["properties"] ?? {}) as Record<string, Schema>;
}

function target(schema: Schema, registry: SchemaRegistry): Schema {
  const ref = schema["$ref"];
  return typeof ref === "string" ? (registry.defs.input.get(ref.slice("#/$defs/".length)) ?? {}) : schema;
}

function isArray(schema: Schema, registry: SchemaRegistry): boolean {
  const resolved = target(schema, registry);
  const type = resolved["type"];
  return type === "array" || (Array.isArray(type) && type.includes("array"));
}
