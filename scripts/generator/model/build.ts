/**
 * Spec + bridge.yaml → the model. The one place that walks the raw spec's operations; everything after reads the
 * model. Configuration that names something the spec does not have (an operationId, a tag, a path, a scope, a hidden
 * parameter) is an error located in bridge.yaml.
 */
import type { HttpMethod } from "../../../src/tools/types.ts";
import type { BridgeConfig, ToolOverride } from "../config/schema.ts";
import { ConfigError, isError, type Locatable } from "../config/errors.ts";
import type { LoadedConfig } from "../config/load.ts";
import { Findings } from "../config/rules/findings.ts";
import { checkSelection } from "../config/rules/selection.ts";
import { didYouMean } from "../config/suggest.ts";
import { SpecError, type LoadedSpec } from "../spec/load.ts";
import { annotationsFor } from "./annotations.ts";
import { applyArrayFormats, type ArrayFormatResult } from "./array-format.ts";
import { assembleInput } from "./input.ts";
import { assignNames, nameFromBinding, snakeCase } from "./naming.ts";
import { collectParameters, toParameterModels } from "./parameters.ts";
import { bodyFromRequestBody, bodyFromSwagger2, UnsupportedBody } from "./request-body.ts";
import { describesObject, responseInfo } from "./responses.ts";
import { deref, escapeSegment } from "./refs.ts";
import { createSchemaRegistry, type SchemaRegistry } from "./schema.ts";
import { declaredScopes } from "./scopes.ts";
import { mentionedScopes, securityFor, securitySchemes, type SchemeModel, type SchemeSecrets } from "./security.ts";
import { scopesByRules } from "./scope-rules.ts";
import { isSelected, type OperationRef } from "./select.ts";
import { apiServerUrl, checkConfiguredServers, operationServer, type OperationServer, type ReportServerProblem } from "./servers.ts";
import type { BodyModel, ExcludedOperation, Model, Notice, ParameterModel, ScopeModel, SkippedOperation, ToolModel } from "./types.ts";

/** Path item keys that are operations, in the order the OpenAPI specification lists them. */
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

interface Operation extends OperationRef {
  node: Record<string, unknown>;
  pathItem: Record<string, unknown>;
  pointer: string;
  pathPointer: string;
}

export interface BuildOptions {
  /** Called while tools are built, for progress on large specs. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * What building needs of bridge.yaml: `api`, `tools` and `scopes`, and `upstream.schemes` when that section is valid
 * (without it, only OAuth alternatives count as met, and the security rule is not run).
 */
export interface ModelInput extends Locatable {
  config: Pick<BridgeConfig, "api" | "tools" | "scopes"> & { upstream?: { schemes?: SchemeSecrets | undefined } | undefined };
}

/** The model without the config it was built from (the generator adds the whole config once it is all valid). */
export type ModelCore = Omit<Model, "config">;

export interface BuiltModel {
  core: ModelCore;
  /** Every operation of the spec, selected or not. */
  operations: readonly OperationRef[];
  /** The scopes the spec declares, with descriptions. */
  declared: ReadonlyMap<string, string>;
  /** Scopes the spec declares or any of its operations requires, selected or not. */
  specScopes: ReadonlySet<string>;
  /** `tools.include`, `tools.exclude`, `tools.overrides` where an entry names what the spec lacks. */
  misselected: readonly string[];
}

/** The model, throwing a ConfigError when bridge.yaml names what the spec lacks. */
export function buildModel(spec: LoadedSpec, loaded: LoadedConfig, options: BuildOptions = {}): Model {
  const findings = new Findings(loaded);
  const built = buildModelInto(spec, loaded, findings, options);
  const errors = findings.diagnostics.filter(isError);
  if (errors.length > 0) throw new ConfigError(errors);
  return { ...built.core, config: loaded.config };
}

/** The model, with what bridge.yaml gets wrong about the spec reported into `findings` rather than thrown. */
export function buildModelInto(spec: LoadedSpec, input: ModelInput, findings: Findings, options: BuildOptions = {}): BuiltModel {
  const { config } = input;
  const operations = listOperations(spec);
  checkUniqueOperationIds(spec, operations);
  const declared = declaredScopes(spec.document, spec.version);
  const misselected = checkSelection(operations, declared, config, findings);

  const registry = createSchemaRegistry(spec.document, spec.version);
  const schemes = securitySchemes(spec.document, spec.version);
  const security: SecurityContext = { schemes, secrets: config.upstream?.schemes ?? {}, binding: config.api.binding !== undefined };
  const notices: Notice[] = [];
  const skipped: SkippedOperation[] = [];
  const drafts: ToolModel[] = [];
  const selected: Operation[] = [];
  const excluded: ExcludedOperation[] = [];
  for (const op of operations) {
    if (isSelected(op, config.tools.include, config.tools.exclude)) selected.push(op);
    else {
      // The name its tool would have had (without a collision suffix), for "unknown tool" messages.
      const name = overrideOf(config.tools.overrides, op.operationId)?.name ?? (snakeCase(nameBase(op)) || "operation");
      excluded.push({ operation: op.operationId, pointer: op.pointer, name });
    }
  }
  const apiServer = apiServerUrl(spec);
  const configuredServers = config.api.servers ?? {};
  const droppedBodies: Operation[] = [];
  const reportServer: ReportServerProblem = (code, path, message, part) => findings.error(code, path, message, part);
  selected.forEach((op, i) => {
    const override = overrideOf(config.tools.overrides, op.operationId);
    try {
      const server = operationServer(op.pathItem, op.node, apiServer?.url, configuredServers, reportServer);
      const tool = buildTool(op, override, spec, registry, security, notices, config.tools, server, droppedBodies);
      for (const name of tool.unknownHidden) {
        const known = [...tool.model.parameters.map((p) => p.name), ...(tool.model.body?.spread?.map((s) => s.name) ?? [])];
        findings.error(
          "BRIDGE_HIDDEN_PARAMETER_UNKNOWN",
          ["tools", "overrides", op.operationId, "hiddenParameters", name],
          `hidden parameter "${name}" is not a parameter or body property of ${op.operationId}${didYouMean(name, known)}`,
          "key",
        );
      }
      for (const name of tool.arrayFormats.unknown) {
        findings.error(
          "BRIDGE_ARRAY_FORMAT_FIELD_UNKNOWN",
          ["tools", "overrides", op.operationId, "parameters", name],
          `"${name}" is not a parameter or body field of ${op.operationId}${didYouMean(name, fieldNames(tool.arrayFormats, registry))}`,
          "key",
        );
      }
      for (const { name, reason } of tool.arrayFormats.inapplicable) {
        findings.error(
          "BRIDGE_ARRAY_FORMAT_INAPPLICABLE",
          ["tools", "overrides", op.operationId, "parameters", name, "arrayFormat"],
          `arrayFormat does not apply to "${name}" of ${op.operationId}: ${reason}; it applies to deepObject parameters, styled form fields and arrays sent as repeated fields`,
        );
      }
      drafts.push(tool.model);
    } catch (error) {
      if (!(error instanceof UnsupportedBody)) throw error;
      skipped.push({ operation: op.operationId, pointer: op.pointer, reason: error.message });
    }
    if (options.onProgress && ((i + 1) % 100 === 0 || i + 1 === selected.length)) options.onProgress(i + 1, selected.length);
  });
  const usedServers = [...new Set(drafts.flatMap((tool) => (tool.server ? [tool.server.template] : [])))];
  checkConfiguredServers(configuredServers, usedServers, apiServer?.template, reportServer);
  noticeServers(drafts, notices);
  noticeDroppedBodies(droppedBodies, notices);

  nameTools(drafts, config.tools.overrides, findings, notices);
  const tools = drafts.map((tool) => finishOutput(tool, registry));
  notices.push(...registry.notices);
  const core: ModelCore = {
    api: apiInfo(spec, config.api),
    tools,
    schemas: registry.defs,
    scopes: scopeModels(config.scopes, declared, tools, notices),
    securitySchemes: schemes,
    skipped,
    excluded,
    notices,
  };
  return { core, operations, declared, specScopes: specScopesOf(spec, operations, declared, schemes), misselected };
}

/** The scopes the spec declares, then those its operations require (in a loop: a flatMap copied every list). */
function specScopesOf(spec: LoadedSpec, operations: readonly Operation[], declared: ReadonlyMap<string, string>, schemes: ReadonlyMap<string, SchemeModel>): Set<string> {
  const scopes = new Set(declared.keys());
  for (let i = 0; i < operations.length; i++) {
    const mentioned = mentionedScopes(spec.document, operations[i]!.node, schemes);
    for (let j = 0; j < mentioned.length; j++) scopes.add(mentioned[j]!);
  }
  return scopes;
}

/** What a tool's name is made from: the operationId, or method and path when there is none (see listOperations). */
function nameBase(op: { operationId: string; method: string; path: string }): string {
  return op.operationId.includes(" ") ? nameFromBinding(op.method, op.path) : op.operationId;
}

interface SecurityContext {
  schemes: ReadonlyMap<string, SchemeModel>;
  secrets: SchemeSecrets;
  binding: boolean;
}

/**
 * The override for an operationId. Own keys only: a plain lookup finds Object.prototype's members, so an operation
 * with the operationId `constructor` was named `Object` (the `name` of the function found).
 */
function overrideOf(overrides: Readonly<Record<string, ToolOverride>>, operationId: string): ToolOverride | undefined {
  return Object.hasOwn(overrides, operationId) ? overrides[operationId] : undefined;
}

function listOperations(spec: LoadedSpec): Operation[] {
  const operations: Operation[] = [];
  const paths = (spec.document["paths"] ?? {}) as Record<string, Record<string, unknown>>;
  // Keys by for…in and methods by index: Object.entries' pairs and two for…of iterators made objects per path and
  // per method tried (Stripe: 8 methods of each of its ~300 paths).
  for (const path in paths) {
    if (!Object.hasOwn(paths, path)) continue;
    const item = paths[path];
    // A path item may be a `$ref` to another one (OpenAPI 3.x Path Item Object): its operations are this path's
    // too. Without following it, those operations were neither tools nor reported skips (found by the corpus test
    // on oas-examples 3.0/server-path-level.json, `/path-item-ref-server`).
    const pathItem = deref(spec.document, item);
    if (!pathItem || typeof pathItem !== "object") continue;
    const pathPointer = `#/paths/${escapeSegment(path)}`;
    for (let m = 0; m < METHODS.length; m++) {
      const method = METHODS[m]!;
      const node = pathItem[method] as Record<string, unknown> | undefined;
      if (!node || typeof node !== "object") continue;
      operations.push({
        operationId: typeof node["operationId"] === "string" ? node["operationId"] : `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        tags: Array.isArray(node["tags"]) ? node["tags"].filter((t): t is string => typeof t === "string") : [],
        node,
        pathItem,
        pointer: `${pathPointer}/${method}`,
        pathPointer,
      });
    }
  }
  return operations;
}

/**
 * operationIds "MUST be unique among all operations" (OpenAPI 3.1 §4.8.10.1). swagger-parser checks this for Swagger
 * 2.0 only; bridge.yaml names operations by operationId, so a duplicate would make an override ambiguous.
 */
function checkUniqueOperationIds(spec: LoadedSpec, operations: readonly Operation[]): void {
  const first = new Map<string, string>();
  const problems: string[] = [];
  for (const op of operations) {
    const seen = first.get(op.operationId);
    if (seen) problems.push(`${op.pointer}/operationId: "${op.operationId}" is already the operationId of ${seen}`);
    else first.set(op.operationId, op.pointer);
  }
  if (problems.length > 0) throw new SpecError(spec.path, "invalid API description", problems);
}

interface BuiltTool {
  model: ToolModel;
  unknownHidden: string[];
  /** With the parameters and body it formatted, whose names fieldNames lists only when an error needs them. */
  arrayFormats: ArrayFormatResult;
}

function buildTool(
  op: Operation,
  override: ToolOverride | undefined,
  spec: LoadedSpec,
  registry: SchemaRegistry,
  security: SecurityContext,
  notices: Notice[],
  settings: Pick<BridgeConfig["tools"], "visibility" | "scopeRules" | "arrayFormat">,
  server: OperationServer | undefined,
  droppedBodies: Operation[],
): BuiltTool {
  const { document, version } = spec;
  const raws = collectParameters(document, op.pathItem, op.node, op.pathPointer, op.pointer, registry.parameters.targets);
  const declared = withPathTemplateParameters(toParameterModels(raws, registry, notices), op, notices);
  const specBody =
    version === "2.0"
      ? bodyFromSwagger2(raws, consumesOf(spec, op), registry)
      : bodyFromRequestBody(document, op.node["requestBody"], `${op.pointer}/requestBody`, registry);
  const formats = applyArrayFormats(declared, withoutBodyOnGet(specBody, op, droppedBodies), {
    format: override?.arrayFormat ?? settings.arrayFormat,
    byName: override?.parameters ?? {},
  }, registry);
  const { parameters, body } = formats;
  const assembled = assembleInput(parameters, body, override?.hiddenParameters ?? {}, registry);
  const response = responseInfo(document, version, op.node, op.pointer, registry);
  const decision = securityFor(document, op.node, security.schemes, security.secrets, security.binding);
  if (decision.note && !decision.unmet) notices.push({ pointer: op.pointer, message: decision.note });
  const summary = text(op.node["summary"]);
  const title = override?.title ?? summary;
  const method = op.method as HttpMethod;
  const model: ToolModel = {
    name: "",
    operationId: op.operationId,
    pointer: op.pointer,
    description: override?.description?.trim() ?? describe(summary, text(op.node["description"]), op.node["deprecated"] === true),
    tags: [...op.tags],
    deprecated: op.node["deprecated"] === true,
    method,
    path: op.path,
    parameters: assembled.parameters,
    fixed: assembled.fixed,
    input: assembled.input,
    accepts: response.accepts,
    // bridge.yaml's scopes (an override, else the scope rules matching the operation) replace the spec's; the
    // schemes' credentials are still needed.
    scopes: override?.scopes ?? scopesByRules(op, settings.scopeRules) ?? decision.scopes,
    credentials: decision.credentials,
    security: { mentioned: decision.mentioned, ...(decision.unmet && { unmet: decision.unmet }) },
    annotations: annotationsFor(method, override?.annotations),
    visibility: override?.visibility ?? settings.visibility,
  };
  if (title) model.title = title;
  if (server) model.server = server;
  if (assembled.body) model.body = assembled.body;
  if (response.output) model.output = response.output;
  return { model, unknownHidden: assembled.unknownHidden, arrayFormats: formats };
}

/**
 * Parameter and body field names (for suggestions). Listed only for an error: made for every tool, they were two
 * arrays and a copy of each body's property names per operation.
 */
function fieldNames(formatted: ArrayFormatResult, registry: SchemaRegistry): string[] {
  return [...formatted.parameters.map((p) => p.name), ...Object.keys(bodyFieldNames(formatted.body, registry))];
}

/**
 * The upstream credentials go wherever a tool is sent: each server other than the API's is named once, with its
 * tools, so the person generating the bridge sees every host it can reach (TOOLS.md lists them too).
 */
function noticeServers(tools: readonly ToolModel[], notices: Notice[]): void {
  const byUrl = new Map<string, ToolModel[]>();
  for (const tool of tools) if (tool.server) byUrl.set(tool.server.url, [...(byUrl.get(tool.server.url) ?? []), tool]);
  for (const [url, using] of byUrl) {
    const names = using.map((tool) => tool.operationId);
    const listed = names.length > 3 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : names.join(", ");
    const verb = names.length === 1 ? "is sent to its" : "are sent to their";
    notices.push({ pointer: using[0]!.pointer, message: `${listed} ${verb} own server ${url}, with the same upstream credentials` });
  }
}

/**
 * A request body on GET or HEAD has no defined semantics (RFC 9110 §9.3.1, §9.3.2) and fetch cannot send one
 * ("Request with GET/HEAD method cannot have body"): it is left out of the tool, with a notice naming the operation.
 */
function withoutBodyOnGet(body: BodyModel | undefined, op: Operation, dropped: Operation[]): BodyModel | undefined {
  if (!body || (op.method !== "GET" && op.method !== "HEAD")) return body;
  dropped.push(op);
  return undefined;
}

/** One notice for all of them (Stripe's spec gives each of its 200 GETs an empty form body). */
function noticeDroppedBodies(dropped: readonly Operation[], notices: Notice[]): void {
  if (dropped.length === 0) return;
  const names = dropped.map((op) => op.operationId);
  const listed = names.length > 5 ? `${names.slice(0, 5).join(", ")} and ${names.length - 5} more` : names.join(", ");
  notices.push({
    pointer: dropped[0]!.pointer,
    message: `a GET or HEAD request cannot carry a body: the request body the spec gives ${listed} is left out of ${names.length === 1 ? "its tool" : "their tools"}`,
  });
}

function bodyFieldNames(body: BodyModel | undefined, registry: SchemaRegistry): Record<string, unknown> {
  const ref = body?.schema["$ref"];
  const schema = typeof ref === "string" ? registry.defs.input.get(ref.slice("#/$defs/".length)) : body?.schema;
  return (schema?.["properties"] ?? {}) as Record<string, unknown>;
}

/** A `{name}` in the path with no declared parameter still has to be filled: add it as a required string. */
function withPathTemplateParameters(parameters: ParameterModel[], op: Operation, notices: Notice[]): ParameterModel[] {
  // Nearly every path declares its variables: then the list is kept as it is, and no set, match iterator or copy is
  // made for it (they were ~0.8 MB of GitHub's model).
  const missing = undeclaredPathVariables(op.path, parameters);
  if (missing.length === 0) return parameters;
  for (const name of missing) {
    notices.push({ pointer: op.pointer, message: `path variable {${name}} has no parameter: added as a required string` });
  }
  return [
    ...missing.map((name): ParameterModel => ({ key: name, name, in: "path", required: true, schema: { type: "string" }, style: "simple", explode: false })),
    ...parameters,
  ];
}

/** The `{name}`s of a path template, in order, that no path parameter declares. */
export function undeclaredPathVariables(path: string, parameters: readonly ParameterModel[]): string[] {
  const missing: string[] = [];
  if (!path.includes("{")) return missing;
  const variable = /\{([^}]+)\}/g;
  for (let match = variable.exec(path); match !== null; match = variable.exec(path)) {
    if (!declaresPathParameter(parameters, match[1]!)) missing.push(match[1]!);
  }
  return missing;
}

function declaresPathParameter(parameters: readonly ParameterModel[], name: string): boolean {
  for (let i = 0; i < parameters.length; i++) if (parameters[i]!.in === "path" && parameters[i]!.name === name) return true;
  return false;
}

function consumesOf(spec: LoadedSpec, op: Operation): string[] {
  const consumes = op.node["consumes"] ?? spec.document["consumes"];
  return Array.isArray(consumes) ? consumes.filter((c): c is string => typeof c === "string") : [];
}

function text(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

/** Summary, then description (unless it only repeats the summary); the HTTP binding stays out of the model's way. */
export function describe(summary: string, description: string, deprecated: boolean): string {
  const parts = [summary];
  if (description && description !== summary) parts.push(description);
  if (deprecated) parts.push("Deprecated: prefer another tool when one does the same.");
  return parts.filter(Boolean).join("\n\n");
}

function nameTools(tools: ToolModel[], overrides: Readonly<Record<string, ToolOverride>>, findings: Findings, notices: Notice[]): void {
  const decisions = assignNames(
    tools.map((tool) => {
      const override = overrideOf(overrides, tool.operationId)?.name;
      const request = { base: nameBase(tool), identity: `${tool.method} ${tool.path}` };
      return override ? { ...request, override } : request;
    }),
  );
  const owners = new Map<string, string>();
  decisions.forEach((decision, i) => {
    const tool = tools[i]!;
    tool.name = decision.name;
    if (decision.note) notices.push({ pointer: tool.pointer, message: `${tool.operationId}: ${decision.note} → ${decision.name}` });
    const owner = owners.get(decision.name);
    if (owner !== undefined) {
      findings.error("BRIDGE_TOOL_NAME_TAKEN", ["tools", "overrides", tool.operationId, "name"], `tool name "${decision.name}" is also used by ${owner}`);
    }
    owners.set(decision.name, tool.operationId);
  });
}

/** MCP's outputSchema must be an object: non-object responses are described (and returned) as `{ result }`. */
function finishOutput(tool: ToolModel, registry: SchemaRegistry): ToolModel {
  if (!tool.output || describesObject(tool.output.schema, registry.defs.output)) return tool;
  return {
    ...tool,
    output: { ...tool.output, wrap: "result", schema: { type: "object", properties: { result: tool.output.schema }, required: ["result"] } },
  };
}

function apiInfo(spec: LoadedSpec, config: BridgeConfig["api"]): Model["api"] {
  const info = (spec.document["info"] ?? {}) as Record<string, unknown>;
  const api: Model["api"] = {
    title: text(info["title"]) || config.name,
    version: text(info["version"]),
    specVersion: spec.version,
    specPath: config.spec,
  };
  const server = apiServerUrl(spec);
  if (server) {
    api.serverUrl = server.url;
    api.serverTemplate = server.template;
  }
  return api;
}

/** Scopes with descriptions: bridge.yaml's first (its order), then the spec's, then any only a tool names. */
function scopeModels(
  configured: Model["config"]["scopes"],
  declared: ReadonlyMap<string, string>,
  tools: readonly ToolModel[],
  notices: Notice[],
): ScopeModel[] {
  const scopes = new Map<string, ScopeModel>();
  for (const [name, scope] of Object.entries(configured)) {
    const model: ScopeModel = { name, description: scope.description };
    if (scope.grantTo) model.grantTo = scope.grantTo;
    scopes.set(name, model);
  }
  for (const [name, description] of declared) if (!scopes.has(name)) scopes.set(name, { name, description });
  for (const tool of tools) {
    for (const name of tool.scopes) {
      if (scopes.has(name)) continue;
      scopes.set(name, { name, description: "" });
      notices.push({ pointer: tool.pointer, message: `scope "${name}" is not declared in the spec or bridge.yaml` });
    }
  }
  return [...scopes.values()];
}
