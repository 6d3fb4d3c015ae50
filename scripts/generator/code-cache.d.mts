/** Types of code-cache.mjs (plain JavaScript: see there why). */

/**
 * Compiles `source` (named `filename` in stack traces) with its code cache from `cacheStem` and a suffix, runs it in
 * this context and gives its completion value; the cache is written as the thread ends when it was missing or refused.
 */
export function runWithCodeCache(source: string, filename: string, cacheStem: string, importModuleDynamically?: unknown): unknown;
