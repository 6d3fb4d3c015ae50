/**
 * The modules of swagger-parser and json-schema-ref-parser that the generator replaces with its own, as one rule for
 * both ways they are loaded: the resolve hook in swagger-parser.ts (the packages' own files, loaded by Node) and the
 * start-up bundle's esbuild plugin (eager-bundle.mjs), so that a bundled run loads what an unbundled one does.
 * - swagger-parser's meta-schema validator (lib/validators/schema.js, required as "./validators/schema" by
 *   lib/index.js and lib/options.js): schema-validator-lazy.cjs, the same function loaded on first call;
 * - json-schema-ref-parser's dereference (imported as "./dereference.js" by dist/lib/index.js): dereference.ts;
 * - json-schema-ref-parser's util/url.js (imported as "./util/url.js" or "../util/url.js" by the modules of dist/lib
 *   and dist/lib/resolvers): ref-parser-url.ts, the same module with a quicker `resolve`.
 * Plain JavaScript: eager-bundle.mjs loads it before any TypeScript.
 */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const LAZY_SCHEMA_VALIDATOR = fileURLToPath(new URL("./schema-validator-lazy.cjs", import.meta.url));
export const DEREFERENCE = fileURLToPath(new URL("./dereference.ts", import.meta.url));
export const REF_PARSER_URL = fileURLToPath(new URL("./ref-parser-url.ts", import.meta.url));

const SWAGGER_PARSER_LIB = "/node_modules/@apidevtools/swagger-parser/lib";
const REF_PARSER_LIB = "/node_modules/@apidevtools/json-schema-ref-parser/dist/lib";
const REF_PARSER_INDEX = `${REF_PARSER_LIB}/index.js`;

/** The path of our module that stands in for `specifier` as the file at path `parent` asks for it, if any. */
export function substituteFor(specifier, parent) {
  if (specifier === "./validators/schema" && dirname(parent).endsWith(SWAGGER_PARSER_LIB)) return LAZY_SCHEMA_VALIDATOR;
  if (specifier === "./dereference.js" && parent.endsWith(REF_PARSER_INDEX)) return DEREFERENCE;
  if (specifier === "./util/url.js" && dirname(parent).endsWith(REF_PARSER_LIB)) return REF_PARSER_URL;
  if (specifier === "../util/url.js" && dirname(parent).endsWith(`${REF_PARSER_LIB}/resolvers`)) return REF_PARSER_URL;
  return undefined;
}
