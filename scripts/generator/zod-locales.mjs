/**
 * zod's entry loads every one of its ~60 locales, for one re-export (`export * as locales`, in zod/v4/core/index.js
 * and zod/v4/classic/external.js: `z.locales`, `z.core.locales`) the generator never reads; zod loads English, its
 * default, itself (classic/schemas.js imports locales/en.js). While the CLI's modules load, a resolve hook
 * (`module.registerHooks`: synchronous, this thread only) answers those two imports with an empty module: 63 modules
 * fewer, ~14 ms of CPU and ~4 MB of peak RSS per run. Plain JavaScript, for the CLI's entry (compile-cache.mjs says
 * why).
 */
// Node's built-ins from its own objects, not through ES module facades (eager-bundle.mjs, builtinModule: why).
const { registerHooks } = process.getBuiltinModule("node:module");

const LOCALES = "../locales/index.js";
const REEXPORTING = /\/node_modules\/zod\/v4\/(?:core\/index|classic\/external)\.js$/;
const EMPTY = "data:text/javascript,export {};";

/** Runs `load` (the import of modules that use zod) with zod's locales left out, then removes the hook. */
export async function withoutZodLocales(load) {
  const hooks = registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === LOCALES && REEXPORTING.test(context.parentURL ?? "")) return { url: EMPTY, shortCircuit: true };
      return nextResolve(specifier, context);
    },
  });
  try {
    return await load();
  } finally {
    // Every module zod's entry imports is loaded by now; left in place the hook would run on every later resolution.
    hooks.deregister();
  }
}
