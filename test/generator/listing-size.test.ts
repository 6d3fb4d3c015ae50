/**
 * The tools/list size `generate` reports is what the real server sends: a bridge generated from a real spec, served
 * in process (createBridge with the generated tools, policy and config), listed by a caller allowed every tool. Under
 * `descriptions: auto` over budget, the served listing is the concise one the report measured.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import type { AuthAdapter } from "../../src/auth/types.ts";
import { createBridge } from "../../src/bridge.ts";
import type { RuntimeConfig } from "../../src/config/runtime.ts";
import type { DiscoveryDefinition } from "../../src/discovery/types.ts";
import type { PolicyDefinition } from "../../src/policy/types.ts";
import type { ToolDefinition } from "../../src/tools/types.ts";
import { generateCorpus, oasExample } from "../helpers/corpus.ts";
import { messageOf, mcpPost } from "../unit/runtime/mcp-request.ts";

interface Served {
  reported: { bytes: number; text: string };
  /** The `result` of tools/list exactly as the server serialised it. */
  result: string;
  tools: readonly ToolDefinition[];
}

async function serve(name: string, spec: string, tools: string): Promise<Served> {
  const { dir, result } = await generateCorpus(`listing-size/${name}`, oasExample(spec), tools);
  const load = async <T>(file: string): Promise<T> => import(pathToFileURL(join(dir, file)).href) as Promise<T>;
  const generatedTools = (await load<{ tools: readonly ToolDefinition[] }>("tools.ts")).tools;
  const { policy } = await load<{ policy: PolicyDefinition }>("policy.ts");
  const { config } = await load<{ config: RuntimeConfig }>("config.ts");
  const { discovery } = await load<{ discovery: DiscoveryDefinition | undefined }>("discovery.ts");
  // A caller holding every scope the bridge knows: it is allowed every tool.
  const adapter: AuthAdapter = {
    async authenticate() {
      const identity = { subject: "all", scopes: policy.scopes.map((s) => s.name), claims: {} };
      return { ok: true, identity, credentials: { headersFor: async () => ({}) } };
    },
  };
  // Served where the in-process requests are addressed (the bridge refuses any other Host).
  const served = { ...config, auth: { ...config.auth, options: { ...config.auth.options, resource: "http://127.0.0.1:8788/mcp" } } } as RuntimeConfig;
  const bridge = createBridge({ config: served, tools: generatedTools, policy, discovery, adapter, log: () => {} });
  const response = await bridge.fetch(mcpPost("t", { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }), {});
  const message = await messageOf(response);
  expect(message.result.tools).toHaveLength(discovery ? 3 : generatedTools.length);
  // In discovery mode the server lists its three tools, whose size the report gives as the mode's listing.
  const listing = discovery ? result.report.mode.listing! : result.report.listing;
  return { reported: { bytes: listing.bytes, text: result.report.text }, result: JSON.stringify(message.result), tools: generatedTools };
}

describe("the reported tools/list size", () => {
  // petstore-expanded answers with `allOf` objects (the SDK adds `type: "object"` to such output roots); train-travel
  // is OpenAPI 3.1 with shared components.
  it.each([
    ["petstore-expanded", "3.0/json/petstore-expanded.json"],
    ["train-travel", "3.1/json/train-travel.json"],
  ])("equals the bytes served with full descriptions (%s)", async (name, spec) => {
    const served = await serve(`full-${name}`, spec, "tools: { descriptions: full }");
    expect(served.reported.text).toBe("full");
    expect(Buffer.byteLength(served.result)).toBe(served.reported.bytes);
  });

  it("equals the bytes served when `auto` picks concise text, and the served text is the concise one", async () => {
    const served = await serve("auto-concise", "3.0/json/petstore-expanded.json", "tools: { mode: static, descriptions: auto, listBudgetTokens: 200 }");
    expect(served.reported.text).toBe("concise");
    expect(Buffer.byteLength(served.result)).toBe(served.reported.bytes);
    // petstore-expanded's findPets has a multi-paragraph description; concise keeps only its first sentence.
    const listed = JSON.parse(served.result).tools as { name: string; description: string; title?: string }[];
    const findPets = listed.find((tool) => tool.name === "find_pets")!;
    expect(findPets.description).not.toContain("\n");
    expect(findPets.title).toBeUndefined();
  });

  it("equals the bytes served in discovery mode (auto over budget lists the three discovery tools)", async () => {
    const served = await serve("auto-discovery", "3.0/json/petstore-expanded.json", "tools: { mode: auto, listBudgetTokens: 200 }");
    expect(JSON.parse(served.result).tools.map((tool: { name: string }) => tool.name)).toEqual(["search_operations", "describe_operation", "call_operation"]);
    expect(Buffer.byteLength(served.result)).toBe(served.reported.bytes);
  });
});
