/**
 * `served-listing.ts <generated dir>` prints, as JSON, the size of the tools/list result the real server sends for a
 * generated bridge (for bench/generate.ts): createBridge with the generated tools, policy, config and discovery,
 * asked by a caller holding every scope, as test/generator/listing-size.test.ts does. Run in its own process so the
 * generated modules load fresh.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { AuthAdapter } from "../../src/auth/types.ts";
import { createBridge } from "../../src/bridge.ts";
import type { RuntimeConfig } from "../../src/config/runtime.ts";
import type { DiscoveryDefinition } from "../../src/discovery/types.ts";
import type { PolicyDefinition } from "../../src/policy/types.ts";
import type { ToolDefinition } from "../../src/tools/types.ts";

const RESOURCE = "http://127.0.0.1:8788/mcp";
const dir = process.argv[2]!;
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
      host: "127.0.0.1:8788",
      authorization: "Bearer bench",
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2025-11-25",
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
  }),
  {},
);
const text = await response.text();
const data = text.split("\n").filter((line) => line.startsWith("data:")).map((line) => line.slice(5));
const message = JSON.parse(data.at(-1) ?? text) as { result: { tools: unknown[] } };
console.log(JSON.stringify({ bytes: Buffer.byteLength(JSON.stringify(message.result)), tools: message.result.tools.length }));
