/**
 * The success response: its JSON schema becomes the tool's output schema, and its media types the Accept header.
 *
 * MCP requires `outputSchema` to describe an object (structuredContent is a JSON object), so a response that is an
 * array or a scalar is described as `{ result: <schema> }` and the runtime wraps it the same way.
 *
 * @see https://spec.openapis.org/oas/v3.1.0#responses-object
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/tools#output-schema
 */
import type { SpecDocument } from "../spec/load.ts";
import { deref } from "./refs.ts";
import { normalizeSchema, type SchemaRegistry } from "./schema.ts";
import type { OutputModel, Schema, SpecVersion } from "./types.ts";

interface SuccessResponse {
  status: string;
  node: Record<string, unknown>;
  pointer: string;
}

const SUCCESS_STATUS = /^2(\d\d|XX)$/i;

/** The first 2xx response in status order (200 before 201 …, then `2XX`). */
function successResponse(document: SpecDocument, operation: Record<string, unknown>, pointer: string): SuccessResponse | undefined {
  const responses = (operation["responses"] ?? {}) as Record<string, unknown>;
  // Loops and one regular expression, not .filter with an arrow (a new RegExp per status), .sort and for...of: this
  // runs for every operation, in code V8 has not optimised (generator/jit.mjs).
  const keys = Object.keys(responses);
  const statuses: string[] = [];
  for (let i = 0; i < keys.length; i++) if (SUCCESS_STATUS.test(keys[i]!)) statuses.push(keys[i]!);
  if (statuses.length > 1) statuses.sort();
  for (let i = 0; i < statuses.length; i++) {
    const status = statuses[i]!;
    const node = deref(document, responses[status]);
    if (node) return { status, node, pointer: `${pointer}/responses/${status}` };
  }
  return undefined;
}

function isJson(mediaType: string): boolean {
  // The usual type, known without splitting and lower-casing a copy (three calls per media type of every operation).
  if (mediaType === "application/json") return true;
  const bare = mediaType.split(";")[0]!.trim().toLowerCase();
  return bare === "application/json" || /^application\/[\w.+-]*\+json$/.test(bare) || bare === "*/*";
}

export interface ResponseInfo {
  output?: OutputModel;
  accepts: string[];
}

export function responseInfo(
  document: SpecDocument,
  version: SpecVersion,
  operation: Record<string, unknown>,
  pointer: string,
  registry: SchemaRegistry,
): ResponseInfo {
  const success = successResponse(document, operation, pointer);
  if (!success) return { accepts: [] };
  const media = version === "2.0" ? swagger2Media(document, operation, success.node) : ((success.node["content"] ?? {}) as Record<string, Record<string, unknown>>);
  const types = Object.keys(media);
  // The JSON types first, then the others, each in the spec's order (`*/*` is no Accept value); the JSON type the
  // first of them. Two loops, not three filters, two spreads and a find.
  const accepts: string[] = [];
  let jsonType: string | undefined;
  for (let i = 0; i < types.length; i++) {
    const type = types[i]!;
    if (!isJson(type)) continue;
    jsonType ??= type;
    if (type !== "*/*") accepts.push(type);
  }
  for (let i = 0; i < types.length; i++) if (types[i] !== "*/*" && !isJson(types[i]!)) accepts.push(types[i]!);
  const rawSchema = jsonType ? media[jsonType]?.["schema"] : undefined;
  if (!jsonType || rawSchema === undefined) return { accepts };
  const schema = normalizeSchema(rawSchema, registry, "output", `${success.pointer}/schema`);
  return { accepts, output: { contentType: jsonType, status: success.status, schema } };
}

/** Swagger 2.0 keeps one response `schema` and lists media types in `produces`. */
function swagger2Media(
  document: SpecDocument,
  operation: Record<string, unknown>,
  response: Record<string, unknown>,
): Record<string, Record<string, unknown>> {
  const produces = (operation["produces"] ?? document["produces"] ?? ["application/json"]) as string[];
  return Object.fromEntries(produces.map((type) => [type, response["schema"] === undefined ? {} : { schema: response["schema"] }]));
}

/** True when the schema certainly describes a JSON object (following a top-level `$ref`). */
export function describesObject(schema: Schema, defs: ReadonlyMap<string, Schema>): boolean {
  let current: Schema | undefined = schema;
  for (let hops = 0; hops < 8 && current; hops++) {
    const ref = current["$ref"];
    if (typeof ref !== "string") break;
    current = defs.get(ref.slice("#/$defs/".length));
  }
  if (!current) return false;
  if (current["type"] === "object") return true;
  if (current["type"] !== undefined) return false;
  const allOf = current["allOf"];
  // allOf of objects (the usual way to extend a component) is an object too.
  if (Array.isArray(allOf) && allOf.length > 0) return (allOf as Schema[]).every((member) => describesObject(member, defs));
  return current["properties"] !== undefined && !current["oneOf"] && !current["anyOf"];
}
