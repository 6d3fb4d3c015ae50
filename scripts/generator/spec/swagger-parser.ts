/**
 * @apidevtools/swagger-parser, loaded without its meta-schema validator (lib/validators/schema.js), which loads
 * ajv's whole compiler and the OpenAPI schemas at start (~25–45 ms of CPU per run) although the generator never
 * calls it (spec/meta-schema.ts checks the meta-schemas with precompiled validators). A resolve hook
 * (`module.registerHooks`: synchronous, this thread only) sends swagger-parser's own require of it to
 * schema-validator-lazy.cjs, the same function loaded on first call, so any caller that does validate with it
 * (`validate.schema` on) gets swagger-parser's behaviour unchanged.
 */
import { createRequire, registerHooks } from "node:module";

type SwaggerParserModule = typeof import("@apidevtools/swagger-parser");

const LAZY = new URL("./schema-validator-lazy.cjs", import.meta.url).href;
const DEREFERENCE = new URL("./dereference.ts", import.meta.url).href;

const hooks = registerHooks({
  resolve(specifier, context, nextResolve) {
    const fromSwaggerParser = context.parentURL?.endsWith("/node_modules/@apidevtools/swagger-parser/lib/index.js") === true;
    if (fromSwaggerParser && specifier === "./validators/schema") return { url: LAZY, shortCircuit: true };
    // json-schema-ref-parser's dereference, with a crawl that does not repeat finished objects (dereference.ts).
    const fromRefParser = context.parentURL?.endsWith("/node_modules/@apidevtools/json-schema-ref-parser/dist/lib/index.js") === true;
    if (fromRefParser && specifier === "./dereference.js") return { url: DEREFERENCE, shortCircuit: true };
    return nextResolve(specifier, context);
  },
});

export const SwaggerParser = createRequire(import.meta.url)("@apidevtools/swagger-parser") as SwaggerParserModule;
// swagger-parser requires its validators as it loads: the hook has done its work, and left in place it would run for
// every later module resolution of this thread.
hooks.deregister();
