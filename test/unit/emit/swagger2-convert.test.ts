/**
 * swagger2-convert.ts against swagger2openapi on small Swagger 2.0 documents, one rule each: our conversion's paths and
 * components must be the library's (key order included), api.ts rendered from it the text rendered from the
 * library's, and ours must convert (or give up) where it says it does.
 */
import { describe, expect, it } from "vitest";
import { documentTraits } from "../../../scripts/generator/emit/api-types-scan.ts";
import { convertSwagger2 } from "../../../scripts/generator/emit/swagger2-convert.ts";
import { conversionDifference, libraryConversion, renderedBothWays } from "../../../scripts/corpus/swagger2-oracle.ts";

type Json = Record<string, any>;

const pet = { type: "object", required: ["name"], properties: { name: { type: "string" }, tag: { type: "string", description: "A tag" } } };

function doc(paths: Json, extra: Json = {}): Json {
  return { swagger: "2.0", info: { title: "t", version: "1" }, paths, definitions: { Pet: pet }, ...extra };
}

const get = (operation: Json) => ({ get: { responses: { 200: { description: "ok" } }, ...operation } });
const body = (schema: Json, extra: Json = {}) => ({ in: "body", name: "body", schema, ...extra });

/** Documents ours converts; each must give the library's api.ts. */
const CONVERTED: Record<string, Json> = {
  "query, path and header parameters, every collectionFormat ours repeats": doc({
    "/a/{id}/{ids}": {
      parameters: [{ name: "id", in: "path", type: "string", required: false }],
      get: {
        parameters: [
          { name: "ids", in: "path", type: "array", items: { type: "integer", collectionFormat: "csv" }, required: true },
          { name: "q", in: "query", type: "array", items: { type: "string" }, description: "csv by default" },
          { name: "s", in: "query", type: "array", items: { type: "string" }, collectionFormat: "ssv" },
          { name: "p", in: "query", type: "array", items: { type: "string" }, collectionFormat: "pipes" },
          { name: "m", in: "query", type: "array", items: { type: "string", enum: ["x", "y"] }, collectionFormat: "multi" },
          { name: "h", in: "header", type: "array", items: { type: "number" } },
          { name: "n", in: "query", type: "integer", format: "int32", minimum: 1, maximum: 9, default: 3, collectionFormat: "csv" },
          { name: "e", in: "query", type: "string", enum: ["a", "b"], pattern: "^[ab]$", minLength: 1 },
        ],
        responses: { 200: { description: "ok", schema: { $ref: "#/definitions/Pet" } } },
      },
    },
  }),
  "a body per consumes entry, produces per response, defaults": doc(
    {
      "/pets": {
        post: {
          operationId: "addPet",
          consumes: ["application/json", "application/xml", "application/json"],
          parameters: [body({ $ref: "#/definitions/Pet" }, { description: "The pet", required: true, "x-extra": { a: 1 } })],
          responses: { 201: { description: "made", schema: { type: "array", items: { $ref: "#/definitions/Pet" } } }, default: { description: "error" } },
        },
        put: { produces: [], parameters: [body({ type: "object", properties: { a: { type: "string" } } })], responses: { 200: { description: "ok", schema: { type: "string" } } } },
        patch: { parameters: [{ in: "body", name: "b" }] },
      },
    },
    { produces: ["application/json", "text/plain"] },
  ),
  "bodies shared by several operations, named and ordered as the library's": doc({
    "/a": { post: { operationId: "one", parameters: [body({ $ref: "#/definitions/Pet" })], responses: {} }, put: { parameters: [body({ $ref: "#/definitions/Pet" })], responses: {} } },
    "/b": {
      post: { operationId: "two-x", parameters: [body({ type: "array", items: { $ref: "#/definitions/Pet" } })], responses: {} },
      put: { operationId: "three", parameters: [body({ type: "array", items: { $ref: "#/definitions/Pet" } })], responses: {} },
      patch: { parameters: [body({ $ref: "#/definitions/Pet" }, { description: "other" })], responses: {} },
      delete: { parameters: [body({ $ref: "#/definitions/Pet" }, { description: "other" })], responses: {} },
    },
    "/c/{x}": {
      post: { parameters: [body({ type: "object", properties: { z: { type: "integer" } } })], responses: {} },
      put: { parameters: [body({ type: "object", properties: { z: { type: "integer" } } })], responses: {} },
      patch: { operationId: "op", parameters: [{ in: "body", name: "the_data-set", schema: { type: "string" } }], responses: {} },
      delete: { operationId: "op2", parameters: [{ in: "body", name: "the_data-set", schema: { type: "string" } }], responses: {} },
    },
  }),
  "shared parameters and responses, refs with siblings": doc(
    {
      "/a": {
        parameters: [{ $ref: "#/parameters/limit" }],
        get: {
          parameters: [{ $ref: "#/parameters/offset", description: "dropped" }],
          responses: { 200: { $ref: "#/responses/Ok" }, 404: { $ref: "#/responses/Missing", description: "dropped" } },
        },
      },
    },
    {
      parameters: { limit: { name: "limit", in: "query", type: "integer" }, offset: { name: "offset", in: "query", type: "array", items: { type: "string" } } },
      responses: { Ok: { description: "ok", schema: { $ref: "#/definitions/Pet", description: "dropped" } }, Missing: { description: "missing" } },
    },
  ),
  "definitions referring to one another, extensions, allOf": doc(
    { "/a": get({}) },
    {
      definitions: {
        Pet: pet,
        Base: { type: "object", required: ["kind"], properties: { kind: { type: "string" } } },
        Cat: { allOf: [{ $ref: "#/definitions/Base" }, { type: "object", properties: { meow: { type: "boolean", "x-k": [1, 2] } } }] },
        List: { type: "array", items: { $ref: "#/definitions/Cat" }, "x-nullable-note": "kept" },
        Map: { type: "object", additionalProperties: { $ref: "#/definitions/Pet" } },
      },
    },
  ),
  "a property named discriminator (walked)": doc({ "/a": get({}) }, { definitions: { Pet: { type: "object", properties: { discriminator: { type: "string" } } } } }),
  "a key named allOf where a schema is not (walked)": doc({ "/allOf": get({ parameters: [{ name: "discriminator", in: "query", type: "string" }] }) }, { definitions: { allOf: { type: "string" } } }),
  "form fields, urlencoded and multipart, merged as the library merges them": doc({
    "/form": {
      post: {
        operationId: "send",
        parameters: [
          { name: "a", in: "formData", type: "string", description: "first", required: false, default: "x", "x-f": 1 },
          { name: "b", in: "formData", type: "integer", format: "int32", required: true, minimum: 0, example: 3 },
          { name: "c", in: "formData", type: "array", items: { type: "string", collectionFormat: "multi" }, collectionFormat: "multi", required: true },
          { name: "q", in: "query", type: "string" },
        ],
        responses: { 200: { description: "ok" } },
      },
      put: {
        consumes: ["multipart/form-data", "application/x-www-form-urlencoded"],
        parameters: [
          { name: "file", in: "formData", type: "file", required: true, description: "upload" },
          { name: "meta", in: "formData", type: "string", format: "json" },
        ],
        responses: { 200: { description: "ok" } },
      },
    },
    "/same": {
      post: { parameters: [{ name: "f", in: "formData", type: "string", required: true }], responses: {} },
      put: { parameters: [{ name: "f", in: "formData", type: "string", required: true }], responses: {} },
      patch: { parameters: [{ name: "f", in: "formData", type: "string" }, { name: "f", in: "formData", type: "number" }], responses: {} },
    },
  }),
  "response headers, in operations and in shared responses": doc(
    {
      "/a": {
        get: {
          responses: {
            200: {
              description: "ok",
              headers: {
                "X-Rate-Limit": { type: "integer", format: "int32", description: "calls per hour", "x-h": true },
                "X-Ids": { type: "array", items: { type: "integer", collectionFormat: "csv" }, collectionFormat: "csv", maxItems: 3 },
                "X-Multi": { type: "array", items: { type: "string", collectionFormat: "multi" }, collectionFormat: "multi" },
                "X-Nested": { type: "array", items: { type: "array", items: { type: "string" } } },
                "X-Flag": { type: "boolean", collectionFormat: "csv", default: false, enum: [true, false] },
              },
              schema: { $ref: "#/definitions/Pet" },
            },
            default: { $ref: "#/responses/Error" },
          },
        },
      },
    },
    { responses: { Error: { description: "error", headers: { "X-Trace": { type: "string", pattern: "^[a-f0-9]+$" } }, schema: { type: "string" } } } },
  ),
  "x-nullable as nullable wherever fixUpSchema's walk reaches": doc(
    {
      "/a": {
        post: {
          parameters: [body({ type: "array", "x-nullable": true, items: { $ref: "#/definitions/Pet", "x-nullable": false } })],
          responses: { 200: { description: "ok", schema: { type: "object", "x-nullable": true, additionalProperties: { type: "string", "x-nullable": true } } } },
        },
      },
    },
    {
      definitions: {
        Pet: {
          ...pet,
          "x-nullable": false,
          properties: { name: { type: "string", "x-nullable": true, description: "after" }, tag: { nullable: false, type: "string", "x-nullable": true } },
        },
        Both: { allOf: [{ $ref: "#/definitions/Pet" }, { type: "object", "x-nullable": true }], not: { type: "integer", "x-nullable": true }, "x-nullable": "yes" },
        Map: { type: "object", patternProperties: { "^a": { type: "string", "x-nullable": true } }, items: { type: "number", "x-nullable": true } },
      },
    },
  ),
  "x-ms-skip-url-encoding: allowReserved on a query parameter, kept elsewhere": doc(
    {
      "/a/{id}": {
        get: {
          parameters: [
            { name: "q", in: "query", type: "string", "x-ms-skip-url-encoding": true, description: "after" },
            { name: "l", in: "query", type: "array", items: { type: "string" }, "x-ms-skip-url-encoding": true },
            { name: "id", in: "path", type: "string", "x-ms-skip-url-encoding": true },
            { name: "f", in: "query", type: "string", "x-ms-skip-url-encoding": false },
            { $ref: "#/parameters/shared" },
          ],
        },
      },
    },
    { parameters: { shared: { name: "s", in: "query", type: "string", "x-ms-skip-url-encoding": true, required: true } } },
  ),
  "x-ms-parameterized-host, with schemes or without a scheme prefix": doc(
    { "/a": get({}) },
    {
      schemes: ["https"],
      "x-ms-parameterized-host": { hostTemplate: "{account}{host}", positionInOperation: "last", parameters: [{ name: "account", in: "path", type: "string", required: true, "x-ms-skip-url-encoding": true }, { $ref: "#/parameters/host" }] },
      parameters: { host: { name: "host", in: "path", type: "string", required: true, default: "example.com" } },
    },
  ),
  "x-ms-parameterized-host without a scheme prefix": doc({ "/a": get({}) }, { "x-ms-parameterized-host": { hostTemplate: "{endpoint}", useSchemePrefix: false, parameters: [{ $ref: "#/parameters/endpoint" }] }, parameters: { endpoint: { name: "endpoint", in: "path", type: "string", required: true } } }),
  "x-ms-odata moved to the schema's component": doc({
    "/a": get({
      "x-ms-odata": "#/definitions/Pet",
      parameters: [{ name: "$filter", in: "query", type: "string", "x-ms-odata": "#/definitions/Pet/properties/name" }],
      responses: { 200: { description: "ok", schema: { type: "object", "x-ms-odata": "#/definitions/Pet" }, "x-ms-odata": "relative, kept" } },
    }),
  }),
  "x-ms-examples: parameter, header and body examples": doc(
    {
      "/a/{id}": {
        parameters: [{ $ref: "#/parameters/id" }],
        get: {
          produces: ["application/json", "text/plain"],
          "x-ms-examples": {
            "first one": {
              parameters: { id: "7", q: ["x", "y"], body: { ignored: true }, shown: 1 },
              responses: { 200: { headers: { "X-Count": 3, "X-Absent": 1 }, body: { name: "Rex" } }, 404: { body: false }, default: { body: "no content" } },
            },
            second: { parameters: { id: "8" }, responses: { 200: { body: [1, 2] } }, title: "kept out" },
            "first/one": { responses: { 200: { body: { name: "same component name, later" } } } },
          },
          parameters: [
            { name: "q", in: "query", type: "array", items: { type: "string" } },
            { name: "shown", in: "query", type: "integer", example: 5 },
            body({ $ref: "#/definitions/Pet" }),
          ],
          responses: {
            200: { description: "ok", schema: { $ref: "#/definitions/Pet" }, headers: { "X-Count": { type: "integer" } } },
            404: { description: "none", schema: { type: "string" } },
            default: { $ref: "#/responses/Error" },
          },
        },
        put: { "x-ms-examples": { again: { parameters: { id: "9" } } }, responses: {} },
      },
    },
    { parameters: { id: { name: "id", in: "path", type: "string", required: true } }, responses: { Error: { description: "error", schema: { type: "string" } } } },
  ),
  "a string discriminator as { propertyName } wherever fixUpSchema's walk reaches (walked)": doc(
    { "/a": { post: { parameters: [body({ type: "object", discriminator: "kind", properties: { kind: { type: "string" } } })], responses: {} } } },
    {
      definitions: {
        Pet: { ...pet, discriminator: "name", "x-nullable": true },
        Dog: { allOf: [{ $ref: "#/definitions/Pet" }, { type: "object", properties: { inner: { type: "object", discriminator: "k", properties: { k: { type: "string" } } } } }] },
      },
    },
  ),
  "type: file and arrays without items wherever fixUpSchema's walk reaches": doc(
    {
      "/a": {
        post: {
          parameters: [body({ type: "array", description: "no items" })],
          responses: { 200: { description: "a file", schema: { type: "file", "x-nullable": true } }, 201: { description: "files", schema: { type: "array", items: { type: "file", format: "byte", description: "d" } } } },
        },
      },
    },
    { definitions: { Pet: { ...pet, properties: { tags: { type: "array", "x-nullable": false, description: "d" }, photo: { description: "p", type: "file" } } } } },
  ),
  "response examples, with the schema of their media type or on their own": doc(
    {
      "/a": {
        get: {
          produces: ["application/json", "text/plain"],
          responses: {
            200: { description: "ok", examples: { "application/xml": "<pet/>", "text/plain": "", "application/json": { name: "Rex" } }, schema: { $ref: "#/definitions/Pet" }, headers: { "X-A": { type: "string" } } },
            201: { description: "no schema", examples: { "application/json": [1, 2] } },
            204: { description: "none", examples: {} },
            default: { $ref: "#/responses/Error" },
          },
        },
      },
    },
    { responses: { Error: { examples: { "application/json": { code: 1 } }, description: "error", schema: { type: "object" } } } },
  ),
  "x-example and x-deprecated on parameters, not on a body": doc(
    {
      "/a": {
        post: {
          parameters: [
            { name: "q", in: "query", type: "string", "x-example": "abc", description: "d" },
            { name: "e", in: "query", type: "integer", example: 1, "x-deprecated": true, "x-example": 2 },
            { name: "s", in: "header", type: "string", "x-deprecated": "not a boolean" },
            body({ $ref: "#/definitions/Pet" }, { "x-example": { name: "Rex" }, "x-deprecated": false, "x-other": 1 }),
            { $ref: "#/parameters/shared" },
          ],
          responses: {},
        },
      },
    },
    { parameters: { shared: { "x-example": [1], name: "l", in: "query", type: "array", items: { type: "integer" } } } },
  ),
  "top-level extensions, left where they are": doc({ "/a": get({}) }, { "x-tagGroups": [{ name: "g", tags: ["t"] }], "x-meta": { schema: { $ref: "#/definitions/Pet" }, n: 1 } }),
  "no components at all": { swagger: "2.0", info: { title: "t", version: "1" }, paths: { "/a": get({ parameters: [{ name: "q", in: "query", type: "string" }] }) } },
  "security definitions only": { swagger: "2.0", info: { title: "t", version: "1" }, paths: {}, securityDefinitions: { key: { type: "apiKey", name: "k", in: "header" } } },
  "operations without responses or parameters": doc({ "/a": { get: {}, delete: { parameters: [] } } }),
};

/** Documents ours gives up on (the library converts them, or fails, its own way). */
const GIVEN_UP: Record<string, Json> = {
  "a form field on a path item": doc({ "/a": { parameters: [{ name: "f", in: "formData", type: "string" }], post: { parameters: [], responses: {} } } }),
  "a body, then a form field": doc({ "/a": { post: { parameters: [body({}), { name: "f", in: "formData", type: "string" }], responses: {} } } }),
  "a form field, then a body": doc({ "/a": { post: { parameters: [{ name: "f", in: "formData", type: "string" }, body({})], responses: {} } } }),
  "a form field with ssv": doc({ "/a": { post: { parameters: [{ name: "f", in: "formData", type: "array", items: { type: "string" }, collectionFormat: "ssv" }], responses: {} } } }),
  "a file parameter outside a form": doc({ "/a": { post: { parameters: [{ name: "f", in: "query", type: "file" }], responses: {} } } }),
  "a null": doc({ "/a": get({ description: null }) }),
  "a string discriminator where fixUpSchema's walk does not reach (an example)": doc({ "/a": get({}) }, { definitions: { Pet: { ...pet, example: { discriminator: "name" } } } }),
  "x-servers at the top": doc({ "/a": get({}) }, { "x-servers": [{ url: "https://example.com" }] }),
  "a top-level extension with a null": doc({ "/a": get({}) }, { "x-meta": { a: null } }),
  "x-nullable where fixUpSchema's walk does not reach (an example)": doc({ "/a": get({}) }, { definitions: { Pet: { ...pet, example: { "x-nullable": true } } } }),
  "x-nullable in a non-body parameter's items": doc({ "/a": get({ parameters: [{ name: "q", in: "query", type: "array", items: { type: "string", "x-nullable": true } }] }) }),
  "a type array": doc({ "/a": get({}) }, { definitions: { Pet: { type: ["string", "null"] } } }),
  "an array without items where fixUpSchema's walk does not reach (an example)": doc({ "/a": get({}) }, { definitions: { Pet: { ...pet, example: { type: "array" } } } }),
  "type: file where fixUpSchema's walk does not reach (an example)": doc({ "/a": get({}) }, { definitions: { Pet: { ...pet, example: { type: "file" } } } }),
  "type: null": doc({ "/a": get({}) }, { definitions: { Pet: { type: "null" } } }),
  "a header with ssv": doc({ "/a": { get: { responses: { 200: { description: "ok", headers: { "X-A": { type: "array", items: { type: "string" }, collectionFormat: "ssv" } } } } } } }),
  "a header without a type": doc({ "/a": { get: { responses: { 200: { description: "ok", headers: { "X-A": { description: "no type" } } } } } } }),
  "a Status Code header": doc({ "/a": { get: { responses: { 200: { description: "ok", headers: { "Status Code": { type: "integer" } } } } } } }),
  "nested collectionFormats in a header": doc({ "/a": { get: { responses: { 200: { description: "ok", headers: { "X-A": { type: "array", items: { type: "string", collectionFormat: "multi" } } } } } } } }),
  "response examples that are no object": doc({ "/a": { get: { responses: { 200: { description: "ok", examples: "text" } } } } }),
  "two bodies": doc({ "/a": { post: { parameters: [body({}), body({}, { name: "other" })], responses: {} } } }),
  "a definition name the library sanitises": doc({ "/a": get({}) }, { definitions: { "Pet List": pet } }),
  "a ref into a definition": doc({ "/a": get({ responses: { 200: { description: "ok", schema: { $ref: "#/definitions/Pet/properties/name" } } } }) }),
  "an object reached twice (a YAML alias)": (() => {
    const shared = { name: "q", in: "query", type: "string" };
    return doc({ "/a": get({ parameters: [shared] }), "/b": get({ parameters: [shared] }) });
  })(),
  "an object reached twice in a body parameter": (() => {
    const shared = { a: 1 };
    return doc({ "/a": { post: { parameters: [body({ $ref: "#/definitions/Pet" }, { example: shared, "x-e": shared })], responses: {} } } });
  })(),
  "a tsv collectionFormat": doc({ "/a": get({ parameters: [{ name: "q", in: "query", type: "array", items: { type: "string" }, collectionFormat: "tsv" }] }) }),
  "a parameter without a type": doc({ "/a": get({ parameters: [{ name: "q", in: "query" }] }) }),
  "x-ms-parameterized-host without schemes (the library fails)": doc({ "/a": get({}) }, { "x-ms-parameterized-host": { hostTemplate: "{account}", parameters: [{ name: "account", in: "path", type: "string" }] } }),
  "x-ms-parameterized-host with a nameless parameter": doc({ "/a": get({}) }, { schemes: ["https"], "x-ms-parameterized-host": { hostTemplate: "{account}", parameters: [{ in: "path", type: "string" }] } }),
  "x-ms-odata naming no definition": doc({ "/a": get({ "x-ms-odata": "#/definitions/Missing" }) }),
  "x-ms-examples naming a path item's own parameter": doc({ "/a": { parameters: [{ name: "p", in: "query", type: "string" }], get: { "x-ms-examples": { e: { parameters: { p: "x" } } }, responses: {} } } }),
  "x-ms-examples with headers of a response the operation lacks (the library fails)": doc({ "/a": get({ "x-ms-examples": { e: { responses: { 201: { headers: { "X-A": 1 } } } } } }) }),
  "x-ms-examples with a null": doc({ "/a": get({ "x-ms-examples": { e: { responses: { 200: { body: { a: null } } } } } }) }),
  "a top-level extension": doc({ "/a": get({}) }, { "x-ms-paths": {} }),
};

async function bothWays(document: Json): Promise<[string, string]> {
  const { ours, library } = await renderedBothWays(document, "2.0");
  return [ours.body, library.body];
}

describe("swagger2-convert.ts", () => {
  for (const [name, document] of Object.entries(CONVERTED)) {
    it(`converts as the library does: ${name}`, async () => {
      const converted = convertSwagger2(structuredClone(document));
      expect(converted, "gave up").toBeDefined();
      // Traits given only where the walk would find nothing to do.
      const walked = documentTraits(converted!.openapi);
      if (converted!.traits) expect([walked.pathSchemaRefs, walked.mayHaveDiscriminators]).toEqual([false, false]);
      expect(converted!.traits === undefined, "traits left to the walk").toBe(name.includes("walked"));
      expect(conversionDifference(converted!.openapi, await libraryConversion(document)), "differs from the library's").toBeUndefined();
      const [ours, library] = await bothWays(document);
      expect(ours).toBe(library);
    });
  }
  for (const [name, document] of Object.entries(GIVEN_UP)) {
    it(`gives up: ${name}`, async () => {
      expect(convertSwagger2(name.includes("twice") ? document : structuredClone(document))).toBeUndefined();
      if (!name.includes("twice")) {
        const [ours, library] = await bothWays(document);
        expect(ours).toBe(library);
      }
    });
  }
});

describe("swagger2-convert.ts on a document known to be a tree", () => {
  // The fast path (no Set of objects met) held to the general one on every document here, each as JSON.parse makes it.
  const trees = Object.entries({ ...CONVERTED, ...GIVEN_UP }).filter(([name]) => !name.includes("twice"));
  for (const [name, document] of trees) {
    it(`converts or gives up as without the flag: ${name}`, () => {
      const text = JSON.stringify(document);
      const general = convertSwagger2(JSON.parse(text));
      const tree = convertSwagger2(JSON.parse(text), true);
      expect(tree === undefined).toBe(general === undefined);
      if (general) {
        expect(JSON.stringify(tree!.openapi)).toBe(JSON.stringify(general.openapi));
        expect(tree!.traits).toEqual(general.traits);
      }
    });
  }
});

describe("swagger2-convert.ts' copies of a schema per media type", () => {
  it("gives each media type its own copy, equal to the first and sharing nothing with it (as the library's clones)", () => {
    const schema = { type: "object", "x-nullable": true, properties: { a: { type: "array", items: { $ref: "#/definitions/Pet" } }, b: { enum: ["x", { y: [1] }] } } };
    const document = doc({ "/a": get({ produces: ["application/json", "text/plain", "application/xml"], responses: { 200: { description: "ok", schema } } }) });
    const content = convertSwagger2(document)!.openapi["paths"]["/a"]["get"]["responses"]["200"]["content"];
    const [first, ...others] = Object.values(content).map((media: any) => media.schema);
    expect(Object.keys(content)).toEqual(["application/json", "text/plain", "application/xml"]);
    for (const other of others) {
      expect(other).toEqual(first);
      expect(JSON.stringify(other)).toBe(JSON.stringify(first)); // key order too
      expect(other).not.toBe(first);
      expect(other.properties).not.toBe(first.properties);
      expect(other.properties.a.items).not.toBe(first.properties.a.items);
      expect(other.properties.b.enum[1].y).not.toBe(first.properties.b.enum[1].y);
    }
  });
});
