/**
 * swagger-parser.ts as the start-up bundle holds it (eager-bundle.mjs puts this module in its place): plain imports,
 * which esbuild bundles with the substitutions swagger-parser.ts's resolve hook makes (package-substitutes.mjs).
 * Loaded by itself, outside a bundle, it would get the packages' own validator and dereference: never import it.
 */
import swaggerParser from "@apidevtools/swagger-parser";
// @ts-expect-error: the package declares no types for its validators.
import semanticChecks from "@apidevtools/swagger-parser/lib/validators/spec.js";

type SwaggerParserModule = typeof import("@apidevtools/swagger-parser");

export const SwaggerParser = swaggerParser as SwaggerParserModule;
/** swagger-parser's semantic checks (Swagger 2.0 only; it returns at once for OpenAPI 3), as its validate runs them. */
export const checkSemantics = semanticChecks as (api: Record<string, unknown>) => void;
