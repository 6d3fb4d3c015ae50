/**
 * The generator's one version-independent model. The spec (Swagger 2.0, OpenAPI 3.0 or 3.1) and bridge.yaml are read
 * into it by `model/build.ts`; every emitter reads only this model, never the raw spec.
 *
 * Schemas in the model are normalised JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1 and of MCP):
 * OpenAPI 3.0's `nullable`, boolean `exclusiveMinimum`, Swagger's `type: file` and `x-nullable` are rewritten, and a
 * reference to a named component is `{ $ref: "#/$defs/<Name>" }` into `Model.schemas`.
 */
import type {
  BodyEncoding,
  HttpMethod,
  ParameterLocation,
  ParameterStyle,
  SchemeCredential,
  ToolAnnotations,
} from "../../../src/tools/types.ts";
import type { BridgeConfig } from "../config/schema.ts";
import type { SchemeModel } from "./security.ts";

export type Schema = { [keyword: string]: unknown };

export type SpecVersion = "2.0" | "3.0" | "3.1";

export interface ParameterModel {
  /** Key in the tool input. */
  key: string;
  /** Name on the wire. */
  name: string;
  in: ParameterLocation;
  required: boolean;
  description?: string;
  deprecated?: boolean;
  schema: Schema;
  style: ParameterStyle;
  explode: boolean;
  allowReserved?: boolean;
  /** Serialised as a JSON document (OpenAPI `content: application/json`). */
  json?: boolean;
}

export interface BodyPartModel {
  name: string;
  kind: "file" | "json";
  contentType?: string;
}

export interface BodyModel {
  contentType: string;
  encoding: BodyEncoding;
  required: boolean;
  description?: string;
  /** The body's schema (readOnly properties already removed). */
  schema: Schema;
  /**
   * When the body is a plain object whose properties do not collide with parameters, they are flattened into the
   * tool input: key → body property name. Otherwise the whole body is the input property `bodyKey`.
   */
  spread?: { key: string; name: string }[];
  bodyKey?: string;
  parts?: BodyPartModel[];
}

export interface FixedValueModel {
  in: ParameterLocation | "body";
  name: string;
  value: unknown;
  style: ParameterStyle;
  explode: boolean;
}

export interface OutputModel {
  contentType: string;
  status: string;
  schema: Schema;
  /** Set when the response is not a JSON object: structuredContent is `{ [wrap]: response }`. */
  wrap?: "result";
}

export interface ToolModel {
  name: string;
  operationId: string;
  /** JSON pointer of the operation in the spec, e.g. `#/paths/~1api~1todos/get`. */
  pointer: string;
  title?: string;
  description: string;
  tags: string[];
  deprecated: boolean;
  method: HttpMethod;
  path: string;
  parameters: ParameterModel[];
  body?: BodyModel;
  fixed: FixedValueModel[];
  /** The tool's input schema (an object of the parameters and the body), before listing compaction. */
  input: Schema;
  output?: OutputModel;
  /** Media types of the success responses, best first. */
  accepts: string[];
  scopes: string[];
  /** Secrets the bridge adds to each call for the spec's non-OAuth schemes (bridge.yaml `upstream.schemes`). */
  credentials: SchemeCredential[];
  /** What the operation's security says, beyond the chosen scopes: for the bridge.yaml rules. */
  security: {
    /** Every OAuth scope any of its alternatives names. */
    mentioned: string[];
    /** Set when the bridge can meet none of its alternatives: each, with what it lacks. */
    unmet?: string[];
  };
  annotations: ToolAnnotations;
  visibility: "hide" | "list";
}

export interface SkippedOperation {
  operation: string;
  pointer: string;
  reason: string;
}

/** An operation `tools.include` / `tools.exclude` left out, with the name its tool would have had. */
export interface ExcludedOperation {
  operation: string;
  pointer: string;
  name: string;
}

/** Something the user should know about but that did not stop generation (a rename, a dropped keyword, …). */
export interface Notice {
  pointer: string;
  message: string;
}

export interface ScopeModel {
  name: string;
  description: string;
  grantTo?: { users?: string[]; emailDomains?: string[]; groups?: string[] };
}

export interface ApiInfo {
  title: string;
  version: string;
  specVersion: SpecVersion;
  /** The spec path as written in bridge.yaml (relative to it). */
  specPath: string;
  /** The first server URL of the spec, resolved against nothing (may be relative or absent). */
  serverUrl?: string;
}

export interface Model {
  api: ApiInfo;
  config: BridgeConfig;
  tools: ToolModel[];
  /** Named schemas reachable from the tools' inputs and outputs, by name, in each direction (see model/schema.ts). */
  schemas: { input: Map<string, Schema>; output: Map<string, Schema> };
  scopes: ScopeModel[];
  /** The spec's security schemes by name. */
  securitySchemes: Map<string, SchemeModel>;
  /** Selected operations the bridge cannot call (no tool). */
  skipped: SkippedOperation[];
  /** Operations bridge.yaml's tools.include / tools.exclude left out, in spec order. */
  excluded: ExcludedOperation[];
  notices: Notice[];
}
