/**
 * The operation's request body as the spec gives it: media types with their schemas and Encoding Objects (OpenAPI
 * 3.x Request Body Object), Swagger 2.0 `in: body` under each `consumes` type, and Swagger 2.0 `in: formData`
 * parameters made into one object schema whose Encoding Objects stand for their `collectionFormat`s. Also which
 * listed media type a sent Content-Type matches.
 */
import { rawBody, type Json, type RawOperation, type RawSpec } from "../raw-spec.ts";
import type { MediaType } from "./wire.ts";

export interface BodyMedia {
  /** The spec's media type key, e.g. `application/json`, `*\/*`. */
  key: string;
  media: Json;
}

export interface SpecBody {
  required: boolean;
  media: BodyMedia[];
}

/** Swagger 2.0 `collectionFormat` as the Encoding Object that sends the same (see raw-spec.ts for parameters). */
const COLLECTION_FORMATS: Record<string, Json> = {
  csv: { style: "form", explode: false },
  ssv: { style: "spaceDelimited", explode: false },
  tsv: { style: "tabDelimited", explode: false },
  pipes: { style: "pipeDelimited", explode: false },
  multi: { style: "form", explode: true },
};

/** Schema keywords a Swagger 2.0 formData parameter carries beside `name`, `in`, `required`. */
const SCHEMA_KEYWORDS = [
  "type", "format", "items", "enum", "default", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
  "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "multipleOf", "x-nullable",
];

const swagger2Schemas = new WeakMap<Json, Json>();

/**
 * A Swagger 2.0 non-body parameter's schema: its schema keywords sit on the parameter itself, beside `name`, `in`
 * and a boolean `required` (Swagger 2.0 §Parameter Object). The same object for the same parameter, so that its
 * validator is compiled once.
 */
export function swagger2Schema(parameter: Json): Json {
  let schema = swagger2Schemas.get(parameter);
  if (!schema) {
    schema = Object.fromEntries(SCHEMA_KEYWORDS.filter((k) => parameter[k] !== undefined).map((k) => [k, parameter[k]]));
    if (schema["type"] === "file") Object.assign(schema, { type: "string", format: "binary" });
    swagger2Schemas.set(parameter, schema);
  }
  return schema;
}

const specBodies = new WeakMap<Json, SpecBody | undefined>();

/**
 * The operation's request body as media types, Swagger 2.0 formData made into one object schema with encodings
 * (the same objects for the same operation, so that validators are compiled once).
 */
export function specBody(spec: RawSpec, op: RawOperation): SpecBody | undefined {
  if (!specBodies.has(op.node)) specBodies.set(op.node, readSpecBody(spec, op));
  return specBodies.get(op.node);
}

function readSpecBody(spec: RawSpec, op: RawOperation): SpecBody | undefined {
  const body = rawBody(spec, op);
  if (!body) return undefined;
  if (!body.formData) return { required: body.required, media: Object.entries(body.content).map(([key, media]) => ({ key, media })) };
  const properties: Json = {};
  const encoding: Json = {};
  for (const parameter of body.formData) {
    const name = String(parameter["name"]);
    properties[name] = swagger2Schema(parameter);
    if (parameter["type"] === "array") encoding[name] = COLLECTION_FORMATS[String(parameter["collectionFormat"] ?? "csv")] ?? COLLECTION_FORMATS["csv"]!;
  }
  const required = body.formData.filter((p) => p["required"] === true).map((p) => String(p["name"]));
  const schema = { type: "object", properties, ...(required.length > 0 && { required }) };
  return { required: body.required, media: Object.keys(body.content).map((key) => ({ key, media: { schema, encoding } })) };
}

/** RFC 9110 §8.3.1 media ranges: exact first, then `type/*`, then `*\/*`. */
export function matchMedia(body: SpecBody, sent: MediaType): BodyMedia | undefined {
  const essence = (key: string): string => key.split(";")[0]!.trim().toLowerCase();
  return (
    body.media.find((m) => essence(m.key) === sent.essence) ??
    body.media.find((m) => essence(m.key) === `${sent.essence.split("/")[0]}/*`) ??
    body.media.find((m) => essence(m.key) === "*/*")
  );
}

export function isJsonMedia(essence: string): boolean {
  return essence === "application/json" || essence.endsWith("+json") || essence.endsWith("/json");
}
