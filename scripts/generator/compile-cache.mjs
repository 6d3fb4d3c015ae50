/**
 * Node's compile cache and the cache of our stripped modules, turned on before the generator loads. Plain JavaScript
 * (types in compile-cache.d.mts) so that the CLI's entry, scripts/generate.mjs, loads no TypeScript before the
 * stripped-module cache is on: Node then loads no stripper at all once every module is cached (stripped-cache.mjs).
 * caches.ts re-exports both names.
 */
import { useStrippedCache } from "./stripped-cache.mjs";
// Node's built-ins from its own objects, not through ES module facades (eager-bundle.mjs, builtinModule: why).
const { enableCompileCache } = process.getBuiltinModule("node:module");
const { join } = process.getBuiltinModule("node:path");
const { fileURLToPath } = process.getBuiltinModule("node:url");

export const CACHE_DIR = fileURLToPath(new URL("../../node_modules/.cache/mcp-bridge/", import.meta.url));

/**
 * Turns on Node's compile cache (V8 code cache on disk, checked by Node against each file's content) for the modules
 * this thread loads from now on, as tsc does since TypeScript 5.7: a worker thread needs its own call (the api.ts
 * worker's entry, emit/api-types-worker.mjs, makes it). TypeScript's 9 MB compiler alone takes ~0.2 s of CPU to
 * compile on every run without it. NODE_DISABLE_COMPILE_CACHE=1 turns it off; a folder that cannot be written only
 * makes Node skip it. The step before compiling, stripping the types
 * of our `.ts` modules, is cached too (stripped-cache.mjs).
 */
export function useCompileCache() {
  enableCompileCache(join(CACHE_DIR, "node-compile-cache"));
  useStrippedCache(join(CACHE_DIR, "stripped-ts"));
}
