/** Types of stripped-cache.mjs (plain JavaScript: see there why). */

/** Installs the hook for this thread's later imports, keeping stripped files in `dir`. */
export function useStrippedCache(dir: string): void;

/** Writes `file` whole or not at all (a temporary file renamed into place); a failure only leaves it unwritten. */
export function writeWhole(file: string, text: string): void;
