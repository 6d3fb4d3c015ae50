/**
 * `generated/api.ts`: TypeScript types of the whole API, by openapi-typescript (paths, operations, components), for
 * code and reviewers that want the API's own types beside the tools.
 *
 * The text is openapi-typescript 7's, with the options its CLI would use by default, for a document the spec loader
 * has already validated and bundled (so without its own Redocly lint and bundle passes). It is written by one of two
 * ways, the same bytes either way:
 * - directly from the document (api-types-direct.ts: the library's transform repeated, writing text instead of
 *   TypeScript nodes, neither openapi-typescript nor TypeScript loaded; GitHub's spec: ~0.5 s of CPU where the
 *   library took ~1.2 s), which gives up on anything it does not reproduce exactly;
 * - else by the library: its `transformSchema` (loaded by openapi-typescript-load.ts), the tree written by a printer
 *   of ours (api-types-print.ts: TypeScript's printer's bytes for half its CPU or less, TypeScript's printer itself
 *   for any form ours does not know).
 * openapi-typescript 7 reads OpenAPI 3 only, so a Swagger 2.0 document is converted first (swagger2openapi). The types
 * are a convenience: a spec they cannot be made from still gets its tools, and api.ts then says why it is empty.
 */
import { createRequire } from "node:module";
import type { transformSchema } from "openapi-typescript";
import type { SpecDocument } from "../spec/load.ts";
import type { Notice, SpecVersion } from "../model/types.ts";
import { hoistPathSchemaRefs } from "./api-types-refs.ts";
import { documentTraits, type DocumentTraits } from "./api-types-scan.ts";
import { scanDiscriminators } from "./discriminators.ts";
import { createTypesPrinter, type TypesPrinter } from "./api-types-print.ts";
import { importOpenApiTypescript, installResolveHook } from "./openapi-typescript-load.ts";
import { emitApiTypes, emitApiTypesUtf8 } from "./api-types-direct.ts";
import { typesFromUtf8 } from "./api-types-file.ts";
import { convertSwagger2 } from "./swagger2-convert.ts";
import type { Context as EmitterContext } from "./api-types-schema.ts";
import { createRef, resolveRef } from "./openapi-typescript-refs.ts";

/** api.ts below its header: the header names the spec as bridge.yaml gives it, the rest depends on the document only. */
export interface ApiTypes {
  body: string;
  /**
   * The body's UTF-8, written as it is: as the direct emitter wrote it (its text is then decoded only if `body` is
   * read: the tests, `npm start`), as the worker posted it (api-types-protocol.ts' PostedApiTypes), or encoded once
   * rendered on this thread (api-types-job.ts).
   */
  utf8?: Uint8Array;
  /** `body.length`, when known without reading `body` (the cache's entry records it). */
  length?: number;
  /** Why the types could not be made, when they could not. */
  notice?: Notice;
}

/**
 * Runs in a worker thread (api-types-worker.ts) or in the main thread on one core; see api-types-job.ts. `traits`: the
 * document's, when the spec loader noted them (spec/load.ts); else they are found here. `libraryConversion`: a
 * Swagger 2.0 document converted by swagger2openapi only (for the tests that hold swagger2-convert.ts to it). `tree`: no
 * object of `document` is reached twice (LoadedSpec.parsedTree), which the 2.0 conversion then need not check.
 */
export async function renderApiTypes(document: SpecDocument, version: SpecVersion, traits?: DocumentTraits, libraryConversion = false, tree = false): Promise<ApiTypes> {
  try {
    const prepared = await prepare(document, version, traits, libraryConversion, tree);
    return directTypes(prepared) ?? { body: await libraryBody(prepared) };
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0]!.replace(/^\s*✘\s*/, "");
    return {
      body: `// openapi-typescript could not type this spec: ${reason}\nexport {};\n`,
      notice: { pointer: "#", message: `api.ts: openapi-typescript could not type this spec (${reason}); the tools are unaffected` },
    };
  }
}

/** The OpenAPI 3 document openapi-typescript is given, the discriminators it would find and its `$ref` resolver. */
interface Prepared {
  openapi: SpecDocument;
  discriminators: DiscriminatorScan;
  resolve: (ref: string) => any;
}

async function prepare(document: SpecDocument, version: SpecVersion, known?: DocumentTraits, libraryConversion = false, tree = false): Promise<Prepared> {
  const ours = version === "2.0" && !libraryConversion ? convertSwagger2(document, tree) : undefined;
  const converted = version !== "2.0" ? document : ((ours?.openapi ?? (await convertByLibrary(document))) as SpecDocument);
  // One look at the whole document says whether either step below has anything to do (see api-types-scan.ts); the
  // 2.0 conversion may have looked already.
  const traits = (converted === document && known) || ours?.traits || documentTraits(converted);
  const openapi = traits.pathSchemaRefs ? hoistPathSchemaRefs(converted) : converted;
  // openapi-typescript's scan with a cheaper walk (discriminators.ts). It patches the document, so it runs once, for
  // whichever of the two renderings below writes the file.
  // Where the hoisting made new objects, the scan walks everything.
  const within = openapi === converted ? traits.scanWithin : undefined;
  const discriminators = traits.mayHaveDiscriminators ? scanDiscriminators(openapi, { silent: true }, HELPERS, within) : { objects: {}, refsHandled: [] };
  return { openapi, discriminators, resolve: memoised((ref) => HELPERS.resolveRef(openapi, ref, { silent: true })) };
}

/**
 * api-types-direct.ts's body, or undefined when it meets anything it does not reproduce exactly (Unsupported), or
 * fails in any other way: the library then writes the file, so a fault of ours can only cost time. Written as UTF-8
 * member by member: the text is decoded from those bytes only if something reads it.
 */
function directTypes(prepared: Prepared): ApiTypes | undefined {
  let written: { utf8: Uint8Array; length: number };
  try {
    written = emitApiTypesUtf8(prepared.openapi, emitterContext(prepared));
  } catch {
    return undefined;
  }
  return typesFromUtf8(written.utf8, { length: written.length });
}

function emitterContext({ discriminators, resolve }: Prepared): EmitterContext {
  const hasDiscriminators = Object.keys(discriminators.objects).length > 0;
  return { resolve, discriminators: discriminators as EmitterContext["discriminators"], hasDiscriminators, footer: [], depth: 0 };
}

/** openapi-typescript's tree, written by our printer or (for what ours does not know) TypeScript's. */
async function libraryBody(prepared: Prepared): Promise<string> {
  const openapiTS = await importOpenApiTypescript();
  const nodes = openapiTS.transformSchema(prepared.openapi as never, defaultContext(prepared));
  return printer(openapiTS)(nodes) ?? openapiTS.astToString(nodes);
}

/**
 * openapi-typescript's syntax tree of api.ts's body, with the printers that can write it (ours and TypeScript's) and
 * the direct emitter's text of the same document: for the tests that hold each to the library.
 */
export async function apiTypesTree(document: SpecDocument, version: SpecVersion) {
  const openapiTS = await importOpenApiTypescript();
  const prepared = await prepare(document, version);
  return {
    /** The library's tree; it throws where the library cannot type the document. */
    transform: () => openapiTS.transformSchema(prepared.openapi as never, defaultContext(prepared)),
    print: printer(openapiTS),
    astToString: openapiTS.astToString,
    /** The direct emitter's text; it throws Unsupported where it gives up. */
    direct: () => emitApiTypes(prepared.openapi, emitterContext(prepared)),
    /** The direct emitter's UTF-8, as renderApiTypes writes it (api.ts's file, the cache's entry). */
    directUtf8: () => emitApiTypesUtf8(prepared.openapi, emitterContext(prepared)),
  };
}

let typesPrinter: TypesPrinter | undefined;

/** Our printer (api-types-print.ts); what it does not know, TypeScript's prints. */
function printer(openapiTS: OpenApiTS): TypesPrinter {
  return (typesPrinter ??= createTypesPrinter(openapiTS.ts, (statement) => openapiTS.astToString(statement as never)));
}

/**
 * The library helpers the discriminator scan and the resolver use, as openapi-typescript-refs.ts repeats them (the
 * library's own live in a module that loads TypeScript). Its `warn` colours the message; every call here is silent.
 */
const HELPERS = {
  createRef,
  resolveRef: (schema: unknown, ref: string, options: { silent?: boolean }) => resolveRef(schema, ref, options, warn),
  warn,
};

function warn(message: string, silent = false): void {
  if (!silent) console.warn(` ⚠  ${message}`);
}

type Context = Parameters<typeof transformSchema>[1];
type DiscriminatorScan = ReturnType<typeof scanDiscriminators>;
type OpenApiTS = Awaited<ReturnType<typeof importOpenApiTypescript>>;

/** openapi-typescript 7's defaults (see `openapiTS()` in its index.ts); every option off, as its CLI has them. */
function defaultContext({ discriminators, resolve }: Prepared): Context {
  return {
    additionalProperties: false,
    alphabetize: false,
    arrayLength: false,
    defaultNonNullable: true,
    discriminators,
    emptyObjectsUnknown: false,
    enum: false,
    enumValues: false,
    conditionalEnums: false,
    dedupeEnums: false,
    excludeDeprecated: false,
    exportType: false,
    immutable: false,
    rootTypes: false,
    rootTypesNoSchemaPrefix: false,
    rootTypesKeepCasing: false,
    injectFooter: [],
    pathParamsAsTypes: false,
    postTransform: undefined,
    propertiesRequiredByDefault: false,
    redoc: undefined as never,
    silent: true,
    inject: undefined,
    transform: undefined,
    transformProperty: undefined,
    makePathsEnum: false,
    generatePathParams: false,
    readWriteMarkers: false,
    resolve,
  } as Context;
}

/**
 * openapi-typescript resolves a `$ref` at each use, parsing the pointer again each time (GitHub's spec: 18,984 calls for
 * 247 distinct refs, ~60 ms). The transform never changes the document, so a ref resolves to the same object every
 * time: each is resolved once. A ref that throws is not remembered (it throws again, the same error).
 */
function memoised(resolve: (ref: string) => unknown): (ref: string) => unknown {
  const resolved = new Map<string, unknown>();
  return (ref) => {
    if (resolved.has(ref)) return resolved.get(ref);
    const node = resolve(ref);
    resolved.set(ref, node);
    return node;
  };
}

/**
 * A Swagger 2.0 document as OpenAPI 3.0 by swagger2openapi, where swagger2-convert.ts (Kubernetes 1.13: ~70 ms of CPU
 * where the library takes ~200) gives up.
 */
async function convertByLibrary(document: SpecDocument): Promise<unknown> {
  installResolveHook(); // reftools' walks and copy replaced by ours (reftools-walks.ts, reftools-clone.ts)
  // By `require`: swagger2openapi is CommonJS, and imported from ESM Node would first run cjs-module-lexer over it to
  // find its named exports (~20 ms of CPU, not kept by the compile cache).
  const { convertObj } = createRequire(import.meta.url)("swagger2openapi") as typeof import("swagger2openapi");
  // `text` is the source text convertObj hands back to its CLI; given none, it first writes the whole document out as
  // YAML only to keep it (0.4–0.6 s of CPU on Kubernetes' 4 MB spec), so it is given a placeholder.
  const { openapi } = await convertObj(document, { patch: true, warnOnly: true, resolve: false, text: "(not kept)" });
  return openapi;
}
