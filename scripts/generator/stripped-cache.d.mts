/** Types of stripped-cache.mjs (plain JavaScript: see there why). */

/** Installs the hook for this thread's later imports, keeping stripped files in `dir`. */
export function useStrippedCache(dir: string): void;
