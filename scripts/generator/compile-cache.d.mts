/** Types of compile-cache.mjs (plain JavaScript: see there why). */

/** `node_modules/.cache/mcp-bridge/`: what the generator keeps between runs (caches.ts). */
export const CACHE_DIR: string;

/** Turns on Node's compile cache and the stripped-module cache for the modules this thread loads from now on. */
export function useCompileCache(): void;
