/**
 * Discovery mode (bridge.yaml `tools.mode`): instead of one MCP tool per operation, three tools that search, describe
 * and call every operation, so an API of a thousand operations costs a model a few hundred tokens of tools/list.
 *
 * Policy is the same as in static mode, decided per request from the caller's scopes: the search finds only what the
 * caller may see (tools/list's rule, `isListed`), describe answers only for those, and the call goes through
 * `invokeTool` with `challengeFor`, the static tools' own path, so a call beyond the caller's scopes gets the same
 * HTTP 403 `insufficient_scope` challenge, before anything runs. An operation hidden from the caller is neither
 * found nor described: its name and schema do not leak.
 */
import type { McpServer } from "@modelcontextprotocol/server";
import type { z } from "zod";
import { describeAnswer, searchAnswer, type Listed } from "../discovery/answers.ts";
import { searchOperations } from "../discovery/search.ts";
import type { DiscoveryDefinition } from "../discovery/types.ts";
import { isListed, missingScopes } from "../policy/policy.ts";
import type { PolicyDefinition } from "../policy/types.ts";
import { describeIssue } from "../tools/arguments.ts";
import type { CallToolResult } from "../tools/result.ts";
import type { ToolDefinition } from "../tools/types.ts";
import { callInput, describeInput, searchInput } from "./discovery-inputs.ts";
import { callAnnotations, discoveryTools, SEARCH_LIMIT_DEFAULT, type DiscoveryTool } from "./discovery-tools.ts";
import { challengeFor, invokeTool, type Invoker } from "./invoke.ts";
import { listedSchema } from "./listed-schema.ts";

export interface DiscoveryAccess {
  tools: readonly ToolDefinition[];
  policy: PolicyDefinition;
  /** The scopes the caller holds (token scopes plus claim-rule grants). */
  held: ReadonlySet<string>;
  /** Operations this request calls beyond those scopes that end in a tool error, not a challenge (step-up.ts). */
  refused: ReadonlySet<string>;
  invoker: Invoker;
}

export function registerDiscoveryTools(server: McpServer, discovery: DiscoveryDefinition, access: DiscoveryAccess): void {
  const { held, refused, policy, invoker } = access;
  const catalog = catalogOf(access.tools);
  const visible = (name: string): boolean => isListed(name, held, policy);
  const callable = access.tools.filter((tool) => missingScopes(tool.scopes, held).length === 0).map((tool) => tool.annotations);
  const [search, describe, call] = discoveryTools(discovery, callAnnotations(callable)) as [DiscoveryTool, DiscoveryTool, DiscoveryTool];
  const unknown = (name: string): CallToolResult =>
    errorResult(`No operation named "${name}" is available to the user. Use ${search.name} to find one.`);

  register(server, search, searchInput, ({ query, limit }) => {
    const ranked: Listed[] = searchOperations(discovery, query, visible).map((hit) => {
      const tool = catalog.get(hit.name)!;
      return { tool, hit, missing: missingScopes(tool.scopes, held) };
    });
    return textResult(searchAnswer(query, ranked, limit ?? SEARCH_LIMIT_DEFAULT, discovery.answerBudgetTokens, discovery.names));
  });

  register(server, describe, describeInput, ({ name }) => {
    const tool = catalog.get(name);
    return tool && visible(name) ? textResult(describeAnswer(tool, missingScopes(tool.scopes, held))) : unknown(name);
  });

  register(
    server,
    call,
    callInput,
    ({ name, arguments: args }) => {
      const tool = catalog.get(name);
      return tool ? invokeTool(tool, args ?? {}, invoker) : unknown(name);
    },
    // Looked up from the request before the tool runs: the named operation's challenge, exactly as its static tool's.
    ({ request }) => {
      const name = (request.params as { arguments?: { name?: unknown } } | undefined)?.arguments?.name;
      const tool = typeof name === "string" ? catalog.get(name) : undefined;
      return tool ? challengeFor(tool, held, refused) : undefined;
    },
  );
}

function register<Input extends z.ZodType>(
  server: McpServer,
  tool: DiscoveryTool,
  input: Input,
  run: (args: z.output<Input>) => CallToolResult | Promise<CallToolResult>,
  scopeChallenge?: Parameters<McpServer["registerTool"]>[1]["scopeChallenge"],
): void {
  server.registerTool(
    tool.name,
    {
      title: tool.title,
      description: tool.description,
      inputSchema: listedSchema(tool.inputSchema),
      annotations: { ...tool.annotations },
      ...(scopeChallenge !== undefined && { scopeChallenge }),
    },
    // Validated here rather than by the SDK, so a wrong argument is named the way every other tool names it.
    (args: unknown) => {
      const parsed = input.safeParse(args ?? {});
      if (!parsed.success) return errorResult(`Invalid arguments for ${tool.name}:\n${parsed.error.issues.map((issue) => `- ${describeIssue(issue)}`).join("\n")}`) as never;
      return run(parsed.data) as never;
    },
  );
}

const catalogs = new WeakMap<readonly ToolDefinition[], ReadonlyMap<string, ToolDefinition>>();

/** Operations by name, built once per isolate. */
function catalogOf(tools: readonly ToolDefinition[]): ReadonlyMap<string, ToolDefinition> {
  let catalog = catalogs.get(tools);
  if (!catalog) {
    catalog = new Map(tools.map((tool) => [tool.name, tool]));
    catalogs.set(tools, catalog);
  }
  return catalog;
}

function textResult(text: string): CallToolResult {
  return { content: [{ type: "text", text }] };
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: "text", text }], isError: true };
}
