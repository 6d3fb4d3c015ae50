/**
 * npm run generate -- [--config <bridge.yaml>] [--out <dir>] [--check] [--strict] [--verbose]
 *
 * The CLI is generate-main.ts; this entry only holds V8's optimising compiler back for a run that calls most of its
 * code once (generator/jit.mjs), and turns Node's compile cache and the stripped-module cache on first, so
 * that they cover the modules the CLI loads (static imports are all loaded before a module's first line runs), and
 * leaves zod's locales out of them (generator/zod-locales.mjs); the modules generate-main.ts loads at start come from one
pre-built file when they can (generator/eager-bundle.mjs). It is JavaScript, as are the modules it loads before
 * that, so a run whose modules are all cached loads no TypeScript stripper (generator/compile-cache.mjs).
 * `node scripts/generate.ts` runs the same CLI.
 */
import { CACHE_DIR, useCompileCache } from "./generator/compile-cache.mjs";
import { importBundled } from "./generator/eager-bundle.mjs";
import { holdBackTurbofan, loadBuiltinsBeforeHoldingBack } from "./generator/jit.mjs";
import { withoutZodLocales } from "./generator/zod-locales.mjs";
// Node's built-ins from its own objects, not through ES module facades (eager-bundle.mjs, builtinModule: why).
const { join } = process.getBuiltinModule("node:path");

loadBuiltinsBeforeHoldingBack();
holdBackTurbofan();
useCompileCache();
await withoutZodLocales(() => importBundled(new URL("./generate-main.ts", import.meta.url).href, join(CACHE_DIR, "bundle")));
