/**
 * What the generator keeps between runs, under `node_modules/.cache/mcp-bridge/` (git-ignored, safe to delete):
 * its own modules with their types stripped (stripped-cache.ts) and Node's compile cache of them, and api.ts by the
 * content it was made from (emit/api-types-cache.ts).
 */
import { enableCompileCache } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { useStrippedCache } from "./stripped-cache.ts";

export const CACHE_DIR = fileURLToPath(new URL("../../node_modules/.cache/mcp-bridge/", import.meta.url));

/**
 * Turns on Node's compile cache (V8 code cache on disk, checked by Node against each file's content) for the modules
 * this thread loads from now on, as tsc does since TypeScript 5.7: a worker thread needs its own call. TypeScript's
 * 9 MB compiler alone takes ~0.2 s of CPU to compile on every run without it. NODE_DISABLE_COMPILE_CACHE=1 turns
 * it off; a folder that cannot be written only makes Node skip it. The step before compiling, stripping the types
 * of our `.ts` modules, is cached too (stripped-cache.ts).
 */
export function useCompileCache(): void {
  enableCompileCache(join(CACHE_DIR, "node-compile-cache"));
  useStrippedCache(join(CACHE_DIR, "stripped-ts"));
}

/** The api.ts cache's folder, unless --no-cache or MCP_BRIDGE_NO_CACHE=1 (any value but "" and "0") turns it off. */
export function apiTypesCacheDir(noCache: boolean, env: NodeJS.ProcessEnv): string | undefined {
  const off = env["MCP_BRIDGE_NO_CACHE"];
  return noCache || (off !== undefined && off !== "" && off !== "0") ? undefined : CACHE_DIR;
}
