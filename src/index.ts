/**
 * The bridge Worker: generated tools, policy and config, served over MCP at /mcp through the auth adapter
 * bridge.yaml chooses. Everything specific to the API is in generated/ (`npm run generate`); how it is served, in
 * src/worker.ts.
 */
import { config } from "../generated/config.ts";
import { discovery } from "../generated/discovery.ts";
import { policy } from "../generated/policy.ts";
import { tools } from "../generated/tools.ts";
import { bridgeWorker } from "./worker.ts";

export default bridgeWorker({ config, tools, policy, discovery }) satisfies ExportedHandler<Env>;
