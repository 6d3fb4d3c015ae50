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
  const validate = load(`./${VALIDATOR_FILES[version]}`) as CompiledValidator;
  return validate(document) ? [] : (validate.errors ?? []);
}
