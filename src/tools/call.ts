/**
 * One tool call, transport-agnostic: validate the arguments, re-check policy, build the request, get upstream
 * credentials from the identity, call the API, turn the answer into a tool result. Failures are tool results with
 * `isError: true` that say what went wrong, and log events with their code; no credential ever appears in a result or
 * a log line. Anything else thrown is a bug: its message was not written for the model, so the result says only
 * that the bridge failed, and the log gets the reason and stack (ERR_INTERNAL).
 */
import { AuthError, credentialsFailureText } from "../auth/errors.ts";
import type { Identity, UpstreamCredentials } from "../auth/types.ts";
import type { Clock } from "../clock.ts";
import { failureFields, type Log } from "../log.ts";
import { missingScopes } from "../policy/policy.ts";
import { callUpstream } from "../upstream/client.ts";
import { UpstreamError } from "../upstream/errors.ts";
import { SchemeSecretMissing, withSchemeCredentials } from "./scheme-credentials.ts";
import { validateArguments } from "./arguments.ts";
import { buildRequest, RequestBuildError } from "./request.ts";
import { toToolResult, upstreamErrorResult, type CallToolResult } from "./result.ts";
import type { ToolDefinition } from "./types.ts";

export interface CallContext {
  identity: Identity;
  /** The scopes the identity holds (token scopes plus claim-rule grants). */
  held: ReadonlySet<string>;
  credentials: UpstreamCredentials;
  baseUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
  maxResponseBytes: number;
  /** The upstream call's time limit and waits, and the logged duration. */
  clock: Clock;
  /** Structured, credential-free log lines. */
  log: Log;
  /** The Worker's env: the secrets a tool's scheme credentials name (bridge.yaml `upstream.schemes`). */
  env?: Readonly<Record<string, unknown>>;
}

export async function callTool(tool: ToolDefinition, rawArgs: unknown, ctx: CallContext): Promise<CallToolResult> {
  const started = ctx.clock.now();
  let result: CallToolResult;
  try {
    result = await run(tool, rawArgs, ctx);
  } catch (error) {
    ctx.log({ event: "tool_failed", tool: tool.name, subject: ctx.identity.subject, ...failureFields(error) });
    result = errorResult(`The bridge failed on this call of ${tool.name} (an internal error: its operator can see why in its log).`);
  }
  ctx.log({ event: "tool_call", tool: tool.name, subject: ctx.identity.subject, error: result.isError === true, ms: ctx.clock.now() - started });
  return result;
}

async function run(tool: ToolDefinition, rawArgs: unknown, ctx: CallContext): Promise<CallToolResult> {
  const checked = validateArguments(tool, rawArgs);
  if (!checked.ok) return errorResult(`Invalid arguments for ${tool.name}:\n${checked.problems.map((p) => `- ${p}`).join("\n")}`);

  // A call beyond the caller's scopes gets here when signing in again cannot help (src/mcp/step-up.ts: no OAuth server,
  // or the identity provider already refused them); the others got the 403 step-up challenge before the tool ran.
  const missing = missingScopes(tool.scopes, ctx.held);
  if (missing.length > 0) return errorResult(missingPermissionText(tool.name, missing));

  let plan;
  try {
    plan = buildRequest(tool.http, checked.args, ctx.baseUrl);
  } catch (error) {
    if (error instanceof RequestBuildError) return errorResult(`Invalid arguments for ${tool.name}:\n- ${error.message}`);
    throw error;
  }
  try {
    plan = withSchemeCredentials(plan, tool.credentials, ctx.env ?? {});
  } catch (error) {
    if (!(error instanceof SchemeSecretMissing)) throw error;
    ctx.log({ event: "credentials_failed", tool: tool.name, subject: ctx.identity.subject, ...failureFields(error) });
    return errorResult(`${tool.name} cannot reach the API: the bridge's operator has not set its API credential.`);
  }

  let headers: Record<string, string>;
  try {
    headers = await ctx.credentials.headersFor(tool, tool.scopes.filter((scope) => ctx.held.has(scope)));
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    // The reason (identity-provider detail) goes to the log; the model gets the actionable part only.
    ctx.log({ event: "credentials_failed", tool: tool.name, subject: ctx.identity.subject, ...failureFields(error) });
    return errorResult(credentialsFailureText(error, tool.name));
  }

  try {
    const response = await callUpstream(plan, headers, {
      fetch: ctx.fetch,
      timeoutMs: ctx.timeoutMs,
      maxResponseBytes: ctx.maxResponseBytes,
      clock: ctx.clock,
      log: ctx.log,
    });
    return withPromisedStructure(tool, toToolResult(tool, response));
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    ctx.log({ event: "upstream_failed", tool: tool.name, subject: ctx.identity.subject, ...failureFields(error) });
    return upstreamErrorResult(tool, error);
  }
}

/**
 * A tool that advertises an outputSchema must return structuredContent on success (MCP 2025-11-25, Tools: Output
 * Schema); clients reject the result otherwise. When the API's answer cannot be given that way (truncated, not
 * JSON, empty), the result says so as an error, keeping the text, instead of being rejected without it.
 */
function withPromisedStructure(tool: ToolDefinition, result: CallToolResult): CallToolResult {
  if (tool.outputSchema === undefined || result.isError || result.structuredContent !== undefined) return result;
  const note: CallToolResult["content"][number] = { type: "text", text: "The API's answer could not be returned as structured data:" };
  return { content: [note, ...result.content], isError: true };
}

/** What the model and the user read when the account lacks a tool's permission: which one, and that it is final. */
export function missingPermissionText(tool: string, missing: readonly string[]): string {
  const permission = missing.length === 1 ? `the permission ${missing[0]}` : `the permissions ${missing.join(", ")}`;
  return `${tool} needs ${permission}, which the signed-in account does not have. Signing in again will not change that until an administrator of the identity provider or of this bridge grants it to the account.`;
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: "text", text }], isError: true };
}
