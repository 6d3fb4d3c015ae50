/**
 * The tools/list a generated bridge really serves: createBridge with the generated tools, policy, config and
 * discovery, asked by a caller holding every scope (for bench/generate.ts and test/generator/listing-size.test.ts).
 *
 *   node scripts/bench/served-listing.ts <generated dir>   # prints {"bytes":…,"tools":…}, in a fresh process
 */
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { AuthAdapter } from "../../src/auth/types.ts";
import { createBridge } from "../../src/bridge.ts";
import type { RuntimeConfig } from "../../src/config/runtime.ts";
import type { DiscoveryDefinition } from "../../src/discovery/types.ts";
import type { PolicyDefinition } from "../../src/policy/types.ts";
import type { ToolDefinition } from "../../src/tools/types.ts";

const RESOURCE = "http://127.0.0.1:8788/mcp";

export interface ServedListing {
  /** The `result` of tools/list exactly as the server serialised it. */
  result: string;
  tools: readonly ToolDefinition[];
  discovery: DiscoveryDefinition | undefined;
}

export async function servedListing(dir: string): Promise<ServedListing> {
  const load = async <T>(file: string): Promise<T> => import(pathToFileURL(join(dir, file)).href) as Promise<T>;
  const { tools } = await load<{ tools: readonly ToolDefinition[] }>("tools.ts");
  const { policy } = await load<{ policy: PolicyDefinition }>("policy.ts");
  const { config } = await load<{ config: RuntimeConfig }>("config.ts");
  const { discovery } = await load<{ discovery: DiscoveryDefinition | undefined }>("discovery.ts");
  const adapter: AuthAdapter = {
    async authenticate() {
      const identity = { subject: "all", scopes: policy.scopes.map((s) => s.name), claims: {} };
      return { ok: true, identity, credentials: { headersFor: async () => ({}) } };
    },
  };
  // Served where the request is addressed (the bridge refuses any other Host).
  const served = { ...config, auth: { ...config.auth, options: { ...config.auth.options, resource: RESOURCE } } } as RuntimeConfig;
  const bridge = createBridge({ config: served, tools, policy, discovery, adapter, log: () => {} });
  const response = await bridge.fetch(
    new Request(RESOURCE, {
      method: "POST",
      headers: {
        // Node's Request sends no Host header by itself; workerd's incoming requests always have one.
        host: "127.0.0.1:8788",
        authorization: "Bearer listing",
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2025-11-25",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
    }),
    {},
  );
  // The last JSON-RPC message, whether it came as JSON or as an SSE stream.
  const text = await response.text();
  const data = text.split("\n").filter((line) => line.startsWith("data:")).map((line) => line.slice(5));
  const message = JSON.parse(data.at(-1) ?? text) as { result: unknown };
  return { result: JSON.stringify(message.result), tools, discovery };
}

// `import.meta.main` needs Node 22.18; compare paths so the CLI also works on the oldest Node the engines allow.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { result } = await servedListing(process.argv[2]!);
  console.log(JSON.stringify({ bytes: Buffer.byteLength(result), tools: (JSON.parse(result) as { tools: unknown[] }).tools.length }));
}
