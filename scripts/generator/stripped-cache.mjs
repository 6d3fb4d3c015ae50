/**
 * Our TypeScript modules with their types stripped, kept on disk: Node strips every `.ts` file it loads (amaro, a
 * WebAssembly build of SWC) on every run, and its compile cache keeps only what V8 compiled afterwards. Stripping the
 * generator's ~80 modules cost 0.2–0.35 s of CPU per run; reading them back from here costs ~10 ms.
 *
 * A load hook (`module.registerHooks`: synchronous, this thread only) answers a project `.ts` module with the
 * JavaScript Node's own stripping gives for it (`stripTypeScriptTypes` in strip mode is the same function Node's
 * loader calls, and the `sourceURL` comment is added as Node adds it), so stack traces and the compile cache see the
 * same text. One file per module (by its path), stamped with the hash of the source and of Node's amaro version it
 * was stripped with, and replaced when either changes. Nothing is cached when Node would transform rather than strip
 * (`--experimental-transform-types`) or add source maps (`--enable-source-maps`), nor when NODE_DISABLE_COMPILE_CACHE
 * turns the compile cache off.
 *
 * Plain JavaScript (types in stripped-cache.d.mts), as is compile-cache.mjs which installs it: the modules loaded
 * before the hook are stripped by Node, and a JavaScript entry (scripts/generate.mjs) that loads only these two has
 * Node load no stripper at all when every module is cached (amaro's WebAssembly: ~15 MB of RSS, ~50 ms of CPU).
 */
// Node's built-ins from its own objects, not through ES module facades (eager-bundle.mjs, builtinModule: why).
const { createHash } = process.getBuiltinModule("node:crypto");
const { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } = process.getBuiltinModule("node:fs");
const { registerHooks, stripTypeScriptTypes } = process.getBuiltinModule("node:module");
const { dirname, join } = process.getBuiltinModule("node:path");

/** Installs the hook for this thread's later imports, keeping stripped files in `dir`. */
export function useStrippedCache(dir) {
  if (process.features.typescript !== "strip" || process.sourceMapsEnabled || process.env["NODE_DISABLE_COMPILE_CACHE"]) return;
  const decoder = new TextDecoder();
  registerHooks({
    load(url, context, nextLoad) {
      const loaded = nextLoad(url, context);
      const ours = loaded.format === "module-typescript" && url.startsWith("file:") && !url.includes("/node_modules/");
      if (!ours || loaded.source == null) return loaded;
      const source = typeof loaded.source === "string" ? loaded.source : decoder.decode(loaded.source);
      const file = join(dir, `${hash(url.split("?")[0])}.js`);
      const stamp = `// ${hash(`${process.versions["amaro"]}\0${source}`)}\n`;
      let kept;
      try {
        kept = readFileSync(file, "utf8");
      } catch {
        kept = undefined;
      }
      let code;
      if (kept?.startsWith(stamp)) code = kept.slice(stamp.length);
      else {
        code = stripQuietly(source);
        writeWhole(file, stamp + code);
      }
      return { format: "module", source: `${code}\n\n//# sourceURL=${url}`, shortCircuit: true };
    },
  });
}

function hash(text) {
  return createHash("sha256").update(text).digest("hex").slice(0, 40);
}

/**
 * Written under a unique name, then renamed: a run reading the file meanwhile sees all of it or none. A folder that
 * cannot be written only leaves the file unwritten (a cache's entry: the next run makes it again). Also used by
 * emit/bridge-schema.ts, through caches.ts.
 */
export function writeWhole(file, code) {
  const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(partial, code);
    renameSync(partial, file);
  } catch {
    rmSync(partial, { force: true });
  }
}

/**
 * `stripTypeScriptTypes` announces itself with an ExperimentalWarning on stderr, which Node's own stripping of the
 * same file does not: the warning is dropped for this one call.
 */
function stripQuietly(source) {
  const emitWarning = process.emitWarning;
  process.emitWarning = () => {};
  try {
    return stripTypeScriptTypes(source, { mode: "strip" });
  } finally {
    process.emitWarning = emitWarning;
  }
}
