/**
 * The api.ts worker thread's entry; api-types-worker.ts does the work. JavaScript, like the CLI's entry
 * (scripts/generate.mjs), so that the thread turns the stripped-module cache on before it loads any TypeScript: a
 * TypeScript entry had Node load its stripper (amaro's WebAssembly) in the worker too, ~40 ms of CPU on every
 * two-core run before the worker could start on api.ts. Its modules load from one pre-built file as the CLI's do
 * (eager-bundle.mjs).
 */
import { CACHE_DIR, useCompileCache } from "../compile-cache.mjs";
import { importBundled } from "../eager-bundle.mjs";
// Node's built-ins from its own objects, not through ES module facades (eager-bundle.mjs, builtinModule: why).
const { join } = process.getBuiltinModule("node:path");

useCompileCache();
await importBundled(new URL("./api-types-worker.ts", import.meta.url).href, join(CACHE_DIR, "bundle"));
