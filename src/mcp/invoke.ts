/**
 * Calling one operation for one caller, whichever MCP tool asked: a static tool named after the operation, or the
 * discovery mode's call tool naming it. Both go through here, so both get the same 403 step-up challenge, the same
 * generated validator, policy re-check, request builder, upstream client and result shaping (src/tools/call.ts).
 */
import type { ScopeChallenge } from "@modelcontextprotocol/server";
import { failureFields } from "../log.ts";
import { missingScopes } from "../policy/policy.ts";
import { callTool, type CallContext } from "../tools/call.ts";
import type { CallToolResult } from "../tools/result.ts";
import type { ToolDefinition } from "../tools/types.ts";
import type { UpstreamUnavailable } from "../upstream/errors.ts";

/** What a call needs besides the tool and its arguments: the caller's context, and why the API cannot be reached. */
export interface Invoker {
  context: CallContext;
  /**
   * Set when the API cannot be reached as configured (a service binding this Worker lacks, a base URL variable it
   * does not set): every call fails with its message.
   */
  unavailable?: UpstreamUnavailable | undefined;
}

export function invokeTool(tool: ToolDefinition, args: unknown, invoker: Invoker): Promise<CallToolResult> {
  return invoker.unavailable === undefined ? callTool(tool, args, invoker.context) : Promise.resolve(unavailableResult(tool, invoker.context, invoker.unavailable));
}

/** A tool call that cannot reach the API: an error result naming the configuration problem (no secret in it). */
function unavailableResult(tool: ToolDefinition, context: CallContext, unavailable: UpstreamUnavailable): CallToolResult {
  context.log({ event: "tool_call", tool: tool.name, subject: context.identity.subject, error: true, ms: 0, ...failureFields(unavailable) });
  return { content: [{ type: "text", text: unavailable.message }], isError: true };
}

/**
 * The 403 challenge for a call to `tool` by a caller holding `held`: every scope the tool needs; none if it may call
 * it (MCP 2025-11-25, Runtime Insufficient Scope Errors; RFC 6750 §3.1), or if this request's step-up decision
 * (step-up.ts) refused it, `refused`: the call then runs and ends in the tool error of callTool. Decided on the
 * scopes the caller holds (token scopes plus claim-rule grants), not the SDK's `requireScopes`, which sees only the
 * token's scopes and would challenge an identity a claim rule admits.
 */
export function challengeFor(tool: ToolDefinition, held: ReadonlySet<string>, refused: ReadonlySet<string>): ScopeChallenge | undefined {
  const [first, ...rest] = tool.scopes;
  if (first === undefined || refused.has(tool.name)) return undefined;
  return missingScopes(tool.scopes, held).length > 0 ? { scopes: [first, ...rest] } : undefined;
}
