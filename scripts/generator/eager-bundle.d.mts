/** Types of eager-bundle.mjs (plain JavaScript: see there why). */

/**
 * Imports `entry` (a file URL) from its bundle in `dir`, built or rebuilt first when needed, else from itself. From
 * the bundle's script form when there is one (scriptForm), the promise gives an object of the entry's exports rather
 * than a module namespace.
 */
export function importBundled(entry: string, dir: string): Promise<unknown>;

/** What scriptForm reads of esbuild's metafile output for the bundle. */
export interface BundleOutput {
  exports: readonly string[];
  imports: readonly { path: string; kind: string }[];
}

/**
 * The ES module bundle `code` as a script (the body of an async function taking `requireFromBundle` and
 * `importFromBundle`, returning an object of the exports' getters); undefined for a bundle without the banner or whose
 * exports are not esbuild's one closing clause.
 */
export function scriptForm(code: string, bundleUrl: string, output: BundleOutput): string | undefined;

/** Runs a bundle's script form with V8's code cache for it, written when this thread ends if it was missing or refused. */
export function runWithCodeCache(scriptPath: string, cacheStem: string, bundleUrl: string): Promise<unknown>;

/** `source` with its module's `import.meta` values written in; throws on any other use of `import.meta`. */
export function withOwnImportMeta(source: string, path: string): string;
