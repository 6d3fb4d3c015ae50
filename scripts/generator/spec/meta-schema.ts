/**
 * The OpenAPI / Swagger meta-schema check of swagger-parser (its lib/validators/schema.js: the same schemas, ajv
 * options and errors), run by validators compiled ahead of time (meta-schemas/build.ts) rather than compiled by ajv
 * at every run.
 */
import { createRequire } from "node:module";
import type { SpecVersion } from "../model/types.ts";

/** The compiled validator of each version, in meta-schemas/. */
export const VALIDATOR_FILES: Readonly<Record<SpecVersion, string>> = {
  "2.0": "swagger-2.0.cjs",
  "3.0": "openapi-3.0.cjs",
  "3.1": "openapi-3.1.cjs",
};

/**
 * Validators of the same meta-schemas compiled without `allErrors`, which stop at a document's first error, their code
 * stripped of what only errors need (meta-schemas/verdict-only.ts): ajv's answer (valid or not) does not depend on
 * that option, only the errors collected do. Checking a valid document with them is cheaper: the OpenAPI 3.0 schema's
 * `oneOf: [Schema, Reference]` at every schema makes ajv try the branch that fails at each node, and with `allErrors`
 * it goes on through that branch, building an error object for each thing wrong; either way ajv builds the JSON
 * pointer of every node it visits, which only errors use (GitHub's 13 MB, a first call on one core: ~0.25 s with
 * allErrors, ~30 % less without, ~30 % less again verdict-only). When one says invalid, the `allErrors` validator runs
 * to produce the errors, so they stay ajv's own.
 */
export const VALID_ONLY_FILES: Readonly<Partial<Record<SpecVersion, string>>> = {
  "2.0": "swagger-2.0-valid.cjs",
  "3.0": "openapi-3.0-valid.cjs",
  "3.1": "openapi-3.1-valid.cjs",
};

/** An ajv error, as swagger-parser passes them on in `details`. */
export interface AjvDetail {
  instancePath?: string;
  message?: string;
}

interface CompiledValidator {
  (document: unknown): boolean;
  errors?: AjvDetail[] | null;
}

const load = createRequire(new URL("./meta-schemas/", import.meta.url));

/** What the meta-schema finds wrong with the document, in ajv's order; empty when it is valid. */
export function metaSchemaErrors(document: unknown, version: SpecVersion): AjvDetail[] {
  const validOnly = VALID_ONLY_FILES[version];
  if (validOnly !== undefined && (load(`./${validOnly}`) as CompiledValidator)(document)) return [];
  const validate = load(`./${VALIDATOR_FILES[version]}`) as CompiledValidator;
  return validate(document) ? [] : (validate.errors ?? []);
}
