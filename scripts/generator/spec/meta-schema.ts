/**
 * The OpenAPI / Swagger meta-schema check of swagger-parser (its lib/validators/schema.js: the same schemas, ajv
 * options and errors), run by validators compiled ahead of time (meta-schemas/build.ts) rather than compiled by ajv
 * at every run.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runWithCodeCache } from "../code-cache.mjs";
import { CACHE_DIR } from "../compile-cache.mjs";
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

const FOLDER = fileURLToPath(new URL("./meta-schemas/", import.meta.url));
const requireHere = createRequire(FOLDER);
const load = process.env["NODE_DISABLE_COMPILE_CACHE"] || process.env["MCP_BRIDGE_NO_BUNDLE"] ? (file: string) => requireHere(`./${file}`) as CompiledValidator : loadWithCodeCache;
const loaded = new Map<string, CompiledValidator>();

/**
 * A validator module, loaded as require() loads it (Node's CommonJS wrapper, on one line with the file's first, and
 * its own require) but with its code cache (code-cache.mjs): each validator is a few large functions compiled at their
 * first call on every run, from ~170 KB of source. Its first check, in fresh processes on one core (medians of 11):
 * Stripe's 26.5 → 22.4 ms, Kubernetes' 36.6 → 33.1. The cache is named for the file's path, size and mtime (V8 itself
 * checks only the length). NODE_DISABLE_COMPILE_CACHE=1 or MCP_BRIDGE_NO_BUNDLE=1 load it by require() itself.
 */
function loadWithCodeCache(file: string): CompiledValidator {
  let validator = loaded.get(file);
  if (validator === undefined) {
    const path = join(FOLDER, file);
    const stats = statSync(path);
    const stem = join(CACHE_DIR, "code-cache", `${basename(path)}.${createHash("sha256").update(`${path}\0${stats.size}\0${stats.mtimeMs}`).digest("hex").slice(0, 16)}`);
    const source = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(path, "utf8")}\n})`;
    const run = runWithCodeCache(source, path, stem) as (...args: unknown[]) => void;
    const module = { exports: {} as unknown };
    run(module.exports, createRequire(path), module, path, dirname(path));
    validator = module.exports as CompiledValidator;
    loaded.set(file, validator);
  }
  return validator;
}

/** The verdict-only validator's answer (VALID_ONLY_FILES): whether the meta-schema finds nothing wrong. */
export function metaSchemaValid(document: unknown, version: SpecVersion): boolean {
  const validOnly = VALID_ONLY_FILES[version];
  return validOnly !== undefined ? load(validOnly)(document) : load(VALIDATOR_FILES[version])(document);
}

/** What the meta-schema finds wrong with the document, in ajv's order; empty when it is valid. */
export function metaSchemaErrors(document: unknown, version: SpecVersion): AjvDetail[] {
  const validOnly = VALID_ONLY_FILES[version];
  if (validOnly !== undefined && load(validOnly)(document)) return [];
  const validate = load(VALIDATOR_FILES[version]);
  return validate(document) ? [] : (validate.errors ?? []);
}
