/**
 * A Swagger 2.0 document as OpenAPI 3.0, for api.ts only: the parts of swagger2openapi 7.0.8's `convertObj` (with
 * api-types.ts's options: patch, warnOnly, no resolving) that api.ts's rendering reads, i.e. the paths and the
 * components, built in one copy of the document instead of the library's deep copy, three walks of the whole
 * document and its per-schema walks (~150 ms of CPU on Kubernetes 1.13's 4 MB spec).
 *
 * Exact or nothing: anything the library would patch, warn about, rename or move in a way not repeated here (a
 * `null`, a schema it rewrites such as `type: null` (or an `x-nullable`, a string `discriminator`, `type: file` or an
 * array without items where its schema walk does not reach), a top-level `x-servers`, `x-callbacks`, `x-links` or
 * `x-ms-paths`, a file parameter outside a form, a form field on a path item or in `#/parameters/`, response examples
 * that are no object, an x-ms-examples value naming a path item's own parameter, a `$ref` other than to a definition,
 * parameter or response, a component name it would sanitise, an object reached twice, …) makes convertSwagger2 answer
 * undefined, and api-types.ts then runs the library's conversion. test/corpus/api-types-swagger2.test.ts holds the
 * api.ts written from this document to the one written from the library's, on every Swagger 2.0 spec of the corpus
 * (and scripts/corpus/swagger2-check.ts on any others).
 *
 * Rules repeated (swagger2openapi's function names): `fixupRefs` (refs to `#/definitions/`, `#/parameters/`,
 * `#/responses/` moved under `#/components/`, a `$ref`'s siblings dropped, `x-ms-odata` moved), `processParameter` (a
 * non-body parameter's type keywords moved into `schema`, `collectionFormat` as `style`/`explode`, OpenAPI 3.0
 * §4.7.12.4, a query parameter's `x-ms-skip-url-encoding` as `allowReserved`, `x-deprecated` and `x-example` as
 * `deprecated` and `example`; a body parameter as the operation's `requestBody`, one media type per `consumes` entry,
 * form fields as one object schema), `processResponse` (`schema` as `content`, one media type per `produces` entry,
 * `*∕*` when there is none; `examples` as each media type's `examples.response`) and `processHeader`,
 * `fixUpSubSchemaExtensions` and `fixUpSubSchema` where fixUpSchema's walk reaches (schemaOf: `x-nullable`, a string
 * `discriminator`, `type: file`, an array without items), `processPaths`' `x-ms-examples` (msExamples), `main`'s shared
 * request bodies (a body written identically by several operations becomes one `components.requestBodies` entry, named
 * and ordered as the library's hash table orders them), `main`'s empty components removed, and
 * `x-ms-parameterized-host` dropped (it only makes servers).
 */
import { createRequire } from "node:module";
import type { DocumentTraits } from "./api-types-scan.ts";

type Json = Record<string, any>;

/** swagger2openapi's helpers (oas-kit-common, which it loads too): sanitising names, its string hash, the lists. */
interface Common {
  sanitise(name: string): string;
  sanitiseAll(name: string): string;
  hash(text: string): number;
  parameterTypeProperties: string[];
  httpMethods: string[];
}

let common: Common | undefined;

function commonHelpers(): Common {
  // oas-kit-common as swagger2openapi requires it (its own dependency), so the rules are the same code.
  const fromSwagger2openapi = createRequire(createRequire(import.meta.url).resolve("swagger2openapi"));
  return (common ??= fromSwagger2openapi("oas-kit-common") as Common);
}

/** Thrown where this conversion does not repeat the library's; caught by convertSwagger2. */
class GiveUp extends Error {}

function giveUp(): never {
  throw new GiveUp();
}

/** The top-level keys of a 2.0 document this conversion knows (Swagger 2.0 §2.3 Swagger Object); any other: give up. */
const TOP_LEVEL = new Set(["swagger", "info", "host", "basePath", "schemes", "consumes", "produces", "paths", "definitions", "parameters", "responses", "securityDefinitions", "security", "tags", "externalDocs"]);

/**
 * Top-level extensions the library turns into something else (servers, components, paths). Any other stays where it is
 * (not read by api.ts), walked by fixupRefs as the rest (copy checks it).
 */
const TOP_LEVEL_EXTENSIONS_GIVE_UP = ["x-servers", "x-callbacks", "x-links", "x-ms-paths"];

/** Keys of an operation turned into something else or dropped by the library, or that make it do more than here. */
const OPERATION_GIVE_UP = new Set(["requestBody", "x-servers", "callbacks", "servers"]);
const PATH_ITEM_GIVE_UP = new Set(["$ref", "x-trace", "x-summary", "x-description", "x-servers", "x-amazon-apigateway-any-method"]);

interface State {
  common: Common;
  /** Definition names (each its own component name: a name the library would sanitise gives up). */
  definitions: Set<string>;
  /** Converted `components.parameters`. */
  parameters: Json;
  consumes: string[] | undefined;
  produces: string[] | undefined;
  /**
   * Objects already copied: an object reached twice (a YAML anchor) fails the library's conversion. Undefined for a
   * document known to be a tree (convertSwagger2's `tree`), where no object can be reached twice.
   */
  seen: Set<object> | undefined;
  /** movedRef's answers, by the ref as written (see movedRef). */
  movedRefs: Map<string, string>;
  /** oas-kit-common's hash of a request body's JSON text, by the text (see noteRequestBody). */
  bodyHashes: Map<string, number>;
  /** swagger2openapi's requestBodyCache, keyed by the same hashes (so iterated in the same order). */
  requestBodies: Record<string, { name: string; body: Json; operations: Json[] }>;
  /** `components.examples`, made of operations' `x-ms-examples` (msExamples). */
  examples: Json;
  /** Parameters given `examples` by msExamples (any other with an `examples` member gives up there). */
  examplesGiven: WeakSet<object>;
  /** No key of the converted document is `discriminator` or `allOf`, no ref names a path (Converted's traits). */
  plain: boolean;
}

/** Notes a key of an object put in the converted document (Converted's traits). */
function noteKey(key: string, state: State): void {
  if (key === "discriminator" || key === "allOf") state.plain = false;
}

/**
 * The OpenAPI 3.0 document swagger2openapi would give api.ts's rendering (its `paths` and `components`, the only parts
 * read), or undefined where this conversion does not repeat the library's. `tree`: `swagger` is known to reach no object
 * twice (JSON.parse's result that nothing wrote into: LoadedSpec.parsedTree), so the objects met are not noted. Noting
 * them cost ~4 ms of Kubernetes' ~43 ms conversion (a Set of ~23,000; fresh process, cold, medians of 7).
 */
export function convertSwagger2(swagger: unknown, tree = false): Converted | undefined {
  try {
    return convert(swagger, tree);
  } catch {
    // Where ours gives up (or fails in any other way: a fault of ours can only cost time), the library converts.
    return undefined;
  }
}

/**
 * Where convertSwagger2 gives up on `swagger` (the function and line that gave up, or the error), undefined when it
 * converts: for scripts/corpus/swagger2-check.ts's report, not the generator.
 */
export function swagger2GiveUpReason(swagger: unknown): string | undefined {
  try {
    convert(swagger);
    return undefined;
  } catch (error) {
    if (!(error instanceof GiveUp)) return `error: ${error instanceof Error ? error.message : String(error)}`;
    const frame = (error.stack ?? "").split("\n").find((line) => line.includes(" at ") && !line.includes("giveUp"));
    const match = frame && /at (?:Object\.)?(\S+) \(.*?:(\d+):\d+\)/.exec(frame);
    return match ? `${match[1]}:${match[2]}` : (frame?.trim() ?? "unknown");
  }
}

export interface Converted {
  openapi: Json;
  /**
   * api-types-scan.ts's traits of `openapi`, when the conversion met no `discriminator` key, no `allOf` list with
   * something else than objects and moved no ref to a path: then neither step they decide has anything to do, and the
   * document need not be walked again (Kubernetes 1.13: ~15 ms). Undefined otherwise (documentTraits walks it).
   */
  traits: DocumentTraits | undefined;
}

/** The traits of such a document (scanWithin is read only where the scan runs). */
const PLAIN_TRAITS: DocumentTraits = { pathSchemaRefs: false, mayHaveDiscriminators: false, scanWithin: new Set() };

function convert(swagger: unknown, tree = false): Converted {
  if (!isPlainObject(swagger) || swagger["swagger"] !== "2.0") giveUp();
  for (const key in swagger) if (!TOP_LEVEL.has(key) && !key.startsWith("x-")) giveUp();
  for (const key of TOP_LEVEL_EXTENSIONS_GIVE_UP) if (key in swagger) giveUp();
  if (!isPlainObject(swagger["info"]) || !isPlainObject(swagger["paths"])) giveUp(); // fixInfo and fixPaths patch or fail
  // The server URLs are made from these (a basePath that is no string fails the library's conversion).
  if ((swagger["basePath"] !== undefined && typeof swagger["basePath"] !== "string") || !isStrings(swagger["schemes"])) giveUp();
  const state: State = {
    common: commonHelpers(),
    definitions: new Set(),
    parameters: {},
    consumes: undefined,
    produces: undefined,
    seen: tree ? undefined : new Set(),
    movedRefs: new Map(),
    bodyHashes: new Map(),
    requestBodies: {},
    examples: {},
    examplesGiven: new WeakSet(),
    plain: true,
  };
  state.consumes = mediaTypes(swagger["consumes"], state);
  state.produces = mediaTypes(swagger["produces"], state);
  if ("schemes" in swagger) copy(swagger["schemes"], state, false);
  if ("x-ms-parameterized-host" in swagger) msParameterizedHost(swagger["x-ms-parameterized-host"], swagger, state);
  // Parts not read by api.ts, checked for what would make the library add components or fail.
  for (const key of ["info", "tags", "externalDocs", "security"]) if (key in swagger) copy(swagger[key], state, false);

  const schemas = definitionsOf(swagger["definitions"], state);
  const parameters = componentParameters(swagger["parameters"], state);
  const responses = componentResponses(swagger["responses"], state);
  const securitySchemes = securitySchemesOf(swagger["securityDefinitions"], state);
  const paths = pathsOf(swagger["paths"], state);
  for (const key in swagger) if (key.startsWith("x-") && key !== "x-ms-parameterized-host") copy(swagger[key], state, false);
  const requestBodies = sharedRequestBodies(state);

  // main() deletes each empty kind of component, then `components` itself when nothing is left.
  const components: Json = {};
  for (const [key, value] of [["examples", state.examples], ["parameters", parameters], ["responses", responses], ["requestBodies", requestBodies], ["securitySchemes", securitySchemes], ["schemas", schemas]] as const) {
    if (Object.keys(value).length > 0) components[key] = value;
  }
  const openapi = Object.keys(components).length > 0 ? { openapi: "3.0.0", paths, components } : { openapi: "3.0.0", paths };
  return { openapi, traits: state.plain ? PLAIN_TRAITS : undefined };
}

/**
 * AutoRest's `x-ms-parameterized-host`: the library makes servers of it (not read by api.ts) and drops it. It fails
 * where there is no `schemes` list to prefix (unless `useSchemePrefix: false`) and names a variable after a
 * parameter's position in the host template when the parameter has no name; a `$ref` it resolves in the 2.0 document
 * (a `#/parameters/` entry, cloned). Anything else gives up.
 */
function msParameterizedHost(host: unknown, swagger: Json, state: State): void {
  if (!isPlainObject(host)) giveUp();
  if (host["useSchemePrefix"] !== false && !Array.isArray(swagger["schemes"])) giveUp();
  const parameters = host["parameters"];
  if (parameters !== undefined && !Array.isArray(parameters)) giveUp();
  visit(host, state);
  for (const key in host) {
    if (key !== "parameters") copy(host[key], state, false);
  }
  if (parameters === undefined) return;
  visit(parameters, state);
  for (const parameter of parameters) {
    if (!isPlainObject(parameter)) giveUp();
    let target: unknown = parameter;
    if ("$ref" in parameter) {
      const ref = parameter["$ref"];
      if (Object.keys(parameter).length !== 1 || typeof ref !== "string" || !ref.startsWith("#/parameters/")) giveUp();
      const name = ref.slice("#/parameters/".length);
      const shared = swagger["parameters"];
      if (/[/~%]/.test(name) || !isPlainObject(shared) || !Object.hasOwn(shared, name)) giveUp();
      visit(parameter, state);
      target = shared[name];
    } else copy(parameter, state, false);
    if (!isPlainObject(target) || typeof target["name"] !== "string" || !target["name"]) giveUp();
  }
}

function isPlainObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isStrings(value: unknown): boolean {
  return value === undefined || (Array.isArray(value) && value.every((entry) => typeof entry === "string"));
}

/** A `consumes` or `produces` list: an array of strings, or absent (a lone string the library would patch). */
function mediaTypes(value: unknown, state: State): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !isStrings(value)) giveUp();
  copy(value, state, false); // noted as seen: one reached twice fails the library's conversion
  return value;
}

/**
 * `securityDefinitions` as `components.securitySchemes`; api.ts reads only whether there is one. A name the library
 * would sanitise (two sanitised alike fail its conversion) or a scheme it could fail on gives up.
 */
function securitySchemesOf(definitions: unknown, state: State): Json {
  if (definitions === undefined) return {};
  if (!isPlainObject(definitions)) giveUp();
  for (const name in definitions) {
    const scheme = definitions[name];
    if (state.common.sanitise(name) !== name || !isPlainObject(scheme)) giveUp();
    if (scheme["authorizationUrl"] !== undefined && typeof scheme["authorizationUrl"] !== "string") giveUp();
  }
  return copy(definitions, state, false);
}

/** A deep copy, `$ref`s moved as fixupRefs moves them; `inSchema`: the copy is a schema (fixUpSchema's checks). */
function copy(value: unknown, state: State, inSchema: boolean): any {
  if (value === null) giveUp(); // deleted or kept by the library depending on where it is
  if (typeof value !== "object") return value;
  visit(value, state);
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copy(value[i], state, inSchema);
    return out;
  }
  const object = value as Json;
  if (typeof object["$ref"] === "string") return refOf(object, state);
  if (inSchema) checkSchema(object);
  // What makes api-types-scan.ts's walk find that the discriminator scan may have something to do.
  if ("discriminator" in object || (Array.isArray(object["allOf"]) && object["allOf"].some((item: unknown) => typeof item !== "object"))) state.plain = false;
  const out: Json = {};
  for (const key in object) {
    if (key === "__proto__" || key === "x-miro") giveUp();
    out[key] = member(object, key, state, inSchema);
  }
  return out;
}

/**
 * A schema fixUpSchema walks (oas-schema-walker's walkSchema: the schema, then its `items`, object `additionalItems`
 * and `additionalProperties`, each of `properties` and `patternProperties`, `allOf`, `anyOf`, `oneOf` and `not`), copied
 * with these rules repeated here: fixUpSubSchemaExtensions' boolean `x-nullable` as `nullable` (appended, or in the
 * place of a `nullable` already there), and fixUpSubSchema's string `discriminator` (2.0) as `{ propertyName }` in
 * its place, an array without (truthy) `items` given `items: {}`, `type: file` as `type: string` with `format: binary`.
 * Anything else copied as `copy` does, where any of these still gives up (`example` values and the like, which the
 * walk does not reach).
 */
function schemaOf(value: unknown, state: State): any {
  if (!isPlainObject(value) || value["$ref"] !== undefined) return copy(value, state, true);
  visit(value, state);
  const nullable = value["x-nullable"];
  const converts = typeof nullable === "boolean";
  const checked = { ...value };
  if (converts) delete checked["x-nullable"];
  if (typeof checked["discriminator"] === "string") delete checked["discriminator"];
  const noItems = value["type"] === "array" && !value["items"];
  if (noItems) checked["items"] = {};
  if (value["type"] === "file") delete checked["type"];
  checkSchema(checked);
  if ("discriminator" in value || (Array.isArray(value["allOf"]) && value["allOf"].some((item: unknown) => typeof item !== "object"))) state.plain = false;
  const out: Json = {};
  for (const key in value) {
    if (key === "__proto__" || key === "x-miro") giveUp();
    if (key === "x-nullable" && converts) continue;
    const member = value[key];
    if (key === "discriminator" && typeof member === "string") out[key] = { propertyName: member };
    else if (key === "items" || key === "not" || ((key === "additionalProperties" || key === "additionalItems") && typeof member === "object")) {
      out[key] = schemaOf(member, state);
    } else if ((key === "properties" || key === "patternProperties") && isPlainObject(member)) {
      visit(member, state);
      if ("discriminator" in member) state.plain = false; // as copy notes it: a property named so
      const schemas: Json = {};
      for (const name in member) {
        if (name === "__proto__") giveUp();
        schemas[name] = schemaOf(member[name], state);
      }
      out[key] = schemas;
    } else if ((key === "allOf" || key === "anyOf" || key === "oneOf") && Array.isArray(member)) {
      visit(member, state);
      out[key] = member.map((item) => schemaOf(item, state));
    } else out[key] = key === "x-ms-odata" ? odataOf(member, state) : copy(member, state, true);
  }
  // In fixUpSchema's order: fixUpSubSchemaExtensions, then fixUpSubSchema (each new key appended, an old one in place).
  if (converts) out["nullable"] = nullable;
  if (noItems) out["items"] = {};
  if (value["type"] === "file") {
    out["type"] = "string";
    out["format"] = "binary";
  }
  return out;
}

/** `object[key]` copied: an `x-ms-odata` by odataOf, anything else by copy. */
function member(object: Json, key: string, state: State, inSchema = false): any {
  return key === "x-ms-odata" ? odataOf(object[key], state) : copy(object[key], state, inSchema);
}

/**
 * fixupRefs' rule for AutoRest's `x-ms-odata` (a pointer to the schema of an OData filter): a string starting `#/`
 * moved under `#/components/schemas/`, its first segment decoded; one naming no definition (warned about) gives up.
 */
function odataOf(value: unknown, state: State): unknown {
  if (typeof value !== "string" || !value.startsWith("#/")) return copy(value, state, false);
  const keys = value.replace("#/definitions/", "").replace("#/components/schemas/", "").split("/");
  let name: string;
  try {
    name = decodeURIComponent(keys[0]!);
  } catch {
    return giveUp();
  }
  if (!state.definitions.has(name)) giveUp();
  keys[0] = name;
  return `#/components/schemas/${keys.join("/")}`;
}

/** Notes an object met: one reached twice (a YAML anchor or alias) fails the library's conversion. */
function visit(object: object, state: State): void {
  const seen = state.seen;
  if (seen === undefined) return;
  if (seen.has(object)) giveUp();
  seen.add(object);
}

/** A `$ref` object as fixupRefs leaves it: the ref moved, its siblings dropped (but checked as the library walks them). */
function refOf(object: Json, state: State): Json {
  for (const key in object) if (key !== "$ref") copy(object[key], state, false);
  return { $ref: movedRef(object["$ref"], state) };
}

/**
 * fixupRefs' new place for a local `$ref`; any other kind of ref (a direct pointer, an external file) gives up. Each
 * ref is moved once and its answer reused: the same text again is then the same string, which the renderer's refType
 * looks up by ref, and a string made by concatenation is flattened and hashed at its first lookup (Kubernetes 1.13:
 * 2,997 refs moved, 584 distinct; each moved again made a new string for refType to flatten and hash). An answer is
 * final: it depends on the ref and on the definitions' names, which only grow, and a ref naming no definition gives up
 * (the whole conversion: nothing is kept); `state.plain`, once made false by a ref, stays so.
 */
function movedRef(ref: string, state: State): string {
  let moved = state.movedRefs.get(ref);
  if (moved === undefined) state.movedRefs.set(ref, (moved = moveRef(ref, state)));
  return moved;
}

function moveRef(ref: string, state: State): string {
  if (ref.startsWith("#/definitions/")) {
    const name = ref.slice("#/definitions/".length);
    // One segment without escapes, naming a definition (the library looks the unescaped, decoded name up).
    if (/[/~%]/.test(name) || !state.definitions.has(name)) giveUp();
    return `#/components/schemas/${name}`;
  }
  let moved: string;
  if (ref.startsWith("#/parameters/")) moved = `#/components/parameters/${state.common.sanitise(ref.slice("#/parameters/".length))}`;
  else if (ref.startsWith("#/responses/")) moved = `#/components/responses/${state.common.sanitise(ref.slice("#/responses/".length))}`;
  else return giveUp();
  if (moved.includes("paths/") || moved.includes("webhooks/")) state.plain = false; // maybe one api-types-refs.ts moves
  return moved;
}

/** What fixUpSubSchema and fixUpSubSchemaExtensions would change in a schema: any of it gives up. */
function checkSchema(schema: Json): void {
  const type = schema["type"];
  if (Array.isArray(type) || type === "null" || type === "file" || (type === "array" && !schema["items"])) giveUp();
  if (typeof schema["discriminator"] === "string" || Array.isArray(schema["items"]) || typeof schema["required"] === "boolean") giveUp();
  if (schema["allowEmptyValue"] !== undefined || schema["x-required"] || schema["x-anyOf"] || schema["x-oneOf"] || schema["x-not"]) giveUp();
  if (typeof schema["x-nullable"] === "boolean" || typeof schema["x-discriminator"] === "object") giveUp();
  const xml = schema["xml"];
  if (xml && typeof xml.namespace === "string" && !xml.namespace) giveUp();
}

/** `definitions` as `components.schemas`: same names (one the library would sanitise gives up), each schema copied. */
function definitionsOf(definitions: unknown, state: State): Json {
  if (definitions === undefined) return {};
  if (!isPlainObject(definitions)) giveUp();
  visit(definitions, state);
  for (const name in definitions) {
    noteKey(name, state);
    if (state.common.sanitiseAll(name) !== name) giveUp();
    state.definitions.add(name);
  }
  const schemas: Json = {};
  for (const name in definitions) {
    if (!isPlainObject(definitions[name])) giveUp();
    schemas[name] = schemaOf(definitions[name], state);
  }
  return schemas;
}

/** `parameters` as `components.parameters`: each a non-body parameter (a body or form one gives up). */
function componentParameters(parameters: unknown, state: State): Json {
  if (parameters === undefined) return state.parameters;
  if (!isPlainObject(parameters)) giveUp();
  visit(parameters, state);
  for (const name in parameters) {
    noteKey(name, state);
    if (state.common.sanitise(name) !== name) giveUp();
    const parameter = parameters[name];
    if (!isPlainObject(parameter) || "$ref" in parameter) giveUp();
    state.parameters[name] = parameterOf(parameter, state);
  }
  return state.parameters;
}

function componentResponses(responses: unknown, state: State): Json {
  if (responses === undefined) return {};
  if (!isPlainObject(responses)) giveUp();
  visit(responses, state);
  const out: Json = {};
  for (const name in responses) {
    noteKey(name, state);
    if (state.common.sanitise(name) !== name) giveUp();
    out[name] = responseOf(responses[name], undefined, state);
  }
  return out;
}

/**
 * processParameter for a parameter that stays one (not in body or formData, not a file): the type keywords move into
 * its `schema`, `collectionFormat` becomes `style`/`explode`, a path parameter is required.
 */
function parameterOf(parameter: Json, state: State): Json {
  visit(parameter, state);
  if (typeof parameter["$ref"] === "string") {
    const ref = movedRef(parameter["$ref"], state);
    // The library looks the decoded name up among the components; one missing is taken for a moved request body.
    const name = ref.startsWith("#/components/parameters/") ? decodeURIComponent(ref.slice("#/components/parameters/".length)) : giveUp();
    if (!Object.hasOwn(state.parameters, name)) giveUp();
    return { $ref: ref };
  }
  const { type } = parameter;
  if (!parameter["name"] && !parameter["in"]) giveUp();
  if (parameter["in"] === "body" || parameter["in"] === "formData" || typeof type !== "string" || type === "file") giveUp();
  if ("schema" in parameter) giveUp();
  // processParameter first makes a boolean x-deprecated `deprecated`, then x-example `example` (appended, or in place).
  const deprecated = typeof parameter["x-deprecated"] === "boolean";
  const example = parameter["x-example"] !== undefined;
  let exampleValue: unknown;
  // A truthy x-ms-skip-url-encoding on a query parameter becomes `allowReserved` (after `schema`); elsewhere it stays.
  const allowReserved = Boolean(parameter["x-ms-skip-url-encoding"]) && parameter["in"] === "query";
  if (parameter["description"] !== undefined && typeof parameter["description"] !== "string") giveUp();

  const style = styleOf(parameter);
  const out: Json = {};
  const { parameterTypeProperties } = state.common;
  for (const key in parameter) {
    noteKey(key, state);
    if (key === "type" || key === "collectionFormat" || key === "items" || parameterTypeProperties.includes(key)) continue;
    if (key === "__proto__") giveUp();
    const copied = member(parameter, key, state);
    if (key === "x-example" && example) exampleValue = copied;
    else if (key === "x-deprecated" && deprecated) continue;
    else if (key !== "x-ms-skip-url-encoding" || !allowReserved) out[key] = copied;
  }
  if (deprecated) out["deprecated"] = parameter["x-deprecated"];
  if (example) out["example"] = exampleValue;
  Object.assign(out, style.fields);
  const schema: Json = { type };
  if (parameter["items"] !== undefined) schema["items"] = itemsOf(parameter["items"], style.collectionFormat, state);
  copyTypeProperties(parameter, schema, state);
  checkSchema(schema);
  out["schema"] = schema;
  if (allowReserved) out["allowReserved"] = true;
  if (out["in"] === "path" && out["required"] !== true) out["required"] = true;
  return out;
}

/**
 * The type keywords (oas-kit-common's parameterTypeProperties, ~17) of a parameter or header, copied into `schema`.
 * An index loop: a for...of allocates at each step in this unoptimised code (Kubernetes 1.13: ~3.4 MB).
 */
function copyTypeProperties(source: Json, schema: Json, state: State): void {
  const keys = state.common.parameterTypeProperties;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (source[key] !== undefined) schema[key] = copy(source[key], state, false);
  }
}

/** processParameter's `style` and `explode` for a `collectionFormat` (an array's default: csv). */
function styleOf(parameter: Json): { collectionFormat: unknown; fields: Json } {
  const collectionFormat = parameter["collectionFormat"] ?? (parameter["type"] === "array" ? "csv" : undefined);
  const where = parameter["in"];
  if (!collectionFormat) return { collectionFormat, fields: {} };
  if (collectionFormat === "csv" && (where === "query" || where === "cookie")) return { collectionFormat, fields: { style: "form", explode: false } };
  if (collectionFormat === "csv" && (where === "path" || where === "header")) return { collectionFormat, fields: { style: "simple" } };
  if (collectionFormat === "ssv" && where === "query") return { collectionFormat, fields: { style: "spaceDelimited" } };
  if (collectionFormat === "pipes" && where === "query") return { collectionFormat, fields: { style: "pipeDelimited" } };
  if (collectionFormat === "multi") return { collectionFormat, fields: { explode: true } };
  if (collectionFormat === "csv") return { collectionFormat, fields: {} };
  return giveUp(); // ssv or pipes outside a query, tsv, or a value the library would leave (warned) as it is
}

/** A non-body parameter's `items` (now its schema's), each nested `collectionFormat` deleted (one that differs warns). */
function itemsOf(items: unknown, collectionFormat: unknown, state: State): Json {
  if (!isPlainObject(items)) giveUp();
  const copied = copy(items, state, true);
  const drop = (node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    const object = node as Json;
    if (!Array.isArray(node) && typeof object["collectionFormat"] === "string") {
      if (collectionFormat && object["collectionFormat"] !== collectionFormat) giveUp();
      delete object["collectionFormat"];
    }
    for (const key in object) drop(object[key]);
  };
  drop(copied);
  return copied;
}

/** processResponse: a `$ref` moved, or `schema` as one `content` entry per media type the operation produces. */
function responseOf(response: unknown, operation: Json | undefined, state: State): Json {
  if (!isPlainObject(response)) giveUp();
  visit(response, state);
  if (typeof response["$ref"] === "string") {
    for (const key in response) if (key !== "$ref") copy(response[key], state, false);
    if (!response["$ref"].startsWith("#/responses/")) giveUp();
    return { $ref: movedRef(response["$ref"], state) };
  }
  if (typeof response["description"] !== "string") giveUp();
  const examples = response["examples"];
  if (examples !== undefined && !isPlainObject(examples)) giveUp();
  const out: Json = {};
  for (const key in response) {
    noteKey(key, state);
    if (key === "schema" || key === "examples" || key === "__proto__") continue;
    out[key] = key === "headers" ? headersOf(response[key], state) : member(response, key, state);
  }
  let content: Json | undefined;
  if (response["schema"] !== undefined) {
    if (!isPlainObject(response["schema"])) giveUp();
    const schema = schemaOf(response["schema"], state);
    const produces = unique((operation?.["produces"] !== undefined ? (operation["produces"] as string[]) : state.produces) ?? []);
    if (produces.length === 0) produces.push("*/*");
    content = out["content"] = perMediaType(produces, schema, state);
  }
  if (examples !== undefined) {
    // processResponse: an example of a media type the response has goes with its schema (when truthy); every other
    // one makes its own media type, without a schema. Each as `examples.response.value`.
    visit(examples, state);
    const left: Json = {};
    for (const mediaType in examples) {
      if (mediaType === "__proto__") giveUp();
      noteKey(mediaType, state);
      left[mediaType] = copy(examples[mediaType], state, false);
    }
    if (content) {
      for (const mediaType in content) {
        if (Object.hasOwn(left, mediaType) && left[mediaType]) {
          content[mediaType]["examples"] = { response: { value: left[mediaType] } };
          delete left[mediaType];
        }
      }
    }
    for (const mediaType in left) {
      content ??= out["content"] = {};
      content[mediaType] ??= {};
      content[mediaType]["examples"] = { response: { value: left[mediaType] } };
    }
  }
  return out;
}

/** A response's headers, each by processHeader. */
function headersOf(headers: unknown, state: State): Json {
  if (!isPlainObject(headers)) giveUp();
  visit(headers, state);
  const out: Json = {};
  for (const name in headers) {
    // "Status Code" is dropped by the library; a header that is not an object fails its conversion.
    if (name === "__proto__" || name.toLowerCase() === "status code" || !isPlainObject(headers[name])) giveUp();
    noteKey(name, state);
    out[name] = headerOf(headers[name], state);
  }
  return out;
}

/**
 * processHeader: the type keywords move into `schema` (OpenAPI 3.0 §4.7.21, a Header Object has no `type`), an
 * array's `collectionFormat` becomes `style: simple` (csv) or `explode` (multi); ssv, pipes and tsv are warned about.
 */
function headerOf(header: Json, state: State): Json {
  visit(header, state);
  const { type, items } = header;
  // Without a type the library fails on the first type keyword; a schema or a ref it leaves half converted.
  if (typeof type !== "string" || "schema" in header || "$ref" in header) giveUp();
  const collectionFormat = header["collectionFormat"];
  let itemsCopy: Json | undefined;
  if (items !== undefined) {
    if (!isPlainObject(items)) giveUp();
    itemsCopy = copy(items, state, false);
    if (items["type"] !== "array") {
      if (items["collectionFormat"] !== collectionFormat) giveUp(); // "Nested collectionFormats are not supported"
      delete itemsCopy!["collectionFormat"];
    }
  }
  let style: Json = {};
  if (type === "array") {
    if (collectionFormat === "multi") style = { explode: true };
    else if (collectionFormat === undefined || collectionFormat === "csv") style = { style: "simple" };
    else giveUp();
  }
  const { parameterTypeProperties } = state.common;
  const out: Json = {};
  for (const key in header) {
    if (key === "type" || key === "collectionFormat" || key === "items" || parameterTypeProperties.includes(key)) continue;
    noteKey(key, state);
    out[key] = member(header, key, state);
  }
  const schema: Json = { type };
  copyTypeProperties(header, schema, state);
  if (itemsCopy !== undefined) schema["items"] = itemsCopy;
  out["schema"] = schema;
  return Object.assign(out, style);
}

/**
 * `{ [mediaType]: { schema } }`, each media type its own copy of the schema (the library clones it for each). The copies
 * are made by treeCopy, not structuredClone: Kubernetes 1.13's 1,382 response schemas need 3,295 copies, and
 * structuredClone's serialisation per call made them ~10 ms of the conversion's ~50 (one core, cold).
 */
function perMediaType(mediaTypes: string[], schema: Json, state: State): Json {
  const content: Json = {};
  mediaTypes.forEach((mediaType, i) => {
    if (mediaType === "__proto__") giveUp();
    noteKey(mediaType, state);
    content[mediaType] = { schema: i === 0 ? schema : treeCopy(schema) };
  });
  return content;
}

/**
 * A copy of a schema this conversion made: plain objects, arrays and primitives only (copy and schemaOf build every
 * object as `{}` or an array, keys `__proto__` refused), and a tree (each object made once, for one place). For such a
 * value it is what structuredClone gives: the same keys in the same order, nothing shared with the original.
 */
function treeCopy(value: unknown): any {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(treeCopy);
  const out: Json = {};
  for (const key in value) out[key] = treeCopy((value as Json)[key]);
  return out;
}

function unique(values: string[]): string[] {
  return values.filter((value, index) => values.indexOf(value) === index);
}

/** processPaths over `paths`: path items and their operations; path-level parameters stay non-body ones. */
function pathsOf(paths: Json, state: State): Json {
  visit(paths, state);
  const out: Json = {};
  for (const url in paths) {
    noteKey(url, state);
    if (url === "__proto__") giveUp();
    const item = paths[url];
    if (!isPlainObject(item)) giveUp();
    visit(item, state);
    const converted: Json = {};
    for (const key in item) {
      noteKey(key, state);
      if (PATH_ITEM_GIVE_UP.has(key) || key === "__proto__") giveUp();
      if (state.common.httpMethods.includes(key)) converted[key] = operationOf(item[key], key, url, item, state);
      else if (key === "parameters") converted[key] = pathParameters(item[key], state);
      else converted[key] = member(item, key, state);
    }
    out[url] = converted;
  }
  return out;
}

function pathParameters(parameters: unknown, state: State): unknown[] {
  if (!Array.isArray(parameters)) giveUp();
  visit(parameters, state);
  return parameters.map((parameter) => (isPlainObject(parameter) ? parameterOf(parameter, state) : giveUp()));
}

/**
 * An operation: its parameters (a body one as `requestBody`, inserted after `parameters` as attachRequestBody does),
 * its responses (a default one when it has none), `consumes`, `produces` and `schemes` dropped.
 */
function operationOf(operation: unknown, method: string, url: string, pathItem: Json, state: State): Json {
  if (!isPlainObject(operation)) giveUp();
  visit(operation, state);
  const operationId = operation["operationId"];
  if (operationId !== undefined && typeof operationId !== "string") giveUp();
  const out: Json = {};
  let requestBody: Json | undefined;
  for (const key in operation) {
    noteKey(key, state);
    if (OPERATION_GIVE_UP.has(key) || key === "__proto__") giveUp();
    if (key === "consumes" || key === "produces") mediaTypes(operation[key], state);
    else if (key === "x-ms-examples") continue; // after the parameters and responses (msExamples)
    else if (key === "schemes") {
      if (!isStrings(operation[key])) giveUp();
      copy(operation[key], state, false); // op.servers, not read by api.ts
    }
    else if (key === "responses") out[key] = responsesOf(operation[key], operation, state);
    else if (key === "parameters" && Array.isArray(operation[key])) {
      const parameters: Json[] = [];
      visit(operation[key], state);
      let form = false;
      for (const parameter of operation[key]) {
        if (!isPlainObject(parameter)) giveUp();
        if (parameter["in"] === "formData") {
          if (requestBody && !form) giveUp(); // a body, then a form field: the library's merge is not repeated
          visit(parameter, state);
          requestBody = formBody(requestBody, parameter, operation, state);
          form = true;
        } else if (parameter["in"] !== "body") parameters.push(parameterOf(parameter, state));
        else if (requestBody) giveUp(); // two bodies, or a form then a body: the library warns
        else {
          visit(parameter, state);
          requestBody = requestBodyOf(parameter, operation, state);
        }
      }
      out[key] = parameters;
      if (requestBody) out["requestBody"] = requestBody;
    } else out[key] = member(operation, key, state);
  }
  if (Array.isArray(out["parameters"]) && out["parameters"].length === 0) delete out["parameters"];
  if (!("responses" in operation)) out["responses"] = { default: { description: "Default response" } };
  if ("x-ms-examples" in operation) msExamples(operation["x-ms-examples"], out, pathItem, state);
  if (requestBody) noteRequestBody(out, requestBody, method, url, state);
  return out;
}

/**
 * processPaths' handling of an operation's `x-ms-examples` (AutoRest's; dropped afterwards), once the operation's
 * parameters and responses are converted. For each example, in order: each value of its `parameters` becomes
 * `examples[name].value` of each parameter so named without an `example` (the operation's, then the path item's; a
 * `$ref` one is the shared component, so that gets it), each of its responses' `headers` values the `example` of the
 * response's header so named (a response the operation lacks fails the library), and a truthy `body` the component
 * example `components.examples[sanitiseAll(name)]`, referred to from each media type of the response's `content`.
 * A path item's own parameter (converted only after the operations there, so the keys would come out in another order)
 * named by an example gives up.
 */
function msExamples(examples: unknown, operation: Json, pathItem: Json, state: State): void {
  if (!isPlainObject(examples)) giveUp();
  visit(examples, state);
  const operationParameters: unknown = operation["parameters"] ?? [];
  const pathParameters: unknown = pathItem["parameters"] ?? [];
  if (!Array.isArray(operationParameters) || !Array.isArray(pathParameters)) giveUp();
  const shared = (ref: unknown): Json => {
    const name = typeof ref === "string" && ref.startsWith("#/components/parameters/") ? ref.slice("#/components/parameters/".length) : giveUp();
    return /[/~%]/.test(name) || !Object.hasOwn(state.parameters, name) ? giveUp() : state.parameters[name];
  };
  const targets = (parameterName: string): Json[] => {
    const found: Json[] = [];
    for (const parameter of operationParameters as Json[]) {
      const target = typeof parameter["$ref"] === "string" ? shared(parameter["$ref"]) : parameter;
      if (target["name"] === parameterName && !target["example"]) found.push(target);
    }
    for (const parameter of pathParameters) {
      if (!isPlainObject(parameter)) giveUp();
      if (typeof parameter["$ref"] !== "string") {
        if (parameter["name"] === parameterName) giveUp();
        continue;
      }
      const target = shared(movedRef(parameter["$ref"], state));
      if (target["name"] === parameterName && !target["example"]) found.push(target);
    }
    return found;
  };
  const responses: unknown = operation["responses"];
  for (const name in examples) {
    const example = examples[name];
    if (name === "__proto__" || !isPlainObject(example)) giveUp();
    visit(example, state);
    noteKey(name, state);
    const componentName = state.common.sanitiseAll(name);
    if (componentName === "__proto__") giveUp();
    for (const key in example) if (key !== "parameters" && key !== "responses") copy(example[key], state, false);
    const values = example["parameters"];
    if (values !== undefined) {
      if (!isPlainObject(values)) giveUp();
      visit(values, state);
      for (const parameterName in values) {
        const value = copy(values[parameterName], state, false);
        for (const target of targets(parameterName)) {
          if ("examples" in target && !state.examplesGiven.has(target)) giveUp();
          state.examplesGiven.add(target);
          target["examples"] ??= {};
          target["examples"][name] = { value: structuredClone(value) };
        }
      }
    }
    const outcomes = example["responses"];
    if (outcomes === undefined) continue;
    if (!isPlainObject(outcomes) || !isPlainObject(responses)) giveUp();
    visit(outcomes, state);
    for (const code in outcomes) {
      const outcome = outcomes[code];
      if (!isPlainObject(outcome)) giveUp();
      visit(outcome, state);
      const response: unknown = Object.hasOwn(responses, code) ? responses[code] : undefined;
      for (const key in outcome) if (key !== "headers" && key !== "body") copy(outcome[key], state, false);
      if (outcome["headers"] !== undefined) {
        const headers = outcome["headers"];
        if (!isPlainObject(headers) || !isPlainObject(response)) giveUp();
        visit(headers, state);
        for (const header in headers) {
          const value = copy(headers[header], state, false);
          const converted: unknown = response["headers"];
          if (isPlainObject(converted) && Object.hasOwn(converted, header)) {
            if (!isPlainObject(converted[header])) giveUp();
            converted[header]["example"] = value;
          }
        }
      }
      const body = copy(outcome["body"], state, false);
      if (!body) continue;
      state.examples[componentName] = { value: body };
      noteKey(componentName, state);
      const content: unknown = isPlainObject(response) ? response["content"] : undefined;
      if (!isPlainObject(content)) continue;
      for (const mediaType in content) {
        const entry = content[mediaType];
        if (!isPlainObject(entry) || (entry["examples"] !== undefined && !isPlainObject(entry["examples"]))) giveUp();
        entry["examples"] ??= {};
        entry["examples"][name] = { $ref: `#/components/examples/${componentName}` };
      }
    }
  }
}

function responsesOf(responses: unknown, operation: Json, state: State): Json {
  if (!isPlainObject(responses)) giveUp();
  visit(responses, state);
  const out = indexKeyedObject();
  for (const code in responses) {
    noteKey(code, state);
    if (code === "__proto__") giveUp();
    out[code] = responseOf(responses[code], operation, state);
  }
  return out;
}

/**
 * An empty object for keys that are array indices (status codes), with the dictionary elements JSON.parse gives such an
 * object: one built key by key gets fast elements sized past its largest index (`401`: ~620 slots, 5 KB, walked slot
 * by slot by every for...in and Object.entries over it). Kubernetes 1.13's 1,014 operations' responses were ~7.7 MB
 * of the conversion's allocations and ~5 MB more of the renderer's (for...in key lists), out of ~65 MB for api.ts.
 * V8 gives an object dictionary elements when an index lands more than 1,024 slots past its capacity; deleting that
 * index leaves them so.
 */
function indexKeyedObject(): Json {
  const out: Json = {};
  out[FAR_INDEX] = undefined;
  delete out[FAR_INDEX];
  return out;
}

const FAR_INDEX = 100_000;

/** processParameter for `in: body`: the request body, with the name main() later gives it if shared (`x-s2o-name`). */
function requestBodyOf(parameter: Json, operation: Json, state: State): Json {
  const { common } = state;
  const body: Json = { content: {} };
  if (parameter["name"]) {
    if (typeof parameter["name"] !== "string") giveUp();
    const operationId = operation["operationId"] ? common.sanitiseAll(operation["operationId"]) : "";
    body["x-s2o-name"] = operationId + camelCase(`_${parameter["name"]}`);
  }
  if (parameter["description"]) body["description"] = copy(parameter["description"], state, false);
  if (parameter["required"]) body["required"] = parameter["required"];
  if (parameter["schema"] !== undefined && !isPlainObject(parameter["schema"])) giveUp();
  const schema: Json = parameter["schema"] === undefined ? {} : schemaOf(parameter["schema"], state);
  if (typeof schema["$ref"] === "string") body["x-s2o-name"] = decodeURIComponent(schema["$ref"].replace("#/components/schemas/", ""));
  else if (schema["type"] === "array" && schema["items"] && typeof schema["items"].$ref === "string") {
    body["x-s2o-name"] = `${decodeURIComponent(schema["items"].$ref.replace("#/components/schemas/", ""))}Array`;
  }
  const consumes = unique((operation["consumes"] !== undefined ? (operation["consumes"] as string[]) : state.consumes) ?? []);
  if (consumes.length === 0) consumes.push("application/json");
  body["content"] = perMediaType(consumes, schema, state);
  for (const key in parameter) {
    // copyExtensions: the parameter's extensions, on the body; the other members only checked as the library walks them.
    // processParameter turned x-example and a boolean x-deprecated into members of the parameter before, so they are not.
    const turned = (key === "x-example" && parameter[key] !== undefined) || (key === "x-deprecated" && typeof parameter[key] === "boolean");
    if (key.startsWith("x-") && !key.startsWith("x-s2o") && !turned) body[key] = member(parameter, key, state);
    else if (key !== "schema" && key !== "description") copy(parameter[key], state, false);
  }
  return body;
}

/**
 * processParameter for `in: formData`: the field as a property of an object schema, under multipart/form-data when
 * the operation consumes it, else application/x-www-form-urlencoded. The first field makes the request body (and its
 * `required`); each next one adds its property, and its name to the schema's `required`, as the library merges them.
 */
function formBody(requestBody: Json | undefined, parameter: Json, operation: Json, state: State): Json {
  const { name, type } = parameter;
  if (typeof name !== "string" || name === "__proto__" || typeof type !== "string") giveUp();
  if ("schema" in parameter || "allOf" in parameter || "x-deprecated" in parameter || "x-example" in parameter) giveUp();
  if (parameter["description"] !== undefined && typeof parameter["description"] !== "string") giveUp();
  // csv (an array's default) and multi change nothing here; ssv, pipes and tsv outside a query are warned about.
  const collectionFormat = parameter["collectionFormat"] ?? (type === "array" ? "csv" : undefined);
  if (collectionFormat !== undefined && collectionFormat !== "csv" && collectionFormat !== "multi") giveUp();

  const field: Json = {};
  if (parameter["description"]) field["description"] = parameter["description"];
  if (parameter["example"]) field["example"] = copy(parameter["example"], state, false);
  field["type"] = type;
  copyTypeProperties(parameter, field, state);
  if (type === "array" && parameter["items"]) {
    const items = copy(parameter["items"], state, false);
    if (isPlainObject(items)) delete items["collectionFormat"];
    field["items"] = items;
  }
  if (type === "file") {
    field["type"] = "string";
    field["format"] = "binary";
  }
  for (const key in parameter) if (key.startsWith("x-") && !key.startsWith("x-s2o")) field[key] = member(parameter, key, state);
  for (const key in field) noteKey(key, state);
  noteKey(name, state);

  const required = parameter["required"] === true;
  if (requestBody) {
    const schema = Object.values(requestBody["content"] as Json)[0].schema as Json;
    schema["properties"][name] = field;
    const names = [...(schema["required"] ?? []), ...(required ? [name] : [])];
    if (names.length > 0) schema["required"] = names;
    return requestBody;
  }
  const consumes = unique((operation["consumes"] !== undefined ? (operation["consumes"] as string[]) : state.consumes) ?? []);
  const mediaType = consumes.includes("multipart/form-data") ? "multipart/form-data" : "application/x-www-form-urlencoded";
  const schema: Json = { type: "object", properties: { [name]: field } };
  if (required) schema["required"] = [name];
  return required ? { content: { [mediaType]: { schema } }, required: true } : { content: { [mediaType]: { schema } } };
}

/** oas-kit-common's `String.prototype.toCamelCase`. */
function camelCase(text: string): string {
  return text.toLowerCase().replace(/[-_ /.](.)/g, (_match, next: string) => next.toUpperCase());
}

/** main()'s requestBodyCache entry for an operation's body, by the hash of its JSON text (its name not included). */
function noteRequestBody(operation: Json, body: Json, method: string, url: string, state: State): void {
  const { common } = state;
  const effectiveOperationId = operation["operationId"] ? common.sanitiseAll(operation["operationId"]) : camelCase(common.sanitiseAll(method + url));
  const name = common.sanitise(body["x-s2o-name"] || effectiveOperationId || "");
  delete body["x-s2o-name"];
  const hash = bodyHash(JSON.stringify(body), state);
  const entry = (state.requestBodies[hash] ??= { name, body, operations: [] });
  entry.operations.push(operation);
}

/**
 * `common.hash(text)`, once per text: the hash is a loop over the text's characters in this unoptimised code, and most
 * bodies are written alike (Kubernetes 1.13: 401 bodies, 93 texts, 79,000 characters hashed).
 */
function bodyHash(text: string, state: State): number {
  let hash = state.bodyHashes.get(text);
  if (hash === undefined) state.bodyHashes.set(text, (hash = state.common.hash(text)));
  return hash;
}

/** main(): a body written by several operations becomes a shared `components.requestBodies` entry, named as there. */
function sharedRequestBodies(state: State): Json {
  const requestBodies: Json = {};
  const generated: string[] = [];
  let counter = 1;
  for (const hash in state.requestBodies) {
    const entry = state.requestBodies[hash]!;
    if (entry.operations.length < 2) continue;
    let suffix: string | number = "";
    let name = entry.name;
    if (!name) {
      name = "requestBody";
      suffix = counter++;
    }
    while (generated.includes(name + suffix)) suffix = suffix ? Number(suffix) + 1 : 2;
    name = `${name}${suffix}`;
    if (name === "__proto__") giveUp();
    noteKey(name, state);
    generated.push(name);
    requestBodies[name] = entry.body;
    for (const operation of entry.operations) operation["requestBody"] = { $ref: `#/components/requestBodies/${name}` };
  }
  return requestBodies;
}
