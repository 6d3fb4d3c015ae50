/**
 * The transport-agnostic core: for one caller, an MCP server with exactly the tools that caller may see, straight
 * from generated/ (nothing per tool is hand-written): in static mode one MCP tool per operation, in discovery mode
 * three tools that reach them all (src/mcp/discovery.ts). Built per request by the stateless /mcp route; a sessionful
 * lane can build it the same way on every request (DESIGN.md decisions 1 and 2).
 */
import { McpServer, type ScopeChallenge } from "@modelcontextprotocol/server";
import type { Identity, UpstreamCredentials } from "../auth/types.ts";
import { effectiveScopes, isListed, missingScopes } from "../policy/policy.ts";
import type { PolicyDefinition } from "../policy/types.ts";
import type { DiscoveryDefinition } from "../discovery/types.ts";
import type { CallContext } from "../tools/call.ts";
import type { ToolDefinition } from "../tools/types.ts";
import { registerDiscoveryTools } from "./discovery.ts";
import { challengeFor, invokeTool, type Invoker } from "./invoke.ts";
import type { UpstreamUnavailable } from "../upstream/errors.ts";
import { listedSchema } from "./listed-schema.ts";

export interface Caller {
  identity: Identity;
  credentials: UpstreamCredentials;
  /**
   * Tools this request calls beyond the caller's scopes that end in a tool error instead of the 403 step-up
   * challenge (step-up.ts decided; absent: none).
   */
  refused?: ReadonlySet<string>;
  /** Whether any step-up is possible for this caller at all (the adapter gave a StepUp): how listings word it. */
  canStepUp?: boolean;
  /**
   * The tools this request calls, when calling them is all it does (body.ts `onlyToolCalls`): only these are
   * registered, instead of every tool of a static-mode API per request. Absent: every tool the caller may see.
   */
  calls?: ReadonlySet<string> | undefined;
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
  /** Discovery mode (generated/discovery.ts): three tools that search, describe and call every operation. */
  discovery?: DiscoveryDefinition | undefined;
}

export function buildMcpServer(caller: Caller, deps: ServerDeps): McpServer {
  const server = new McpServer({ name: deps.name, version: deps.version }, { capabilities: { tools: {} } });
  const held = effectiveScopes(caller.identity, deps.policy);
  const context: CallContext = { ...deps.upstream, identity: caller.identity, held, credentials: caller.credentials };
  const access: Access = { held, refused: caller.refused ?? new Set(), canStepUp: caller.canStepUp ?? true };
  const invoker: Invoker = { context, unavailable: deps.unavailable };
  if (deps.discovery) registerDiscoveryTools(server, deps.discovery, { tools: deps.tools, policy: deps.policy, held, refused: access.refused, invoker });
  else registerStaticTools(server, caller.calls ? deps.tools.filter((tool) => caller.calls!.has(tool.name)) : deps.tools, deps.policy, access, invoker);
  return server;
}

/** What the caller may do: the scopes it holds, and how a call beyond them ends (step-up.ts). */
interface Access {
  held: ReadonlySet<string>;
  refused: ReadonlySet<string>;
  canStepUp: boolean;
}

/**
 * Static mode: every operation the caller may see is a tool of its own (of `tools`: all of them, or only those the
 * request calls). A name the request calls that is not among them gets the SDK's own "tool not found".
 */
function registerStaticTools(server: McpServer, tools: readonly ToolDefinition[], policy: PolicyDefinition, access: Access, invoker: Invoker): void {
  const hidden = new Map<string, ScopeChallenge>();
  for (const tool of tools) {
    // A hidden tool whose call this request refuses is registered for it, so the call gets the tool error saying
    // what the account lacks rather than "tool not found".
    if (isListed(tool.name, access.held, policy) || access.refused.has(tool.name)) registerTool(server, tool, access, invoker);
    else {
      const challenge = challengeFor(tool, access.held, access.refused);
      if (challenge) hidden.set(tool.name, challenge);
    }
  }
  if (hidden.size > 0) challengeHiddenTools(server, hidden);
}

function registerTool(server: McpServer, tool: ToolDefinition, access: Access, invoker: Invoker): void {
  const missing = missingScopes(tool.scopes, access.held);
  const challenge = challengeFor(tool, access.held, access.refused);
  server.registerTool(
    tool.name,
    {
      ...(tool.title !== undefined && { title: tool.title }),
      description: missing.length > 0 ? `${tool.description}\n\n${missingNote(missing, access.canStepUp)}` : tool.description,
      inputSchema: listedSchema(tool.inputSchema),
      ...(tool.outputSchema !== undefined && { outputSchema: listedSchema(tool.outputSchema) }),
      annotations: { ...tool.annotations },
      // A call without every scope is answered with HTTP 403 `insufficient_scope` naming all of them, before the
      // tool runs, so the client can step up, unless step-up.ts decided it cannot help (see challengeFor).
      ...(challenge !== undefined && { scopeChallenge: () => challenge }),
    },
    (args: unknown) => invokeTool(tool, args, invoker) as never,
  );
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
function missingNote(missing: readonly string[], canStepUp: boolean): string {
  return canStepUp
    ? `Needs more access than the user has granted (${missing.join(" ")}): calling it asks the user to grant it.`
    : `Needs a permission the signed-in account does not have (${missing.join(" ")}).`;
}
