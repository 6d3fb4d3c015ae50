/**
 * The contract between the generator's output (`generated/tools.ts`) and everything that uses a tool: the runtime,
 * the request builder, the dry-run CLI and the tests. Plain data only, so a tool definition can be printed, diffed
 * and read by people.
 */
import type { ZodType } from "zod";

/** A JSON Schema object as sent in tools/list (draft 2020-12, the dialect MCP uses). */
export type JsonSchema = { readonly [keyword: string]: unknown };

export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE";

export type ParameterLocation = "path" | "query" | "header" | "cookie";

/**
 * OpenAPI 3 serialisation styles (https://spec.openapis.org/oas/v3.1.0#style-values), plus `tabDelimited` for
 * Swagger 2.0's `collectionFormat: tsv`.
 */
export type ParameterStyle =
  | "simple"
  | "label"
  | "matrix"
  | "form"
  | "spaceDelimited"
  | "pipeDelimited"
  | "tabDelimited"
  | "deepObject";

/** How one tool argument reaches the HTTP request. */
export interface ParameterBinding {
  /** The argument's key in the tool input (may differ from `name` when names collide or need cleaning). */
  readonly key: string;
  /** The name on the wire (path template variable, query key, header or cookie name). */
  readonly name: string;
  readonly in: ParameterLocation;
  readonly style: ParameterStyle;
  readonly explode: boolean;
  /** Query only: send reserved characters unescaped (OpenAPI `allowReserved`). */
  readonly allowReserved?: boolean;
  /** The parameter is a JSON document serialised into one string (OpenAPI `content: {application/json}`). */
  readonly json?: boolean;
}

export type BodyEncoding = "json" | "form" | "multipart" | "binary" | "text";

/** One multipart part or form field whose value is a file or JSON rather than a plain string. */
export interface BodyPartBinding {
  /** Property name in the body (and the part name on the wire). */
  readonly name: string;
  /** `file`: the argument is base64 and is sent as binary; `json`: sent as an application/json part. */
  readonly kind: "file" | "json";
  readonly contentType?: string;
}

export interface BodyBinding {
  /** The media type sent in Content-Type (multipart's boundary is added when the body is built). */
  readonly contentType: string;
  readonly encoding: BodyEncoding;
  readonly required: boolean;
  /**
   * Where the body comes from in the tool input: `spread` takes the listed keys (the body object's properties,
   * flattened into the tool input for a model's convenience); otherwise the whole body is the argument `key`.
   */
  readonly from: { readonly spread: readonly BodySpreadKey[] } | { readonly key: string };
  /** Non-string multipart/form fields. */
  readonly parts?: readonly BodyPartBinding[];
}

/** A body property flattened into the tool input: `key` in the input, `name` in the body. */
export interface BodySpreadKey {
  readonly key: string;
  readonly name: string;
}

/**
 * A value the bridge always sends (bridge.yaml `hiddenParameters`): a parameter serialised with its spec style, or
 * (`in: "body"`) a property of the request body. It wins over any tool argument for the same place.
 */
export interface FixedValue {
  readonly in: ParameterLocation | "body";
  readonly name: string;
  readonly style: ParameterStyle;
  readonly explode: boolean;
  readonly value: unknown;
}

export interface HttpBinding {
  readonly method: HttpMethod;
  /** The path template as in the spec, e.g. `/api/todos/{id}`, relative to the API's base URL. */
  readonly path: string;
  readonly parameters: readonly ParameterBinding[];
  readonly body?: BodyBinding;
  /** Values the bridge always sends, configured as hidden parameters in bridge.yaml (not in the tool's input). */
  readonly fixed?: readonly FixedValue[];
  /** Media types the operation answers with on success, best first (for Accept). */
  readonly accepts?: readonly string[];
}

/** MCP tool annotations (hints to clients, not guarantees): https://modelcontextprotocol.io/specification/2025-11-25/server/tools */
export interface ToolAnnotations {
  readonly title?: string;
  readonly readOnlyHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly idempotentHint?: boolean;
  readonly openWorldHint?: boolean;
}

/**
 * A credential the bridge itself adds to each call of a tool, for a security scheme of the spec that is not OAuth
 * (bridge.yaml `upstream.schemes`). Only the names of the Worker secrets holding it: never a value.
 */
export type SchemeCredential =
  /** OpenAPI `apiKey`: the secret is sent as the header, query parameter or cookie `name`. */
  | { readonly scheme: string; readonly type: "apiKey"; readonly in: "header" | "query" | "cookie"; readonly name: string; readonly valueEnv: string }
  /** OpenAPI `http` `basic` (RFC 7617). */
  | { readonly scheme: string; readonly type: "basic"; readonly usernameEnv: string; readonly passwordEnv: string };

/** One generated tool. */
export interface ToolDefinition {
  /** The MCP tool name: snake_case, at most 64 characters, unique in the bridge. */
  readonly name: string;
  /** The spec's operationId (or `METHOD /path` when the spec has none): what bridge.yaml refers to. */
  readonly operationId: string;
  readonly title?: string;
  readonly description: string;
  /** Scopes the caller must hold (all of them) to see and call the tool. Empty: any signed-in caller. */
  readonly scopes: readonly string[];
  readonly annotations: ToolAnnotations;
  /** What tools/list shows as `inputSchema`. */
  readonly inputSchema: JsonSchema;
  /** What tools/list shows as `outputSchema` (the 2xx JSON response), when there is one. */
  readonly outputSchema?: JsonSchema;
  /**
   * Set when the success response is not a JSON object (an array, a scalar): MCP's structuredContent must be an
   * object, so the response is returned as `{ [resultKey]: response }`, as `outputSchema` describes.
   */
  readonly resultKey?: "result";
  /** Secrets the bridge adds to every call (the spec's apiKey / basic schemes); none when absent. */
  readonly credentials?: readonly SchemeCredential[];
  /** The argument validator, built on first use (the same constraints as `inputSchema`). */
  readonly input: () => ZodType;
  readonly http: HttpBinding;
}
