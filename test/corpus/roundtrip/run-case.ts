/**
 * One round trip: arguments sampled from the tool's listed input schema (checked with ajv against that schema), then
 * the call as the runtime makes it (src/tools/call.ts: the tool's validator, then `buildRequest` with the tool's base
 * URL: its own server's, else the API's), the plan made into a fetch Request as the upstream client does, and the
 * Request checked by the spec.
 */
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { validateArguments } from "../../../src/tools/arguments.ts";
import { buildRequest, RequestBuildError, type HttpRequestPlan } from "../../../src/tools/request.ts";
import { toolBaseUrl } from "../../../src/tools/servers.ts";
import type { ToolDefinition } from "../../../src/tools/types.ts";
import type { RawOperation } from "../raw-spec.ts";
import { avoidFor } from "./avoid.ts";
import { checkRequest } from "./check.ts";
import type { Problem } from "./decode-request.ts";
import { sampleInput, Unsampleable, type ArgumentSet } from "./sample-input.ts";
import { allowedBases } from "./servers.ts";
import type { SpecSchemas } from "./spec-schemas.ts";
import { planToRequest } from "./wire.ts";

export type CaseResult =
  | { kind: "exact"; args: Record<string, unknown>; plan: HttpRequestPlan }
  | { kind: "miss"; args: Record<string, unknown>; problems: Problem[] }
  /** No arguments valid for the listed schema could be made: the checker's limit, not the bridge's. */
  | { kind: "unsampled"; reason: string };

// Patterns as JavaScript reads them without the `u` flag, as the tool's zod validator does.
const listedAjv = new Ajv2020({ strict: false, allErrors: false, logger: false, unicodeRegExp: false });
addFormats(listedAjv);
const listedValidators = new WeakMap<ToolDefinition, ValidateFunction | Problem>();

/** The listed schema's validator, or the problem that it does not compile (a client validating with it would fail). */
function listedValidator(tool: ToolDefinition): ValidateFunction | Problem {
  let validate = listedValidators.get(tool);
  if (!validate) {
    try {
      validate = listedAjv.compile(tool.inputSchema);
    } catch (error) {
      validate = { code: "listed", detail: `the listed input schema is not valid JSON Schema: ${error instanceof Error ? error.message : String(error)}` };
    }
    listedValidators.set(tool, validate);
  }
  return validate;
}

/** Arguments for `set` that the listed schema accepts, trying other union members and enum values if needed. */
export function sampleArguments(schemas: SpecSchemas, op: RawOperation, tool: ToolDefinition, set: ArgumentSet): Record<string, unknown> | string | Problem {
  const avoid = avoidFor(schemas.spec, op, tool);
  const validate = listedValidator(tool);
  if (typeof validate !== "function") return validate;
  const from = tool.http.body?.from;
  const emptyAllowed = (key: string): boolean => from !== undefined && "key" in from && from.key === key;
  let reason = "";
  for (let variant = 0; variant < 4; variant++) {
    try {
      const args = sampleInput(tool.inputSchema, { set, avoid, variant, emptyAllowed });
      if (validate(args)) return args;
      reason = `the sample fails the listed schema: ${listedAjv.errorsText(validate.errors)}`;
    } catch (error) {
      if (!(error instanceof Unsampleable)) throw error;
      reason = error.message;
    }
  }
  return reason;
}

export async function runCase(schemas: SpecSchemas, op: RawOperation, tool: ToolDefinition, set: ArgumentSet, baseUrl: string): Promise<CaseResult> {
  const args = sampleArguments(schemas, op, tool, set);
  if (typeof args === "string") return { kind: "unsampled", reason: args };
  if (isProblem(args)) return { kind: "miss", args: {}, problems: [args] };
  const miss = (problem: Problem): CaseResult => ({ kind: "miss", args, problems: [problem] });

  const checked = validateArguments(tool, structuredClone(args));
  if (!checked.ok) return miss({ code: "refused", detail: `the tool refuses arguments its listed schema allows: ${checked.problems.join("; ")}` });
  let plan;
  try {
    plan = buildRequest(tool.http, checked.args, toolBaseUrl(tool.http, baseUrl, {}));
  } catch (error) {
    if (error instanceof RequestBuildError) return miss({ code: "refused", detail: `the request builder refuses: ${error.message}` });
    throw error;
  }
  let request: Request;
  try {
    request = planToRequest(plan);
  } catch (error) {
    // e.g. "Request with GET/HEAD method cannot have body" (Fetch Standard, Request constructor step 36).
    if (error instanceof TypeError) return miss({ code: "unsendable", detail: `fetch cannot send the request: ${error.message}` });
    throw error;
  }
  if (process.env["ROUNDTRIP_DEBUG"] === tool.operationId) console.log(`${tool.operationId} [${set}]\n${JSON.stringify(args)}\n${await showRequest(request.clone())}`);
  const problems = await checkRequest({ schemas, op, tool, args, request, bases: allowedBases(schemas.spec, op, baseUrl) });
  return problems.length === 0 ? { kind: "exact", args, plan } : { kind: "miss", args, problems };
}

/** `ROUNDTRIP_DEBUG=<operationId>`: the request as sent, for looking at a miss. */
async function showRequest(request: Request): Promise<string> {
  const headers = [...request.headers].map(([name, value]) => `${name}: ${value}`);
  return [`${request.method} ${request.url}`, ...headers, "", await request.text()].join("\n");
}

function isProblem(value: Record<string, unknown> | Problem): value is Problem {
  return typeof value["code"] === "string" && typeof value["detail"] === "string" && Object.keys(value).length === 2;
}
