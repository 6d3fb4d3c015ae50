/**
 * The transport-agnostic core: for one caller, an MCP server with exactly the tools that caller may see, straight
 * from generated/ (nothing per tool is hand-written). Built per request by the stateless /mcp route; a sessionful
 * lane can build it the same way on every request (DESIGN.md decisions 1 and 2).
 */
import { McpServer, type ScopeChallenge } from "@modelcontextprotocol/server";
import type { Identity, UpstreamCredentials } from "../auth/types.ts";
import { failureFields } from "../log.ts";
import { effectiveScopes, isListed, missingScopes } from "../policy/policy.ts";
import type { PolicyDefinition } from "../policy/types.ts";
import { callTool, type CallContext } from "../tools/call.ts";
import type { CallToolResult } from "../tools/result.ts";
import type { ToolDefinition } from "../tools/types.ts";
import type { UpstreamUnavailable } from "../upstream/errors.ts";
import { listedSchema } from "./listed-schema.ts";

export interface Caller {
  identity: Identity;
  credentials: UpstreamCredentials;
}

export interface ServerDeps {
  name: string;
  version: string;
  tools: readonly ToolDefinition[];
  policy: PolicyDefinition;
  /** Everything a tool call needs besides the caller. */
  upstream: Omit<CallContext, "identity" | "held" | "credentials">;
  /**
   * Set when the API cannot be reached as configured (a service binding this Worker lacks, a base URL variable it does
   * not set): every tool call fails with its message, before anything is sent. Listing is unaffected.
   */
  unavailable?: UpstreamUnavailable;
}

export function buildMcpServer(caller: Caller, deps: ServerDeps): McpServer {
  const server = new McpServer({ name: deps.name, version: deps.version }, { capabilities: { tools: {} } });
  const held = effectiveScopes(caller.identity, deps.policy);
  const context: CallContext = { ...deps.upstream, identity: caller.identity, held, credentials: caller.credentials };
  const hidden = new Map<string, ScopeChallenge>();
  for (const tool of deps.tools) {
    if (isListed(tool.name, held, deps.policy)) registerTool(server, tool, held, context, deps.unavailable);
    else {
      const challenge = challengeFor(tool, held);
      if (challenge) hidden.set(tool.name, challenge);
    }
  }
  if (hidden.size > 0) challengeHiddenTools(server, hidden);
  return server;
}

function registerTool(
  server: McpServer,
  tool: ToolDefinition,
  held: ReadonlySet<string>,
  context: CallContext,
  unavailable: UpstreamUnavailable | undefined,
): void {
  const missing = missingScopes(tool.scopes, held);
  const challenge = challengeFor(tool, held);
  server.registerTool(
    tool.name,
    {
      ...(tool.title !== undefined && { title: tool.title }),
      description: missing.length > 0 ? `${tool.description}\n\n${stepUpNote(missing)}` : tool.description,
      inputSchema: listedSchema(tool.inputSchema),
      ...(tool.outputSchema !== undefined && { outputSchema: listedSchema(tool.outputSchema) }),
      annotations: { ...tool.annotations },
      // A call without every scope is answered with HTTP 403 `insufficient_scope` naming all of them, before the
      // tool runs, so the client can step up (MCP 2025-11-25, Runtime Insufficient Scope Errors; RFC 6750 §3.1).
      // Decided on the scopes the caller holds (token scopes plus claim-rule grants), not the SDK's
      // `requireScopes`, which sees only the token's scopes and would challenge an identity a claim rule admits.
      ...(challenge !== undefined && { scopeChallenge: () => challenge }),
    },
    (args: unknown) => (unavailable === undefined ? callTool(tool, args, context) : unavailableResult(tool, context, unavailable)) as never,
  );
}

/** A tool call that cannot reach the API: an error result naming the configuration problem (no secret in it). */
function unavailableResult(tool: ToolDefinition, context: CallContext, unavailable: UpstreamUnavailable): CallToolResult {
  context.log({ event: "tool_call", tool: tool.name, subject: context.identity.subject, error: true, ms: 0, ...failureFields(unavailable) });
  return { content: [{ type: "text", text: unavailable.message }], isError: true };
}

/** The 403 challenge for a call to `tool` by a caller holding `held`: every scope the tool needs; none if it may call it. */
function challengeFor(tool: ToolDefinition, held: ReadonlySet<string>): ScopeChallenge | undefined {
  const [first, ...rest] = tool.scopes;
  return first !== undefined && missingScopes(tool.scopes, held).length > 0 ? { scopes: [first, ...rest] } : undefined;
}

/**
 * Tools hidden from this caller (`visibility: hide`) are not registered, so the SDK would answer a call to one with
 * "tool not found"; the call must still get the 403 step-up challenge naming its scopes (DESIGN.md decision 5).
 * McpServer looks challenges up through `resolveScopeChallenge` when a request arrives: hidden tools are added there.
 */
function challengeHiddenTools(server: McpServer, hidden: ReadonlyMap<string, ScopeChallenge>): void {
  const resolveRegistered = server.resolveScopeChallenge;
  server.resolveScopeChallenge = async (context) => {
    const registered = await resolveRegistered(context);
    if (registered !== undefined || context.request.method !== "tools/call") return registered;
    const name = (context.request.params as { name?: unknown } | undefined)?.name;
    return typeof name === "string" ? hidden.get(name) : undefined;
  };
}

/** Shown on tools listed with `visibility: list` to a caller who lacks their scopes. */
function stepUpNote(missing: readonly string[]): string {
  return `Needs more access than the user has granted (${missing.join(" ")}): calling it asks the user to grant it.`;
}
