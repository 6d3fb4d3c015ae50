/**
 * @apidevtools/swagger-parser, loaded without its meta-schema validator (lib/validators/schema.js), which loads
 * ajv's whole compiler and the OpenAPI schemas at start (~25–45 ms of CPU per run) although the generator never
 * calls it (spec/meta-schema.ts checks the meta-schemas with precompiled validators). A resolve hook
 * (`module.registerHooks`: synchronous, this thread only) sends swagger-parser's own requires of it to
 * schema-validator-lazy.cjs, the same function loaded on first call, so any caller that does validate with it
 * (`validate.schema` on) gets swagger-parser's behaviour unchanged; it also sends json-schema-ref-parser's imports of
 * its dereference to dereference.ts and of its util/url.js to ref-parser-url.ts (package-substitutes.mjs has the
 * rules).
 *
 * The start-up bundle (eager-bundle.mjs) holds swagger-parser-bundled.ts in this module's place: the packages bundled
 * with the same substitutions made by its plugin.
 */
import { createRequire, registerHooks } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { substituteFor } from "./package-substitutes.mjs";

type SwaggerParserModule = typeof import("@apidevtools/swagger-parser");

const hooks = registerHooks({
  resolve(specifier, context, nextResolve) {
    const parent = context.parentURL?.startsWith("file:") === true ? fileURLToPath(context.parentURL) : undefined;
    const substitute = parent === undefined ? undefined : substituteFor(specifier, parent);
    return substitute === undefined ? nextResolve(specifier, context) : { url: pathToFileURL(substitute).href, shortCircuit: true };
  },
});

const require = createRequire(import.meta.url);
export const SwaggerParser = require("@apidevtools/swagger-parser") as SwaggerParserModule;
/** swagger-parser's semantic checks (Swagger 2.0 only; it returns at once for OpenAPI 3), as its validate runs them. */
export const checkSemantics = require("@apidevtools/swagger-parser/lib/validators/spec.js") as (api: Record<string, unknown>) => void;
// swagger-parser requires its validators as it loads: the hook has done its work, and left in place it would run for
// every later module resolution of this thread.
hooks.deregister();
