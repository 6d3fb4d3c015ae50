/** Types of eager-bundle.mjs (plain JavaScript: see there why). */

/** Imports `entry` (a file URL) from its bundle in `dir`, built or rebuilt first when needed, else from itself. */
export function importBundled(entry: string, dir: string): Promise<unknown>;

/** `source` with its module's `import.meta` values written in; throws on any other use of `import.meta`. */
export function withOwnImportMeta(source: string, path: string): string;
