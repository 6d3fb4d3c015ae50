/**
 * Reads an API description (Swagger 2.0, OpenAPI 3.0 or 3.1; YAML or JSON) and validates it as
 * @apidevtools/swagger-parser does (its meta-schemas precompiled: meta-schema.ts). The document is kept with its
 * `$ref`s in place (not dereferenced): named components stay shared in the generated code and recursive schemas need
 * no special case.
 */
import { isPathSchemaRef } from "../emit/api-types-refs.ts";
import { documentTraitsAndRefs, type DocumentTraits } from "../emit/api-types-scan.ts";
import { forEachRef, resolvePointer } from "../model/refs.ts";
import type { SpecVersion } from "../model/types.ts";
import { EXCLUDE_NOTHING } from "./dereference.ts";
import { jsonBytesParser, parsedByJsonParse, takeParsedText } from "./json-bytes.ts";
import { everyJsonRefResolves, mayHoldDiscriminatorOrAllOf, resolvingJsonRefs } from "./json-refs.ts";
import { metaSchemaErrors, type AjvDetail } from "./meta-schema.ts";
import { checkSwaggerSemantics } from "./semantics.ts";
import { SwaggerParser } from "./swagger-parser.ts";
import { validWithoutDereference } from "./swagger2-quick.ts";

export type SpecDocument = Record<string, unknown>;

export interface LoadedSpec {
  /** The path as given (for messages). */
  path: string;
  document: SpecDocument;
  version: SpecVersion;
  /** The local `$ref`s that point to nothing (see danglingRefs), when found while the document was read. */
  dangling?: readonly string[];
  /**
   * What api.ts's renderer needs to know of `document` (api-types-scan.ts), when asked for (LoadOptions) and noted by
   * the walk that read its refs: an OpenAPI 3 document as parsed, not nested too deep. The renderer reads the document
   * as it is here (the model and the emitters only read it), so these hold until it is validated, which rewrites it.
   */
  apiTypesTraits?: DocumentTraits;
  /**
   * The file references other files, whose content was bundled into `document`: the file's bytes alone do not say
   * what it contains (the api.ts cache's key, api-types-cache.ts).
   */
  bundled?: true;
  /**
   * `document` is as JSON.parse made it (json-bytes.ts: a tree, no object reached twice) and nothing has written into
   * it: holds until something does (validation, which dereferences it in place; on one core the model may too).
   */
  parsedTree?: true;
}

export interface LoadOptions {
  /**
   * Note api.ts's document traits while reading the refs, for a renderer in this thread: one walk of the document for
   * both (GitHub's 13 MB: ~0.05 s of CPU per walk). Swagger 2.0 is converted before api.ts is rendered, so its traits
   * are found on the conversion.
   */
  apiTypesTraits?: boolean;
}

/** An invalid or unreadable spec. Each problem is located by its JSON pointer in the document. */
export class SpecError extends Error {
  readonly problems: readonly string[];
  constructor(path: string, summary: string, problems: readonly string[]) {
    super([`${path}: ${summary}`, ...problems.map((p) => `  ${p}`)].join("\n"));
    this.name = "SpecError";
    this.problems = problems;
  }
}

/**
 * Reads the document and detects its version; validation is a separate step (see validateSpec). `bytes`: the file's
 * content when the caller has read it already (generate() reads it once for this and for the api.ts cache's key).
 */
export async function loadSpec(path: string, bytes?: Promise<Buffer>, options: LoadOptions = {}): Promise<LoadedSpec> {
  const { document, dangling, traits, bundled } = await readDocument(path, bytes, options);
  const spec: LoadedSpec = { path, document, version: detectVersion(path, document) };
  if (dangling) spec.dangling = dangling;
  if (traits) spec.apiTypesTraits = traits;
  if (bundled) spec.bundled = true;
  // A bundled document has other files' content written into it (swagger-parser reads it itself today, so it is not
  // marked anyway; this keeps it so should the bundling ever be given the bytes).
  if (!bundled && parsedByJsonParse(document)) spec.parsedTree = true;
  return spec;
}

/**
 * Validates against the OpenAPI / Swagger meta-schema and swagger-parser's semantic checks (~0.16 s of CPU on
 * GitHub's spec, ~0.25 s on Kubernetes' Swagger 2.0, which is dereferenced first: one core, a busy host). Throws a
 * SpecError listing every problem, each led by its JSON pointer.
 *
 * swagger-parser dereferences the document in place, so this consumes `spec.document`: call it when nothing else
 * will read the document (copying 13 MB to avoid that costs ~0.1 s).
 */
export async function validateSpec(spec: LoadedSpec): Promise<void> {
  throwIfInvalid(spec.path, await specProblems(spec));
}

/** What validateSpec finds, without throwing: none when the spec is valid (it consumes `spec.document` alike). */
export async function specProblems(spec: LoadedSpec): Promise<readonly string[]> {
  const dangling = spec.dangling ?? danglingRefs(spec.document);
  return dangling.length > 0 ? dangling : validationProblemsOf(spec.document, spec.version);
}

/** The SpecError validateSpec throws for these problems, if there are any. */
export function throwIfInvalid(path: string, problems: readonly string[]): void {
  if (problems.length > 0) throw new SpecError(path, "invalid API description", problems);
}

interface ReadDocument {
  document: SpecDocument;
  dangling?: string[];
  traits?: DocumentTraits | undefined;
  bundled?: true;
}

async function readDocument(path: string, bytes: Promise<Buffer> | undefined, options: LoadOptions): Promise<ReadDocument> {
  // The bytes already read are given to swagger-parser's file resolver (parse reads the one file); when reading failed,
  // swagger-parser reads the file itself, so its error is reported as before. Those bytes are parsed as JSON without
  // the two-byte copy of their text (json-bytes.ts), the same document or the library's own error.
  const read = await bytes?.catch(() => undefined);
  const parseOptions = read ? { resolve: { file: { read: () => read } }, parse: { json: jsonBytesParser } } : {};
  let document: SpecDocument;
  try {
    document = (await SwaggerParser.parse(path, parseOptions as never)) as unknown as SpecDocument;
  } catch (error) {
    throw new SpecError(path, "cannot read the API description", [messageOf(error)]);
  }
  // One walk finds both whether the spec references other files and its dangling local refs (validation reports
  // those first): a walk of GitHub's document costs about as much as reading it.
  // The JSON text it was parsed from, taken (and so let go) in any case.
  const text = takeParsedText(document);
  const refs = readRefs(document, options.apiTypesTraits === true && document["swagger"] !== "2.0", text);
  // A single-file spec is used as parsed; only a spec that references other files needs bundling, which is slow on
  // large documents (about 0.8 s for GitHub's). The bundled document's refs are checked when it is validated.
  if (!refs.external) return { document, dangling: refs.dangling, traits: refs.traits };
  try {
    return { document: (await SwaggerParser.bundle(path)) as unknown as SpecDocument, bundled: true };
  } catch (error) {
    throw new SpecError(path, "cannot resolve an external $ref", [messageOf(error)]);
  }
}

function detectVersion(path: string, document: SpecDocument): SpecVersion {
  const swagger = document["swagger"];
  const openapi = document["openapi"];
  if (swagger === "2.0") return "2.0";
  if (typeof openapi === "string" && /^3\.0\.\d+/.test(openapi)) return "3.0";
  if (typeof openapi === "string" && /^3\.1\.\d+/.test(openapi)) return "3.1";
  const found = swagger !== undefined ? `swagger: ${String(swagger)}` : openapi !== undefined ? `openapi: ${String(openapi)}` : "no version field";
  throw new SpecError(path, "unsupported API description version", [
    `#/ ${found}; expected swagger: "2.0", openapi: 3.0.x or openapi: 3.1.x`,
  ]);
}

/**
 * The problems in a document, each led by a JSON pointer, or an empty list. Circular references are legal
 * (recursive schemas).
 */
async function validationProblemsOf(
  document: SpecDocument,
  version: SpecVersion,
): Promise<string[]> {
  // A Swagger 2.0 document found valid as it is, refs in place, is one the steps below find valid (swagger2-quick.ts):
  // Kubernetes 1.13's dereference, ~30 ms of its ~65 ms of validation, is skipped.
  if (version === "2.0" && validWithoutDereference(document)) return [];
  return dereferencedProblems(document, version);
}

/** validationProblemsOf's steps without the quick answer (exported for the test that holds the two together). */
export async function dereferencedProblems(document: SpecDocument, version: SpecVersion): Promise<string[]> {
  // swagger-parser's semantic checks exist for Swagger 2.0 only and need the document dereferenced. For OpenAPI 3
  // its validation is the meta-schema alone, which accepts `$ref`s where they are allowed: dereferencing first would
  // only make it validate every shared component again at each use (twice the time on GitHub's spec).
  const dereference = version === "2.0" ? { circular: "ignore" as const, excludedPathMatcher: EXCLUDE_NOTHING } : { circular: "ignore" as const, excludedPathMatcher: () => true };
  // SwaggerParser.validate's steps in its order (lib/index.js), its meta-schema check precompiled (meta-schema.ts):
  // dereference, then the meta-schema, then the semantic checks.
  let dereferenced: SpecDocument;
  try {
    // External refs were bundled when the document was read (readDocument): nothing is left to look for, and looking
    // walks the whole document (0.1–0.2 s of CPU on GitHub's).
    const skip = { schema: false, spec: false } as const;
    dereferenced = (await SwaggerParser.validate(document as never, { dereference, resolve: { external: false }, validate: skip } as never)) as unknown as SpecDocument;
  } catch (error) {
    return validationProblems(error);
  }
  const schemaErrors = metaSchemaErrors(dereferenced, version);
  if (schemaErrors.length > 0) return summariseSchemaErrors(schemaErrors);
  try {
    checkSwaggerSemantics(dereferenced);
    return [];
  } catch (error) {
    return validationProblems(error);
  }
}

/** Turns swagger-parser's error into one line per problem, each starting with a JSON pointer. */
function validationProblems(error: unknown): string[] {
  const details = (error as { details?: AjvDetail[] }).details;
  if (Array.isArray(details) && details.length > 0) return summariseSchemaErrors(details);
  return messageOf(error)
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !/validation failed\.?$/.test(line));
}

/**
 * The OpenAPI meta-schema validator reports every failed `oneOf` branch; the "$ref"/"oneOf" lines are noise as soon
 * as a more specific complaint exists for the same place.
 */
function summariseSchemaErrors(details: AjvDetail[]): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const detail of details) {
    const message = detail.message ?? "is invalid";
    if (/required property '\$ref'|match exactly one schema in oneOf|must match a schema in anyOf/.test(message)) continue;
    const line = `#${detail.instancePath ?? ""} ${message}`;
    if (!seen.has(line)) {
      seen.add(line);
      lines.push(line);
    }
  }
  if (lines.length > 0) return lines;
  return details.map((d) => `#${d.instancePath ?? ""} ${d.message ?? "is invalid"}`);
}

/**
 * Local `$ref`s that point to nothing, each located by the pointer of the object that holds it (checked before
 * swagger-parser, which reports only the missing target, not where the link is).
 */
function danglingRefs(document: SpecDocument): string[] {
  return readRefs(document).dangling;
}

interface RefsRead {
  /** Whether any `$ref` names another file. */
  external: boolean;
  dangling: string[];
  /** api.ts's traits of the document, when asked for and the walk could note them. */
  traits?: DocumentTraits | undefined;
}

/** Whether any `$ref` names another file, and the dangling local ones (each target looked up once). */
function readRefs(document: SpecDocument, withTraits = false, text?: string): RefsRead {
  // With no traits to note, the JSON text may tell that there is nothing to find (json-refs.ts); else the walk says.
  if (!withTraits && text !== undefined && everyJsonRefResolves(document, text)) return { external: false, dangling: [] };
  if (withTraits && text !== undefined) {
    const traits = plainTraitsFromText(document, text);
    if (traits) return { external: false, dangling: [], traits };
  }
  if (withTraits) {
    const read = refsReader(document);
    const traits = documentTraitsAndRefs(document, read.visit);
    if (traits) return { ...read.result(), traits };
    // Nested too deep to note them: the refs are read again below, from the start.
  }
  const read = refsReader(document);
  forEachRef(document, read.visit);
  return read.result();
}

/**
 * The walk's findings told by the JSON text alone (json-refs.ts), in the usual case where the walk would find nothing:
 * every ref local and resolving, none a schema inside `paths` or `webhooks`, and no object with a `discriminator` or
 * an `allOf` key, so traits as the walk notes them for such a document (an empty `scanWithin`). Undefined otherwise:
 * the walk says. Stripe's read on one core (where api.ts's traits are noted): the walk of ~28,000 objects, ~6 ms of
 * CPU, becomes two searches and one regular expression over its 2.5 MB (~3 ms).
 */
function plainTraitsFromText(document: SpecDocument, text: string): DocumentTraits | undefined {
  if (mayHoldDiscriminatorOrAllOf(text)) return undefined;
  const refs = resolvingJsonRefs(document, text);
  if (refs === undefined) return undefined;
  // The text's refs may be more than the walk's (json-refs.ts), so one that looks like a path schema's is the walk's.
  for (const ref of refs) if ((ref.includes("paths/") || ref.includes("webhooks/")) && isPathSchemaRef(ref)) return undefined;
  return { pathSchemaRefs: false, mayHaveDiscriminators: false, scanWithin: new Set() };
}

/** The visitor of a walk of every `$ref` (forEachRef's), and what it found once the walk is over. */
function refsReader(document: SpecDocument) {
  const dangling: string[] = [];
  const resolves = new Map<string, boolean>();
  let external = false;
  const visit = (ref: string, holder: () => string): void => {
    if (!ref.startsWith("#")) {
      external = true;
      return;
    }
    let found = resolves.get(ref);
    if (found === undefined) resolves.set(ref, (found = resolvePointer(document, ref) !== undefined));
    if (!found) dangling.push(`${holder()}/$ref: "${ref}" points to nothing`);
  };
  return { visit, result: (): RefsRead => ({ external, dangling }) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
