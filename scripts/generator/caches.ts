/**
 * What the generator keeps between runs, under `node_modules/.cache/mcp-bridge/` (git-ignored, safe to delete):
 * its own modules with their types stripped (stripped-cache.mjs) and Node's compile cache of them, api.ts by the
 * content it was made from (emit/api-types-cache.ts), and bridge.schema.json by the code it is made from
 * (emit/bridge-schema.ts).
 */
// In plain JavaScript, for the CLI's entry (compile-cache.mjs says why).
import { CACHE_DIR } from "./compile-cache.mjs";

export { CACHE_DIR, useCompileCache } from "./compile-cache.mjs";
export { writeWhole } from "./stripped-cache.mjs";

/** The folder for api.ts and bridge.schema.json, unless --no-cache or MCP_BRIDGE_NO_CACHE=1 (any value but "" and "0") turns it off. */
export function apiTypesCacheDir(noCache: boolean, env: NodeJS.ProcessEnv): string | undefined {
  const off = env["MCP_BRIDGE_NO_CACHE"];
  return noCache || (off !== undefined && off !== "" && off !== "0") ? undefined : CACHE_DIR;
}
