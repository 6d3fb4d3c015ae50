/**
 * One tool call, transport-agnostic: validate the arguments, re-check policy, build the request, get upstream
 * credentials from the identity, call the API, turn the answer into a tool result. Failures are tool results with
 * `isError: true` that say what went wrong; no credential ever appears in a result or a log line.
 */
import type { Identity, UpstreamCredentials } from "../auth/types.ts";
import { missingScopes } from "../policy/policy.ts";
import { callUpstream, UpstreamError } from "../upstream/client.ts";
import { validateArguments } from "./arguments.ts";
import { buildRequest, RequestBuildError } from "./request.ts";
import { toolBaseUrl } from "./servers.ts";
import { toToolResult, upstreamErrorResult, type CallToolResult } from "./result.ts";
import type { ToolDefinition } from "./types.ts";

export interface CallContext {
  identity: Identity;
  /** The scopes the identity holds (token scopes plus claim-rule grants). */
  held: ReadonlySet<string>;
  credentials: UpstreamCredentials;
  /** The API's base URL (bridge.yaml `api.baseUrl`, or `api.baseUrlEnv` at run time). */
  baseUrl: string;
  /** The Worker's environment, where a tool's own server may be overridden (`api.servers.<url>.urlEnv`). */
  env?: Readonly<Record<string, unknown>>;
  fetch: typeof fetch;
  /**
   * The fetch for tools sent to a server of their own: the public network, even when the API itself is reached
   * through a service binding (`api.binding`), which only leads to the API's Worker.
   */
  serverFetch?: typeof fetch;
  timeoutMs: number;
  maxResponseBytes: number;
  /** Structured, credential-free log lines. */
  log: (event: Record<string, unknown>) => void;
}

export async function callTool(tool: ToolDefinition, rawArgs: unknown, ctx: CallContext): Promise<CallToolResult> {
  const started = Date.now();
  const result = await run(tool, rawArgs, ctx);
  ctx.log({ event: "tool_call", tool: tool.name, subject: ctx.identity.subject, error: result.isError === true, ms: Date.now() - started });
  return result;
}

async function run(tool: ToolDefinition, rawArgs: unknown, ctx: CallContext): Promise<CallToolResult> {
  const checked = validateArguments(tool, rawArgs);
  if (!checked.ok) return errorResult(`Invalid arguments for ${tool.name}:\n${checked.problems.map((p) => `- ${p}`).join("\n")}`);

  // The HTTP layer answers a missing scope with a 403 step-up challenge before the call gets here; this check keeps
  // the rule true for any other transport (MCP 2025-11-25, "Runtime Insufficient Scope Errors").
  const missing = missingScopes(tool.scopes, ctx.held);
  if (missing.length > 0) return errorResult(`${tool.name} needs more access: ${missing.join(" ")}. Ask the user to grant it.`);

  let plan;
  try {
    plan = buildRequest(tool.http, checked.args, toolBaseUrl(tool.http, ctx.baseUrl, ctx.env ?? {}));
  } catch (error) {
    if (error instanceof RequestBuildError) return errorResult(`Invalid arguments for ${tool.name}:\n- ${error.message}`);
    throw error;
  }

  let headers: Record<string, string>;
  try {
    headers = await ctx.credentials.headersFor(tool, tool.scopes.filter((scope) => ctx.held.has(scope)));
  } catch (error) {
    // The reason may carry identity-provider detail; the model gets the actionable part only.
    ctx.log({ event: "credentials_failed", tool: tool.name, subject: ctx.identity.subject, reason: error instanceof Error ? error.name : "unknown" });
    return errorResult(`Could not get access to the API for ${tool.name}: the user may need to sign in again.`);
  }

  try {
    const send = tool.http.server ? (ctx.serverFetch ?? ctx.fetch) : ctx.fetch;
    const response = await callUpstream(plan, headers, { fetch: send, timeoutMs: ctx.timeoutMs, maxResponseBytes: ctx.maxResponseBytes });
    return withPromisedStructure(tool, toToolResult(tool, response));
  } catch (error) {
    if (error instanceof UpstreamError) return upstreamErrorResult(tool, error);
    throw error;
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

function errorResult(text: string): CallToolResult {
  return { content: [{ type: "text", text }], isError: true };
}
