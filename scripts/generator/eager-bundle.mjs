/**
 * The modules the CLI loads at start, kept as one pre-built file: loading ~180 files one by one (each resolved,
 * stat'ed, its package.json read, passed through the load hooks and looked up in the compile cache) cost ~40–50 ms
 * of CPU per run more than loading the same code from one file.
 *
 * esbuild bundles the entry's static import graph (our modules and the packages they import: yaml, zod, minisearch,
 * ...) into `<dir>/<name>.mjs`, built on first use and again whenever a file in it (or a package, or this module)
 * changes: `<dir>/<name>.json` lists each file's path, size and mtime (checkedFiles), checked by stat on every run,
 * and names the entry it was built from (a node_modules copied from another checkout brings that checkout's bundle).
 * What the bundle leaves to run time, loaded as without it:
 * - every `import()` and our `require()`s (the api.ts renderer, its cache, wrangler, ajv's compiler, ...), by
 *   absolute URL or path, and everything loaded through `createRequire`;
 * - `import.meta.url` (and `.dirname`, `.filename`) of each of our modules is written into it as the module's own, so
 *   paths relative to a module (meta-schemas, the cache folder, the api.ts worker) stay where they were;
 * - zod's locales are left out as zod-locales.mjs leaves them out (an empty module in their place).
 * swagger-parser and json-schema-ref-parser, which spec/swagger-parser.ts loads through `createRequire` with a resolve
 * hook substituting three of their modules, are bundled with the same substitutions (spec/package-substitutes.mjs): the
 * plugin puts spec/swagger-parser-bundled.ts, which imports them, in swagger-parser.ts's place.
 *
 * The bundle is also kept as a script, `<dir>/<name>.script.js` (scriptForm), which runs with a V8 code cache made
 * after a run, holding the functions that run compiled (runWithCodeCache, code-cache.mjs).
 *
 * Any failure (esbuild missing, a folder that cannot be written, an `import.meta` the bundle cannot keep) falls back
 * to the modules themselves, as does NODE_DISABLE_COMPILE_CACHE=1 or MCP_BRIDGE_NO_BUNDLE=1, and any run where Node
 * would not only strip types (stripped-cache.mjs: source maps, transform-types). Plain JavaScript, for the CLI's entry
 * (compile-cache.mjs says why).
 */
import { runWithCodeCache as runCached } from "./code-cache.mjs";
import { writeWhole } from "./stripped-cache.mjs";
// Node's built-ins from its own objects, not through ES module facades (eager-bundle.mjs, builtinModule: why).
const { readdirSync, readFileSync, rmSync, statSync } = process.getBuiltinModule("node:fs");
const { dirname, join, resolve } = process.getBuiltinModule("node:path");
const { fileURLToPath, pathToFileURL } = process.getBuiltinModule("node:url");
const { createRequire } = process.getBuiltinModule("node:module");
const { createHash } = process.getBuiltinModule("node:crypto");
const { constants: vmConstants } = process.getBuiltinModule("node:vm");

/**
 * Our modules that the bundle holds another module in place of: swagger-parser.ts loads the packages with its hook,
 * swagger-parser-bundled.ts imports them for esbuild to bundle.
 */
const IN_PLACE_OF = new Map([[fileURLToPath(new URL("./spec/swagger-parser.ts", import.meta.url)), fileURLToPath(new URL("./spec/swagger-parser-bundled.ts", import.meta.url))]]);
/** The modules that say what goes into a bundle, checked with its files. */
const BUNDLER = [fileURLToPath(import.meta.url), fileURLToPath(new URL("./spec/package-substitutes.mjs", import.meta.url))];
/** esbuild's namespace for the built-in modules the bundle takes from Node by process.getBuiltinModule. */
const BUILTIN = "node-builtin";
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const ZOD_LOCALES = /\/node_modules\/zod\/v4\/(?:core|classic)$/;
const PACKAGE_LOCK = fileURLToPath(new URL("../../node_modules/.package-lock.json", import.meta.url));
/** The bundle's first two lines, which give its CommonJS packages a `require` (build's banner). */
const BANNER = 'import { createRequire as requireFromBundle } from "node:module";\nconst require = requireFromBundle(import.meta.url);\n';

/**
 * Imports `entry` (a file URL) from its bundle in `dir`, built or rebuilt first when needed, else from itself. From
 * the bundle's script form when there is one (scriptForm), the promise gives an object of the entry's exports rather
 * than a module namespace.
 */
export async function importBundled(entry, dir) {
  if (!bundleWanted()) return import(entry);
  const bundle = await bundleOf(entry, dir);
  if (bundle === undefined) return import(entry);
  return bundle.script === undefined ? import(bundle.url) : runWithCodeCache(bundle.script, bundle.cache, bundle.url);
}

function bundleWanted() {
  const env = process.env;
  return process.features.typescript === "strip" && !process.sourceMapsEnabled && !env["NODE_DISABLE_COMPILE_CACHE"] && !env["MCP_BRIDGE_NO_BUNDLE"];
}

/**
 * The bundle's file URL, and when it is kept as a script too, the script's path and its code cache's; undefined when
 * there is no bundle and none could be built.
 */
async function bundleOf(entry, dir) {
  const name = fileURLToPath(entry).split("/").pop().replace(/\.[cm]?[jt]s$/, "");
  const bundle = join(dir, `${name}.mjs`);
  const manifest = join(dir, `${name}.json`);
  const script = join(dir, `${name}.script.js`);
  let kept = freshManifest(manifest, bundle, script, fileURLToPath(entry));
  if (kept === undefined) {
    try {
      kept = await build(entry, bundle, manifest, script);
    } catch {
      kept = undefined;
    }
    if (kept === undefined) return undefined;
  }
  const url = pathToFileURL(bundle).href;
  return kept.script === undefined ? { url } : { url, script, cache: join(dir, `${name}.${kept.script.id}`) };
}

/**
 * The manifest, when it parses, names this Node and this entry, matches the bundle's size (and the script's), and
 * every file in it is unchanged; else undefined.
 */
function freshManifest(manifest, bundle, script, entryPath) {
  let kept;
  try {
    kept = JSON.parse(readFileSync(manifest, "utf8"));
    if (kept.node !== process.version || kept.entry !== entryPath || statSync(bundle).size !== kept.size) return undefined;
    if (kept.script !== undefined && statSync(script).size !== kept.script.size) return undefined;
  } catch {
    return undefined;
  }
  return Array.isArray(kept.files) && kept.files.every(([path, size, mtime]) => sameFile(path, size, mtime)) ? kept : undefined;
}

function sameFile(path, size, mtime) {
  try {
    const stats = statSync(path);
    return stats.size === size && stats.mtimeMs === mtime;
  } catch {
    return false;
  }
}

/**
 * What the manifest checks: the bundle's files, the modules it holds others in place of, the modules that say what
 * goes into it (BUNDLER), and for the packages in it, whose files keep their tarball's mtime, the folder of each (made
 * afresh when the package is installed) and `.package-lock.json`, which every npm install rewrites, when there is one.
 */
function checkedFiles(inputs, replaced) {
  const packages = inputs.map((path) => /^.*\/node_modules\/(?:@[^/]+\/)?[^/]+/.exec(path)?.[0]).filter((path) => path !== undefined);
  const lock = statSync(PACKAGE_LOCK, { throwIfNoEntry: false }) === undefined ? [] : [PACKAGE_LOCK];
  return [...new Set([...inputs, ...replaced, ...packages, ...lock, ...BUNDLER])];
}

/**
 * Builds the bundle and writes it (and its script form, when it has one: scriptForm), then its manifest, which it
 * returns; undefined when any could not be written.
 */
async function build(entry, bundle, manifest, script) {
  const esbuild = await import("esbuild");
  // Only a build needs the substitutions: a run that finds its bundle fresh does not load them.
  const { substituteFor } = await import("./spec/package-substitutes.mjs");
  const started = Date.now();
  const replaced = new Set();
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    platform: "node",
    format: "esm",
    target: `node${process.versions.node}`,
    write: false,
    metafile: true,
    outfile: bundle,
    logLevel: "silent",
    absWorkingDir: process.cwd(),
    plugins: [eagerGraphOnly(substituteFor, replaced)],
    // Bundled CommonJS packages require Node's built-in modules (packages are bundled whole), our modules by path.
    banner: { js: 'import { createRequire as requireFromBundle } from "node:module";\nconst require = requireFromBundle(import.meta.url);' },
  });
  const root = process.cwd();
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.includes(":")).map((input) => resolve(root, input));
  const files = checkedFiles(inputs, replaced).map((path) => {
    const stats = statSync(path);
    return [path, stats.size, stats.mtimeMs];
  });
  // A file edited while esbuild read it may be bundled as it was before: no manifest, so the next run builds again.
  if (files.some(([, , mtime]) => mtime >= started - 1000)) return undefined;
  const code = result.outputFiles[0].contents;
  writeWhole(bundle, code);
  if (statSync(bundle, { throwIfNoEntry: false })?.size !== code.length) return undefined;
  const scriptCode = scriptForm(result.outputFiles[0].text, pathToFileURL(bundle).href, Object.values(result.metafile.outputs)[0]);
  const kept = { node: process.version, entry: fileURLToPath(entry), size: code.length, files };
  removeCodeCaches(dirname(bundle), bundle.split("/").pop().replace(/\.mjs$/, ""));
  if (scriptCode === undefined) rmSync(script, { force: true });
  else {
    const bytes = Buffer.from(scriptCode);
    writeWhole(script, bytes);
    if (statSync(script, { throwIfNoEntry: false })?.size !== bytes.length) return undefined;
    kept.script = { size: bytes.length, id: createHash("sha256").update(bytes).digest("hex").slice(0, 16) };
  }
  writeWhole(manifest, JSON.stringify(kept));
  return kept;
}

/**
 * The ES module bundle `code` as a script: the body of an async function (top-level `await` stays valid) that takes
 * what the module took from its banner and from `import()`, which a vm.Script can only give through an experimental
 * loader (an ExperimentalWarning on stderr, or a flag): `requireFromBundle` (createRequire, for the bundle's URL as
 * before) and `importFromBundle` for each `import("...")` esbuild left to run time (`output.imports`, the metafile's).
 * The function's head takes the banner's first line, so the lines keep their numbers in stack traces. The exports
 * (esbuild ends a bundle with one `export { ... }` clause) become getters of the object it returns, so they stay
 * live as a module's are. Undefined for a bundle without the banner or whose exports are not that one clause: it is
 * imported as a module.
 */
export function scriptForm(code, bundleUrl, output) {
  if (!code.startsWith(BANNER)) return undefined;
  let body = code.slice(BANNER.length);
  let returned = "";
  if (output.exports.length > 0) {
    const clause = EXPORT_CLAUSE.exec(body);
    const getters = clause === null ? undefined : exportGetters(clause[1], output.exports);
    if (getters === undefined) return undefined;
    body = body.slice(0, clause.index + 1);
    returned = `return { __proto__: null, ${getters} };\n`;
  }
  for (const { path, kind } of output.imports) {
    if (kind !== "dynamic-import") continue;
    const literal = JSON.stringify(path);
    body = body.replace(new RegExp(`(?<![\\w$.])import\\(${escapeRegExp(literal)}\\)`, "g"), `importFromBundle(${literal})`);
  }
  const head = `(async function (requireFromBundle, importFromBundle) {"use strict";\nconst require = requireFromBundle(${JSON.stringify(bundleUrl)});\n`;
  return `${head}${body}${returned}\n})`;
}

/** esbuild's closing export clause: `export {\n  a,\n  b as c\n};` at the very end. */
const EXPORT_CLAUSE = /\nexport \{\n((?:  [\w$]+(?: as [\w$]+)?,?\n)*)\};\n$/;

/** `get c() { return b; }` for each `b as c` of the clause; undefined unless it names exactly `exports`. */
function exportGetters(clause, exports) {
  const getters = [];
  const names = [];
  for (const entry of clause.split("\n")) {
    if (entry === "") continue;
    const [local, exported = local] = entry.trim().replace(/,$/, "").split(" as ");
    getters.push(`get ${exported}() { return ${local}; }`);
    names.push(exported);
  }
  const named = new Set(names);
  return named.size === names.length && names.length === exports.length && exports.every((name) => named.has(name)) ? getters.join(", ") : undefined;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The esbuild plugin that keeps the bundle to what the entry loads statically, with swagger-parser's substitutions
 * (`substituteFor`, see the module's comment); adds to `replaced` each module it puts another in place of.
 */
function eagerGraphOnly(substituteFor, replaced) {
  return { name: "eager-graph-only", setup: (build) => keepToEagerGraph(build, substituteFor, replaced) };
}

function keepToEagerGraph(build, substituteFor, replaced) {
  build.onResolve({ filter: /.*/ }, (args) => {
    if (args.kind === "entry-point") return undefined;
    if (args.path.startsWith("node:")) return args.kind === "import-statement" ? { path: args.path, namespace: BUILTIN } : { external: true };
    const relative = args.path.startsWith(".") || args.path.startsWith("/");
    const substitute = substituteFor(args.path, args.importer);
    if (substitute !== undefined) return { path: substitute };
    const inPlace = relative ? IN_PLACE_OF.get(resolve(args.resolveDir, args.path)) : undefined;
    if (inPlace !== undefined) {
      replaced.add(resolve(args.resolveDir, args.path));
      return { path: inPlace };
    }
    // A package's own require() is bundled with it (the package is bundled whole); an import() of anyone's is not,
    // nor a require() of ours (schema-validator-lazy.cjs' of ajv's compiler), by path: the bundle is elsewhere.
    const required = args.kind === "require-call" || args.kind === "require-resolve";
    if (required && !args.importer.includes("/node_modules/")) {
      return { path: relative ? resolve(args.resolveDir, args.path) : resolvedOrAsIs(args.path, args.importer), external: true };
    }
    if (args.kind === "dynamic-import") {
      return relative ? { path: pathToFileURL(resolve(args.resolveDir, args.path)).href, external: true } : { external: true };
    }
    if (args.path === "../locales/index.js" && ZOD_LOCALES.test(args.resolveDir)) return { path: "zod-locales", namespace: "empty" };
    return undefined;
  });
  build.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "export {};", loader: "js" }));
  build.onLoad({ filter: /.*/, namespace: BUILTIN }, (args) => ({ contents: builtinModule(args.path), loader: "js" }));
  build.onLoad({ filter: /\.(?:[cm]?ts|mjs)$/ }, (args) => {
    if (args.path.includes("/node_modules/")) return undefined;
    return { contents: withOwnImportMeta(readFileSync(args.path, "utf8"), args.path), loader: args.path.endsWith("ts") ? "ts" : "js" };
  });
}

/**
 * A built-in module imported by name (`import { join } from "node:path"`), as a module that takes each export off
 * Node's own object (process.getBuiltinModule). Left an ESM import, each built-in gets an ES module facade that copies
 * every export at once, running the lazy getters among them (node:fs's `promises`, node:crypto's `webcrypto`,
 * node:process's `report`), which load more of Node: importing the 12 built-ins the CLI uses cost ~10 ms of CPU that
 * way and ~5 ms by process.getBuiltinModule (one core, 5 runs each). Each export is marked pure, so esbuild keeps only
 * those the bundle imports: no getter runs that the code does not ask for. The names are this Node's (a bundle is
 * rebuilt for another Node); one that is not an identifier is left out, and importing it fails the build.
 */
function builtinModule(name) {
  const exports = Object.keys(process.getBuiltinModule(name)).filter((key) => IDENTIFIER.test(key));
  const module = `const builtin = process.getBuiltinModule(${JSON.stringify(name)});\nexport default builtin;\n`;
  return module + exports.map((key) => `export const ${key} = /* @__PURE__ */ (() => builtin.${key})();\n`).join("");
}

/** Where `specifier` is found from `importer`, as its require() finds it; when it is not found, the specifier. */
function resolvedOrAsIs(specifier, importer) {
  try {
    return createRequire(importer).resolve(specifier);
  } catch {
    return specifier;
  }
}

/**
 * Runs a bundle's script form (scriptForm) at `scriptPath` with its code cache (code-cache.mjs) from `cacheStem`;
 * `bundleUrl` names it in stack traces, as the module it was built from. Resolves to what the script's function
 * returns. The CLI's bundle run so compiles ~1,500 functions fewer: 21–38 ms less CPU per run on one core (Stripe,
 * GitHub, Kubernetes; the cache ~1.1 MB, read and checked in ~6 ms). What a run compiles depends little on the spec
 * (a cache made on Stripe's saves as much on GitHub's, a 2.0 spec; one made on a petstore's is 1.06 MB, one on
 * Stripe's 1.10 MB), so the first run to find none makes it: making and writing it costs that run ~8–10 ms. A first
 * run that only prints --help makes a smaller one (0.62 MB, about what Node's compile cache held). The cache's name
 * holds a hash of the script (bundleOf), so a bundle built again never meets a cache made for another.
 */
export function runWithCodeCache(scriptPath, cacheStem, bundleUrl) {
  const source = readFileSync(scriptPath, "utf8");
  // The experimental loader only for an import() scriptForm did not find: it works as the module's did, with a warning.
  const run = runCached(source, bundleUrl, cacheStem, vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER);
  return run(createRequire, importFromBundle);
}

/** The script's `import()`s, resolved from here: this folder and the bundle's find the same packages. */
function importFromBundle(specifier) {
  return import(specifier);
}

/** Removes the code caches of `name`'s earlier builds. */
function removeCodeCaches(dir, name) {
  for (const file of readdirSync(dir)) {
    if (file.startsWith(`${name}.`) && file.endsWith(".v8cache")) rmSync(join(dir, file), { force: true });
  }
}

/** `source` with its module's `import.meta` values written in; throws on any other use of `import.meta`. */
export function withOwnImportMeta(source, path) {
  const values = { url: pathToFileURL(path).href, dirname: dirname(path), filename: path };
  const code = source.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, key) => JSON.stringify(values[key]));
  if (/\bimport\.meta\b/.test(code)) throw new Error(`${path} uses import.meta in a way a bundle cannot keep`);
  return code;
}
