/**
 * The bridge Worker: generated tools, policy and config, served over MCP at /mcp through the auth adapter
 * bridge.yaml chooses. Everything specific to the API is in generated/ (`npm run generate`).
 */
import { config } from "../generated/config.ts";
import { discovery } from "../generated/discovery.ts";
import { policy } from "../generated/policy.ts";
import { tools } from "../generated/tools.ts";
import { adapterFor } from "./auth/index.ts";
import { createBridge } from "./bridge.ts";
import { jsonLineLog } from "./log.ts";

/** The one log hook: every refusal and failure, with its code and reason, as one JSON line. */
const log = jsonLineLog;
const bridge = createBridge({ config, tools, policy, discovery, log, adapter: adapterFor(config.auth, { scopes: policy.scopes, log }) });

export default {
  fetch(request, env) {
    return bridge.fetch(request, env as unknown as Record<string, unknown>);
  },
} satisfies ExportedHandler<Env>;
