/**
 * V8's code cache for a script, made after the script has run. Node's compile cache holds what V8 compiles before a
 * module runs: its top-level code and a few functions. The functions a run calls (~1,500 in the CLI's bundle) were
 * compiled at their first call, from source (a full parse, then bytecode), on every run. `script.createCachedData()`
 * called after the code has run holds those too, and a run given it compiles none of them again: eager-bundle.mjs
 * runs its bundles so, spec/meta-schema.ts its validators. Plain JavaScript, for the CLI's entry (compile-cache.mjs
 * says why).
 *
 * V8 checks a cache against the source's length, its own version and its flags, and refuses it when any differs
 * (`cachedDataRejected`): the caller names the cache for the content it was made from. A run with no cache, or one
 * V8 refused, writes one when it ends with exit code 0 (a run that fails early calls few functions); a failed write
 * only leaves it unwritten.
 */
import { writeWhole } from "./stripped-cache.mjs";
// Node's built-ins from its own objects, not through ES module facades (eager-bundle.mjs, builtinModule: why).
const { readFileSync } = process.getBuiltinModule("node:fs");
const { Script } = process.getBuiltinModule("node:vm");

/**
 * Compiles `source` (named `filename` in stack traces) with its code cache from `cacheStem` and a suffix
 * (writeCodeCacheAtExit says why there are two), runs it in this context and gives its completion value.
 * `importModuleDynamically` as vm.Script takes it, when the script has an `import()`.
 */
export function runWithCodeCache(source, filename, cacheStem, importModuleDynamically) {
  const gcExposed = typeof globalThis.gc === "function";
  const cachePath = `${cacheStem}${gcExposed ? ".gc" : ""}.v8cache`;
  const cachedData = readIfThere(cachePath);
  const script = new Script(source, { filename, cachedData, ...(importModuleDynamically !== undefined && { importModuleDynamically }) });
  if (cachedData === undefined || script.cachedDataRejected) writeCodeCacheAtExit(script, cachePath, gcExposed);
  return script.runInThisContext();
}

function readIfThere(path) {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Writes the script's code cache as this thread ends (a worker's only when it ends of itself, not when the process
 * exits under it). V8 stamps a cache with the flags in force when it is made, and refuses it under others. The CLI
 * no longer turns `--expose-gc` on during a run (it did for the api.ts worker, which now lets V8 collect on its own:
 * api-types-worker.ts), but a caller may (the tests do): a cache made then would be refused by every run that starts
 * without it, so the flag is turned back off first, unless it was on when the script loaded (`gcExposed`: a `gc` in
 * this context). A script loaded with and without the flag (e.g. under `node --expose-gc`) has a cache for each
 * (runWithCodeCache's suffix), not one that each run refuses and rewrites. (A script loaded after a caller turned
 * the flag on is refused and rewritten each time.)
 */
function writeCodeCacheAtExit(script, cachePath, gcExposed) {
  process.once("exit", (code) => {
    if (code !== 0) return;
    try {
      if (!gcExposed) process.getBuiltinModule("node:v8").setFlagsFromString("--no-expose-gc");
      writeWhole(cachePath, script.createCachedData());
    } catch {
      // A cache is only ever a saving: the run's outcome is already decided.
    }
  });
}
