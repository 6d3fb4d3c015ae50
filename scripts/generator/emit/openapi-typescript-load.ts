/**
 * Loads the parts of openapi-typescript that api-types.ts uses, as cheaply as Node allows (GitHub's spec: importing
 * the package cost ~0.75 s of CPU on every run, now ~0.2 s with Node's compile cache warm; see docs/benchmarks.md).
 *
 * - Only three of its modules: the package exports each of its files (`"./*"` in its package.json), and its index
 *   also loads all of @redocly/openapi-core (with ajv) for the lint and bundle passes api-types.ts skips.
 * - TypeScript by `require`: openapi-typescript's `.mjs` files `import ts from "typescript"`, a 9 MB CommonJS file.
 *   Imported from ESM, Node first detects its format (a failed parse as ESM) and runs cjs-module-lexer over all of it
 *   to find named exports, and neither is kept by the compile cache; openapi-typescript only uses the default export.
 *   A resolve hook (`module.registerHooks`: synchronous, this thread only) sends those imports to typescript-cjs.ts,
 *   which `require`s the very file Node resolved.
 * - Redocly's JSON Pointer functions (`@redocly/openapi-core/lib/ref-utils.js`, with the utilities it loads) replaced
 *   by the same hook with equivalent cheaper ones: openapi-typescript-pointers.ts; and for swagger2openapi (which
 *   api-types.ts loads after this), reftools' document walk by reftools-walks.ts (swagger2openapi's three walks of
 *   the whole document, the others by reftools-recurse.ts) and its deep copy by
 *   reftools-clone.ts, and node-fetch-h2 (for external references, never fetched here) by node-fetch-lazy.ts.
 */
import { createRequire, registerHooks } from "node:module";
import { fileURLToPath } from "node:url";

type OpenApiTypescript = Pick<
  typeof import("openapi-typescript"),
  "astToString" | "createRef" | "resolveRef" | "scanDiscriminators" | "transformSchema" | "warn"
> & {
  /** The TypeScript module openapi-typescript builds its nodes with. */
  ts: typeof import("typescript");
};

const SHIM = new URL("./typescript-cjs.ts", import.meta.url).href;
/** Redocly's pointer functions, as openapi-typescript imports them, and ours that stand in for them. */
const REF_UTILS = "@redocly/openapi-core/lib/ref-utils.js";
const POINTERS = new URL("./openapi-typescript-pointers.ts", import.meta.url).href;
/** reftools' walk, as swagger2openapi requires it (api-types.ts's Swagger 2.0 conversion), and ours. */
const RECURSE = "reftools/lib/recurse.js";
const RECURSE_HERE = new URL("./reftools-walks.ts", import.meta.url).href;
/** reftools' clone functions, as swagger2openapi requires them, and ours (its circularClone repeated). */
const CLONE = "reftools/lib/clone.js";
const CLONE_HERE = new URL("./reftools-clone.ts", import.meta.url).href;
/** node-fetch-h2, as swagger2openapi and oas-resolver require it, and a stand-in that loads it when called. */
const FETCH = "node-fetch-h2";
const FETCH_HERE = new URL("./node-fetch-lazy.ts", import.meta.url).href;
const MODULES: readonly string[] = ["transform/index.mjs", "lib/ts.mjs", "lib/utils.mjs"].map((file) => `openapi-typescript/dist/${file}`);
let hooked = false;
/** The TypeScript file openapi-typescript imports, once the hook has seen it. */
let typescriptFile: string | undefined;

/**
 * Registers the resolve hook below, once per thread: before openapi-typescript is imported, and before swagger2openapi
 * is (api-types.ts's Swagger 2.0 conversion, which runs even when the library is not loaded at all).
 */
export function installResolveHook(): void {
  if (hooked) return;
  hooked = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const fromOpenApiTypescript = context.parentURL?.includes("/node_modules/openapi-typescript/") === true;
      if (fromOpenApiTypescript && specifier === REF_UTILS) return { url: POINTERS, shortCircuit: true };
      const fromSwagger2openapi = context.parentURL?.includes("/node_modules/swagger2openapi/") === true;
      if (fromSwagger2openapi && specifier === RECURSE) return { url: RECURSE_HERE, shortCircuit: true };
      if (fromSwagger2openapi && specifier === CLONE) return { url: CLONE_HERE, shortCircuit: true };
      if (specifier === FETCH && (fromSwagger2openapi || context.parentURL?.includes("/node_modules/oas-resolver/"))) return { url: FETCH_HERE, shortCircuit: true };
      const resolved = nextResolve(specifier, context);
      if (specifier !== "typescript" || !fromOpenApiTypescript) return resolved;
      typescriptFile = fileURLToPath(resolved.url);
      return { url: `${SHIM}?${new URLSearchParams({ require: resolved.url })}`, shortCircuit: true };
    },
  });
}

export async function importOpenApiTypescript(): Promise<OpenApiTypescript> {
  installResolveHook();
  const [transform, ts, utils] = (await Promise.all(MODULES.map((specifier) => import(specifier)))) as [
    { default: OpenApiTypescript["transformSchema"] },
    Pick<OpenApiTypescript, "astToString">,
    Pick<OpenApiTypescript, "createRef" | "resolveRef" | "scanDiscriminators" | "warn">,
  ];
  // The very file openapi-typescript's import was sent to, by `require` as the shim does: the same module instance
  // (one per file in require's cache). Had the modules been loaded before the hook was registered, `require` from
  // their folder finds the same file.
  const typescript = createRequire(import.meta.url)(
    typescriptFile ?? createRequire(createRequire(import.meta.url).resolve(MODULES[1]!)).resolve("typescript"),
  ) as OpenApiTypescript["ts"];
  return {
    transformSchema: transform.default,
    astToString: ts.astToString,
    createRef: utils.createRef,
    resolveRef: utils.resolveRef,
    scanDiscriminators: utils.scanDiscriminators,
    warn: utils.warn,
    ts: typescript,
  };
}
